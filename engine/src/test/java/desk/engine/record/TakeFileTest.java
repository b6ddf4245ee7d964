package desk.engine.record;

import desk.engine.io.AudioFile;
import desk.engine.io.AudioFileInfo;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Take files: Broadcast Wave with bext, valid after every append, RF64 past the RIFF limit, never overwritten. */
class TakeFileTest {
    private static final LocalDateTime ORIGIN = LocalDateTime.of(2026, 3, 4, 5, 6, 7);

    @TempDir
    Path folder;

    private static float[] ramp(int samples, float scale) {
        float[] x = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = scale * ((i % 200) - 100) / 100f;
        }
        return x;
    }

    private static ByteBuffer bytes(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String tag(ByteBuffer b, int at) {
        byte[] t = new byte[4];
        b.get(at, t);
        return new String(t, StandardCharsets.US_ASCII);
    }

    @Test
    void theBextChunkCarriesTheOriginationAndTheTimeReference() throws IOException {
        Path file = folder.resolve("Vox-001.wav");
        try (TakeFile take = TakeFile.create(file, 48000, 2, SampleFormat.PCM_24, ORIGIN, TakeFile.RIFF_LIMIT,
                TakeFile.NEW_FILE)) {
            take.timeReference(123_456_789_012L);
            take.append(ramp(20, 0.5f), 10);
        }
        ByteBuffer b = bytes(file);
        assertEquals("RIFF", tag(b, 0));
        assertEquals("bext", tag(b, 48));
        assertEquals(602, b.getInt(52));
        assertEquals("2026-03-04", new String(Arrays.copyOfRange(b.array(), 56 + 320, 56 + 330), StandardCharsets.US_ASCII));
        assertEquals("05:06:07", new String(Arrays.copyOfRange(b.array(), 56 + 330, 56 + 338), StandardCharsets.US_ASCII));
        assertEquals(123_456_789_012L, b.getLong(56 + 338));
        assertEquals(123_456_789_012L, TakeFile.timeReference(file));
        assertEquals(TakeFile.HEADER_BYTES + 60, Files.size(file));
        assertEquals(Files.size(file) - 8, Integer.toUnsignedLong(b.getInt(4)));
        AudioFileInfo info = WavReader.probe(file);
        assertEquals(2, info.channels());
        assertEquals(24, info.bitsPerSample());
        assertEquals(10, info.frames());
    }

    @Test
    void theFileIsAValidWavOfWhatWasWrittenAfterEveryAppend() throws IOException {
        Path file = folder.resolve("Gtr-001.wav");
        float[] samples = ramp(3000, 0.25f);
        TakeFile take = TakeFile.create(file, 44100, 1, SampleFormat.FLOAT_32, ORIGIN, TakeFile.RIFF_LIMIT,
                TakeFile.NEW_FILE);
        for (int written = 1000; written <= 3000; written += 1000) {
            take.append(Arrays.copyOfRange(samples, written - 1000, written), 1000);
            AudioFile read = WavReader.read(file);
            assertArrayEquals(Arrays.copyOf(samples, written), read.samples()[0], "after " + written + " frames");
        }
        take.close();
    }

    @Test
    void pastTheRiffLimitTheFileTurnsRf64AndReadsWhole() throws IOException {
        Path file = folder.resolve("Long-001.wav");
        float[] samples = ramp(4000, 0.9f);
        long limit = TakeFile.HEADER_BYTES - 8 + 2 * 3 * 1000 + 10;
        try (TakeFile take = TakeFile.create(file, 48000, 2, SampleFormat.PCM_24, ORIGIN, limit, TakeFile.NEW_FILE)) {
            take.append(Arrays.copyOfRange(samples, 0, 2000), 1000);
            assertFalse(take.rf64());
            assertEquals("RIFF", tag(bytes(file), 0));
            take.append(Arrays.copyOfRange(samples, 2000, 4000), 1000);
            assertTrue(take.rf64());
        }
        ByteBuffer b = bytes(file);
        assertEquals("RF64", tag(b, 0));
        assertEquals("ds64", tag(b, 12));
        assertEquals(0xFFFFFFFF, b.getInt(4));
        assertEquals(0xFFFFFFFF, b.getInt(710));
        assertEquals(Files.size(file) - 8, b.getLong(20), "ds64 RIFF size");
        assertEquals(12_000, b.getLong(28), "ds64 data size");
        assertEquals(2000, b.getLong(36), "ds64 sample count");
        AudioFile read = WavReader.read(file);
        assertEquals(2000, read.frames());
        assertEquals(Math.round(samples[3998] * 8388608) / 8388608f, read.samples()[0][1999], 1e-7);
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws IOException {
        Path file = Files.writeString(folder.resolve("Keys-001.wav"), "an earlier take");
        IOException refused = assertThrows(IOException.class, () -> TakeFile.create(file, 48000, 1,
                SampleFormat.PCM_24, ORIGIN, TakeFile.RIFF_LIMIT, TakeFile.NEW_FILE));
        assertEquals("take " + file + " exists already: takes are never overwritten", refused.getMessage());
        assertEquals("an earlier take", Files.readString(file));
    }
}
