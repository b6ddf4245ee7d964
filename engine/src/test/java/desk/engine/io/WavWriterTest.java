package desk.engine.io;

import static desk.engine.io.WavBytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WavWriterTest {
    @TempDir
    Path folder;

    @Test
    void pcm16HeaderAndDataAreExact() throws IOException {
        Path file = folder.resolve("pcm16.wav");
        try (WavWriter writer = WavWriter.create(file, 44_100, 2, SampleFormat.PCM_16)) {
            writer.write(new float[][] {{0f, 0.5f, -1f}, {1f / 32768, -0.25f, 32767f / 32768}}, 0, 3);
        }

        assertArrayEquals(hex("""
                52494646 30000000 57415645
                666d7420 10000000 0100 0200 44ac0000 10b10200 0400 1000
                64617461 0c000000
                0000 0100  0040 00e0  0080 ff7f
                """), Files.readAllBytes(file));
    }

    @Test
    void floatHeaderHasFactChunkAndExtendedFmt() throws IOException {
        Path file = folder.resolve("float.wav");
        try (WavWriter writer = WavWriter.create(file, 48_000, 1, SampleFormat.FLOAT_32)) {
            writer.write(new float[][] {{0.5f, -1f}}, 0, 2);
        }

        assertArrayEquals(hex("""
                52494646 3a000000 57415645
                666d7420 12000000 0300 0100 80bb0000 00ee0200 0400 2000 0000
                66616374 04000000 02000000
                64617461 08000000
                0000003f 000080bf
                """), Files.readAllBytes(file));
    }

    @Test
    void oddSizedDataGetsAPadByteCountedInTheRiffSize() throws IOException {
        Path file = folder.resolve("pad.wav");
        try (WavWriter writer = WavWriter.create(file, 96_000, 1, SampleFormat.PCM_24)) {
            writer.write(new float[][] {{-0.5f}}, 0, 1);
        }

        assertArrayEquals(hex("""
                52494646 28000000 57415645
                666d7420 10000000 0100 0100 00770100 00650400 0300 1800
                64617461 03000000
                0000c0 00
                """), Files.readAllBytes(file));
    }

    @ParameterizedTest(name = "{0} -> {1} at 16 bits, {2} at 24 bits")
    @CsvSource({
            "1.0, 32767, 8388607",
            "1.5, 32767, 8388607",
            "100, 32767, 8388607",
            "Infinity, 32767, 8388607",
            "-1.0, -32768, -8388608",
            "-1.5, -32768, -8388608",
            "-100, -32768, -8388608",
            "-Infinity, -32768, -8388608",
            "NaN, 0, 0",
            "0.0, 0, 0",
            "-0.0, 0, 0",
            "0.5, 16384, 4194304",
            "-0.5, -16384, -4194304",
            "0.99999, 32767, 8388524",
    })
    void quantizeScalesAndClamps(float sample, int expected16, int expected24) {
        assertEquals(expected16, WavWriter.quantize(sample, 16));
        assertEquals(expected24, WavWriter.quantize(sample, 24));
    }

    @Test
    void quantizeRoundsHalfAwayFromZero() {
        for (int k = -32767; k < 32767; k++) {
            float half = (k + 0.5f) / 32768;
            boolean positive = k + 0.5f > 0;
            assertEquals(positive ? k + 1 : k, WavWriter.quantize(half, 16), "tie " + half);
            assertEquals(positive ? k : k + 1, WavWriter.quantize(Math.nextAfter(half, 0.0), 16),
                    "just toward zero from " + half);
        }
        assertEquals(1, WavWriter.quantize(0.5f / 8388608, 24));
        assertEquals(-1, WavWriter.quantize(-0.5f / 8388608, 24));
        assertEquals(0, WavWriter.quantize(Math.nextDown(0.5f / 8388608), 24));
    }

    @Test
    void samplesBeyondFullScaleClipInTheFile() throws IOException {
        float[] beyond = {1.0f, 1.25f, 7f, -1.0f, -1.25f, -7f, Float.NaN, Float.POSITIVE_INFINITY};
        Path file16 = folder.resolve("clip16.wav");
        Path file24 = folder.resolve("clip24.wav");
        try (WavWriter writer = WavWriter.create(file16, 48_000, 1, SampleFormat.PCM_16)) {
            writer.write(new float[][] {beyond}, 0, beyond.length);
        }
        try (WavWriter writer = WavWriter.create(file24, 48_000, 1, SampleFormat.PCM_24)) {
            writer.write(new float[][] {beyond}, 0, beyond.length);
        }

        float max16 = 32767f / 32768;
        float max24 = 8388607f / 8388608;
        assertArrayEquals(new float[] {max16, max16, max16, -1f, -1f, -1f, 0f, max16},
                WavReader.read(file16).samples()[0]);
        assertArrayEquals(new float[] {max24, max24, max24, -1f, -1f, -1f, 0f, max24},
                WavReader.read(file24).samples()[0]);
    }

    @Test
    void floatFilesKeepValuesBeyondFullScale() throws IOException {
        float[] loud = {2.5f, -3.75f, 1e6f};
        Path file = folder.resolve("loud.wav");
        try (WavWriter writer = WavWriter.create(file, 48_000, 1, SampleFormat.FLOAT_32)) {
            writer.write(new float[][] {loud}, 0, loud.length);
        }

        assertArrayEquals(loud, WavReader.read(file).samples()[0]);
    }

    @Test
    void writesFromTheGivenOffsetOnly() throws IOException {
        Path file = folder.resolve("offset.wav");
        try (WavWriter writer = WavWriter.create(file, 48_000, 2, SampleFormat.FLOAT_32)) {
            writer.write(new float[][] {{9f, 9f, 0.25f, 0.5f, 9f}, {9f, 9f, -0.25f, -0.5f, 9f}}, 2, 2);
        }

        AudioFile read = WavReader.read(file);
        assertArrayEquals(new float[] {0.25f, 0.5f}, read.samples()[0]);
        assertArrayEquals(new float[] {-0.25f, -0.5f}, read.samples()[1]);
    }

    @Test
    void refusesToPassTheDataLimitAndLeavesAValidFile() throws IOException {
        Path file = folder.resolve("limit.wav");
        float[][] stereo = new float[2][25];
        try (WavWriter writer = WavWriter.create(file, 48_000, 2, SampleFormat.PCM_16, 100)) {
            writer.write(stereo, 0, 20);
            IOException refused = assertThrows(IOException.class, () -> writer.write(stereo, 0, 6));
            assertOneLine(refused);
            assertTrue(refused.getMessage().contains("4 GiB"), refused.getMessage());
            assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
            writer.write(stereo, 0, 5);
            assertEquals(25, writer.framesWritten());
            assertThrows(IOException.class, () -> writer.write(stereo, 0, 1));
        }

        assertEquals(25, WavReader.read(file).frames());
    }

    @Test
    void closeIsIdempotentAndWritingAfterItFails() throws IOException {
        Path file = folder.resolve("closed.wav");
        WavWriter writer = WavWriter.create(file, 48_000, 1, SampleFormat.PCM_16);
        writer.write(new float[][] {{0.5f}}, 0, 1);
        writer.close();
        byte[] afterFirstClose = Files.readAllBytes(file);
        writer.close();

        IOException closed = assertThrows(IOException.class, () -> writer.write(new float[][] {{0f}}, 0, 1));
        assertOneLine(closed);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertArrayEquals(afterFirstClose, Files.readAllBytes(file));
    }

    @Test
    void createTruncatesAnExistingFile() throws IOException {
        Path file = folder.resolve("existing.wav");
        Files.write(file, new byte[10_000]);

        WavWriter.create(file, 48_000, 1, SampleFormat.PCM_16).close();

        assertEquals(44, Files.size(file));
    }

    @Test
    void rejectsOutOfRangeLayoutsNamingArgumentValueAndRange() {
        Path file = folder.resolve("bad.wav");
        assertIllegal("sampleRate 0 is out of range: use 1 to 768000 Hz",
                () -> WavWriter.create(file, 0, 2, SampleFormat.PCM_16));
        assertIllegal("sampleRate 768001 is out of range: use 1 to 768000 Hz",
                () -> WavWriter.create(file, 768_001, 2, SampleFormat.PCM_16));
        assertIllegal("channels 0 is out of range: use 1 to 64",
                () -> WavWriter.create(file, 48_000, 0, SampleFormat.PCM_16));
        assertIllegal("channels 65 is out of range: use 1 to 64",
                () -> WavWriter.create(file, 48_000, 65, SampleFormat.PCM_16));
        assertFalse(Files.exists(file));
        assertDoesNotThrow(() -> WavWriter.create(file, 768_000, 64, SampleFormat.FLOAT_32).close());
        assertDoesNotThrow(() -> WavWriter.create(file, 1, 1, SampleFormat.PCM_16).close());
    }

    @Test
    void rejectsWriteArgumentsThatDoNotMatchTheFile() throws IOException {
        try (WavWriter writer = WavWriter.create(folder.resolve("args.wav"), 48_000, 2, SampleFormat.PCM_16)) {
            float[][] stereo = new float[2][10];
            assertIllegal("channels is null", () -> writer.write(null, 0, 1));
            assertIllegal("channels has 1 arrays but the file has 2 channels",
                    () -> writer.write(new float[1][10], 0, 1));
            assertIllegal("channels[1] is null", () -> writer.write(new float[][] {new float[10], null}, 0, 1));
            assertIllegal("offset -1 is negative", () -> writer.write(stereo, -1, 1));
            assertIllegal("frames -1 is negative", () -> writer.write(stereo, 0, -1));
            assertIllegal("channels[0] has 10 samples, too few for offset 5 + frames 6",
                    () -> writer.write(stereo, 5, 6));
            assertIllegal("channels[1] has 3 samples, too few for offset 0 + frames 4",
                    () -> writer.write(new float[][] {new float[10], new float[3]}, 0, 4));
            assertIllegal("channels[0] has 10 samples, too few for offset 2147483647 + frames 2147483647",
                    () -> writer.write(stereo, Integer.MAX_VALUE, Integer.MAX_VALUE));
            assertEquals(0, writer.framesWritten());
        }
    }

    @Test
    void reportsAMissingFolderInOneLine() {
        Path file = folder.resolve("no-such-folder").resolve("out.wav");

        IOException failure = assertThrows(IOException.class,
                () -> WavWriter.create(file, 48_000, 2, SampleFormat.PCM_16));

        assertEquals("cannot create " + file + ": its folder does not exist", failure.getMessage());
    }

    private static void assertIllegal(String message, Executable call) {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, failure.getMessage());
    }

    private static void assertOneLine(Exception failure) {
        assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
    }
}
