package desk.engine.io;

import static desk.engine.io.AudioFileInfo.WAVE_FORMAT_IEEE_FLOAT;
import static desk.engine.io.AudioFileInfo.WAVE_FORMAT_PCM;
import static desk.engine.io.WavBytes.ascii;
import static desk.engine.io.WavBytes.float32;
import static desk.engine.io.WavBytes.float64;
import static desk.engine.io.WavBytes.fmt;
import static desk.engine.io.WavBytes.fmtExtensible;
import static desk.engine.io.WavBytes.hex;
import static desk.engine.io.WavBytes.pcm16;
import static desk.engine.io.WavBytes.pcm24;
import static desk.engine.io.WavBytes.pcm32;
import static desk.engine.io.WavBytes.pcm8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {
    private static final String SUPPORTED = "; Desk reads PCM 8/16/24/32-bit and 32/64-bit float";
    private static final float Q7 = 0x1p-7f;
    private static final float Q15 = 0x1p-15f;
    private static final float Q23 = 0x1p-23f;
    private static final float Q31 = 0x1p-31f;

    @TempDir
    Path folder;

    // The next three files are byte-for-byte copies of short 1 kHz sines written by SoX; the expected samples
    // are the values SoX itself decodes from them.
    @Test
    void readsSoxExtensible24BitStereo() throws IOException {
        Path file = Files.write(folder.resolve("sox-24.wav"), hex("""
                524946466000000057415645666d742028000000feff0200401f000080bb0000060018001600180003000000
                0100000000001000800000aa00389b716661637404000000040000006461746118000000
                aab005aab005b3fe2bb3fe2be7f540e7f54074002c74002c"""));

        AudioFile audio = WavReader.read(file);

        assertEquals(8000, audio.sampleRate());
        assertEquals(2, audio.channels());
        assertEquals(24, audio.bitsPerSample());
        assertEquals(SampleFormat.PCM_24, audio.sourceFormat());
        float[] expected = {0x05B0AA * Q23, 0x2BFEB3 * Q23, 0x40F5E7 * Q23, 0x2C0074 * Q23};
        assertArrayEquals(expected, audio.samples()[0]);
        assertArrayEquals(expected, audio.samples()[1]);
        assertEquals(0.044453859329f, audio.samples()[0][0], 1e-9f);
    }

    @Test
    void readsSoxUnsigned8BitMonoWithPadByte() throws IOException {
        Path file = Files.write(folder.resolve("sox-8.wav"), hex("""
                524946462a00000057415645666d74201000000001000100401f0000401f000001000800
                646174610500000084adbeb07c00"""));

        AudioFile audio = WavReader.read(file);

        assertEquals(1, audio.channels());
        assertEquals(8, audio.bitsPerSample());
        assertNull(audio.sourceFormat());
        assertArrayEquals(new float[] {0.03125f, 0.3515625f, 0.484375f, 0.375f, -0.03125f}, audio.samples()[0]);
    }

    @Test
    void readsSoxFloat32WithFactChunk() throws IOException {
        Path file = Files.write(folder.resolve("sox-float.wav"), hex("""
                524946464200000057415645666d74201200000003000100401f0000007d0000040020000000
                6661637404000000040000006461746110000000605e803da021f83e5430373f842bf83e"""));

        AudioFile audio = WavReader.read(file);

        assertEquals(SampleFormat.FLOAT_32, audio.sourceFormat());
        assertArrayEquals(new float[] {
                Float.intBitsToFloat(0x3D805E60), Float.intBitsToFloat(0x3EF821A0),
                Float.intBitsToFloat(0x3F373054), Float.intBitsToFloat(0x3EF82B84)}, audio.samples()[0]);
    }

    @Test
    void readsExtensible24BitAfterListAndOddSizedChunks() throws IOException {
        Path file = new WavBytes()
                .chunk("LIST", ascii("INFOISFT\u0005\0\0\0Desk\0"))
                .chunk("bext", new byte[] {1, 2, 3})
                .chunk("fmt ", fmtExtensible(WAVE_FORMAT_PCM, 2, 44_100, 24, 24))
                .chunk("junk", new byte[1])
                .chunk("data", pcm24(-8_388_608, 8_388_607, 1, -1, 0x123456, -0x123456))
                .chunk("id3 ", new byte[7])
                .writeTo(folder.resolve("extensible-24.wav"));

        AudioFile audio = WavReader.read(file);

        assertEquals(44_100, audio.sampleRate());
        assertEquals(SampleFormat.PCM_24, audio.sourceFormat());
        assertEquals(24, audio.bitsPerSample());
        assertArrayEquals(new float[] {-1f, Q23, 0x123456 * Q23}, audio.samples()[0]);
        assertArrayEquals(new float[] {8_388_607 * Q23, -Q23, -0x123456 * Q23}, audio.samples()[1]);
    }

    @Test
    void readsUnsigned8BitAfterListChunk() throws IOException {
        Path file = new WavBytes()
                .chunk("LIST", ascii("INFOICMT\u0003\0\0\0hi\0\0"))
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 1, 22_050, 8))
                .chunk("data", pcm8(0, 128, 255, 1, 127))
                .writeTo(folder.resolve("unsigned-8.wav"));

        AudioFile audio = WavReader.read(file);

        assertEquals(22_050, audio.sampleRate());
        assertEquals(8, audio.bitsPerSample());
        assertNull(audio.sourceFormat());
        assertArrayEquals(new float[] {-1f, 0f, 127 * Q7, -127 * Q7, -Q7}, audio.samples()[0]);
    }

    @Test
    void pcm16FullScaleNegativeIsExactlyMinusOne() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 1, 48_000, 16))
                .chunk("data", pcm16(-32_768, 32_767, 1, -1, 0))
                .writeTo(folder.resolve("pcm-16.wav"));

        assertArrayEquals(new float[] {-1f, 32_767 * Q15, Q15, -Q15, 0f}, WavReader.read(file).samples()[0]);
    }

    @Test
    void readsPcm32() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 1, 48_000, 32))
                .chunk("data", pcm32(Integer.MIN_VALUE, 1 << 30, 256, -256, 0))
                .writeTo(folder.resolve("pcm-32.wav"));

        AudioFile audio = WavReader.read(file);

        assertEquals(32, audio.bitsPerSample());
        assertNull(audio.sourceFormat());
        assertArrayEquals(new float[] {-1f, 0.5f, 256 * Q31, -256 * Q31, 0f}, audio.samples()[0]);
    }

    @Test
    void extensibleValidBitsSetThePrecision() throws IOException {
        Path in32 = new WavBytes()
                .chunk("fmt ", fmtExtensible(WAVE_FORMAT_PCM, 1, 48_000, 32, 24))
                .chunk("data", pcm32(0x12345600, Integer.MIN_VALUE))
                .writeTo(folder.resolve("24-in-32.wav"));
        Path in24 = new WavBytes()
                .chunk("fmt ", fmtExtensible(WAVE_FORMAT_PCM, 1, 48_000, 24, 20))
                .chunk("data", pcm24(0x123450))
                .writeTo(folder.resolve("20-in-24.wav"));

        AudioFile audio32 = WavReader.read(in32);
        AudioFile audio24 = WavReader.read(in24);

        assertEquals(24, audio32.bitsPerSample());
        assertEquals(SampleFormat.PCM_24, audio32.sourceFormat());
        assertArrayEquals(new float[] {0x123456 * Q23, -1f}, audio32.samples()[0]);
        assertEquals(20, audio24.bitsPerSample());
        assertEquals(SampleFormat.PCM_24, audio24.sourceFormat());
        assertArrayEquals(new float[] {0x123450 * Q23}, audio24.samples()[0]);
    }

    @Test
    void plainPcmWithBitsBelowTheContainerIsScaledByTheContainer() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 1, 8000, 12))
                .chunk("data", pcm16(0x7FF0, -32_768))
                .writeTo(folder.resolve("pcm-12.wav"));

        AudioFile audio = WavReader.read(file);

        assertEquals(12, audio.bitsPerSample());
        assertEquals(SampleFormat.PCM_16, audio.sourceFormat());
        assertArrayEquals(new float[] {0x7FF0 * Q15, -1f}, audio.samples()[0]);
    }

    @Test
    void float32FlushesSubnormalsAndKeepsNonFiniteValuesForTheStripToCount() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_IEEE_FLOAT, 1, 48_000, 32))
                .chunk("data", float32(0.5f, Float.MIN_VALUE, -1e-40f, Float.MIN_NORMAL, -Float.MIN_NORMAL,
                        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 3f))
                .writeTo(folder.resolve("float-32.wav"));

        assertArrayEquals(new float[] {0.5f, 0f, 0f, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.NaN,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, 3f},
                WavReader.read(file).samples()[0]);
    }

    @Test
    void float64IsNarrowedAndFlushed() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_IEEE_FLOAT, 2, 96_000, 64))
                .chunk("data", float64(0.25, -0.75, 1e-300, 1e-39, Double.NaN, 1e300, 1 / 3.0, -Double.MIN_VALUE))
                .writeTo(folder.resolve("float-64.wav"));

        AudioFile audio = WavReader.read(file);

        assertEquals(64, audio.bitsPerSample());
        assertNull(audio.sourceFormat());
        assertArrayEquals(new float[] {0.25f, 0f, Float.NaN, (float) (1 / 3.0)}, audio.samples()[0]);
        assertArrayEquals(new float[] {-0.75f, 0f, Float.POSITIVE_INFINITY, 0f}, audio.samples()[1]);
    }

    @Test
    void readsExtensibleFloat() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmtExtensible(WAVE_FORMAT_IEEE_FLOAT, 2, 48_000, 32, 32))
                .chunk("data", float32(0.125f, -0.125f))
                .writeTo(folder.resolve("extensible-float.wav"));

        AudioFile audio = WavReader.read(file);

        assertEquals(SampleFormat.FLOAT_32, audio.sourceFormat());
        assertArrayEquals(new float[] {0.125f}, audio.samples()[0]);
        assertArrayEquals(new float[] {-0.125f}, audio.samples()[1]);
    }

    @Test
    void truncatedDataChunkIsRefusedNamingTheSizesAndOffsets() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 2, 48_000, 16))
                .chunk("data", 1000, pcm16(1, 2, 3, 4, 5))
                .writeTo(folder.resolve("truncated.wav"));

        assertReadFails(file, file + ": data chunk says 1000 bytes at byte 44 but the file ends at byte 54 (truncated)");
        TruncatedWavException refusal = assertThrows(TruncatedWavException.class, () -> WavReader.stream(file));
        assertEquals(2, refusal.info().frames());
    }

    @Test
    void truncatedDataChunkAllowedReadsTheWholeFramesThatArePresent() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 2, 48_000, 16))
                .chunk("data", 1000, pcm16(1, 2, 3, 4, 5))
                .writeTo(folder.resolve("truncated.wav"));

        AudioFile audio = WavReader.read(file, Truncation.ALLOW);
        AudioFileInfo info = WavReader.probe(file, Truncation.ALLOW);

        assertArrayEquals(new float[] {Q15, 3 * Q15}, audio.samples()[0]);
        assertArrayEquals(new float[] {2 * Q15, 4 * Q15}, audio.samples()[1]);
        assertEquals(2, info.frames());
        assertEquals(new TruncatedData(44, 1000, 54), info.truncatedData());
    }

    @Test
    void wholeFileHasNoTruncatedData() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 1, 48_000, 16))
                .chunk("data", pcm16(1, 2, 3))
                .writeTo(folder.resolve("whole.wav"));

        assertNull(WavReader.probe(file, Truncation.ALLOW).truncatedData());
    }

    @Test
    void streamedDataSizeReadsToTheEndOfTheFile() throws IOException {
        Path file = new WavBytes()
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 1, 48_000, 16))
                .chunk("data", 0xFFFF_FFFFL, pcm16(7, 8, 9))
                .writeTo(folder.resolve("streamed.wav"));

        assertArrayEquals(new float[] {7 * Q15, 8 * Q15, 9 * Q15}, WavReader.read(file).samples()[0]);
    }

    @Test
    void dataChunkMayComeBeforeFmt() throws IOException {
        Path file = new WavBytes()
                .chunk("data", pcm16(100, -100))
                .chunk("fmt ", fmt(WAVE_FORMAT_PCM, 1, 32_000, 16))
                .writeTo(folder.resolve("data-first.wav"));

        AudioFile audio = WavReader.read(file);

        assertEquals(32_000, audio.sampleRate());
        assertArrayEquals(new float[] {100 * Q15, -100 * Q15}, audio.samples()[0]);
    }

    @Test
    void probeReportsTheHeaderWithoutTheSamples() throws IOException {
        Path file = new WavBytes()
                .chunk("LIST", new byte[3])
                .chunk("fmt ", fmtExtensible(WAVE_FORMAT_PCM, 6, 48_000, 24, 24))
                .chunk("data", new byte[6 * 3 * 480])
                .writeTo(folder.resolve("probe.wav"));

        AudioFileInfo info = WavReader.probe(file);

        assertEquals(new AudioFileInfo(48_000, 6, 24, WAVE_FORMAT_PCM, 480, null), info);
        assertEquals(0.01, info.seconds(), 1e-12);
    }

    @Test
    void missingFileIsNoSuchFileNamingIt() {
        Path file = folder.resolve("absent.wav");

        IOException failure = assertThrows(IOException.class, () -> WavReader.read(file));

        assertInstanceOf(NoSuchFileException.class, failure);
        assertEquals(file + ": file not found", failure.getMessage());
    }

    @Test
    void folderIsRejected() {
        assertReadFails(folder, folder + " is a folder, not a WAV file");
    }

    @Test
    void filesWithoutRiffWaveHeaderAreNotWav() throws IOException {
        String noRiff = ": not a WAV file (no RIFF/RF64 header at byte 0)";
        String noWave = ": not a WAV file (no WAVE form type at byte 8)";
        Path empty = Files.write(folder.resolve("empty.wav"), new byte[0]);
        Path text = Files.writeString(folder.resolve("text.wav"), "this is a text file, not audio at all");
        Path avi = Files.write(folder.resolve("avi.wav"), hex("52494646 04000000 41564920"));
        Path shortRiff = Files.write(folder.resolve("short.wav"), ascii("RIFF"));

        Path noise = Files.write(folder.resolve("noise.wav"), randomBytes(4096));

        assertReadFails(empty, empty + noRiff);
        assertReadFails(text, text + noRiff);
        assertReadFails(noise, noise + noRiff);
        assertReadFails(avi, avi + noWave);
        assertReadFails(shortRiff, shortRiff + noWave);
    }

    @Test
    void otherRiffVariantsAreNamed() throws IOException {
        Path rf64 = new WavBytes().container("RF64").chunk("JUNK", new byte[28])
                .writeTo(folder.resolve("rf64.wav"));
        Path rifx = new WavBytes().container("RIFX").writeTo(folder.resolve("rifx.wav"));

        assertReadFails(rf64, rf64 + " is an RF64 file without a ds64 chunk");
        assertReadFails(rifx, rifx + " is a big-endian RIFX file; Desk reads little-endian RIFF WAV files");
    }

    @Test
    void missingChunksAreNamed() throws IOException {
        Path noFmt = new WavBytes().chunk("LIST", new byte[4]).chunk("data", pcm16(1, 2))
                .writeTo(folder.resolve("no-fmt.wav"));
        Path noData = new WavBytes().chunk("fmt ", fmt(WAVE_FORMAT_PCM, 1, 48_000, 16)).chunk("LIST", new byte[5])
                .writeTo(folder.resolve("no-data.wav"));
        Path nothing = new WavBytes().writeTo(folder.resolve("nothing.wav"));

        assertReadFails(noFmt, noFmt + " has no fmt chunk");
        assertReadFails(noData, noData + " has no data chunk");
        assertReadFails(nothing, nothing + " has no fmt chunk");
    }

    @Test
    void unsupportedEncodingsAreNamed() throws IOException {
        Path adpcm = withFormat("adpcm.wav", fmt(0x0002, 1, 44_100, 4));
        Path unknown = withFormat("unknown.wav", fmt(0x1234, 1, 44_100, 16));
        Path extensibleMp3 = withFormat("extensible-mp3.wav", fmtExtensible(0x0055, 2, 44_100, 16, 16));
        Path float16 = withFormat("float-16.wav", fmt(WAVE_FORMAT_IEEE_FLOAT, 1, 44_100, 16));
        Path pcm40 = withFormat("pcm-40.wav", fmt(WAVE_FORMAT_PCM, 1, 44_100, 40));
        Path pcm0 = withFormat("pcm-0.wav", fmt(WAVE_FORMAT_PCM, 1, 44_100, 0));

        assertReadFails(adpcm, adpcm + " uses unsupported encoding tag 0x0002 (ADPCM)" + SUPPORTED);
        assertReadFails(unknown, unknown + " uses unsupported encoding tag 0x1234" + SUPPORTED);
        assertReadFails(extensibleMp3,
                extensibleMp3 + " uses unsupported encoding tag 0x0055 (MP3) inside WAVE_FORMAT_EXTENSIBLE" + SUPPORTED);
        assertReadFails(float16, float16 + " uses unsupported 16-bit float" + SUPPORTED);
        assertReadFails(pcm40, pcm40 + " uses unsupported 40-bit PCM" + SUPPORTED);
        assertReadFails(pcm0, pcm0 + " uses unsupported 0-bit PCM" + SUPPORTED);
    }

    @Test
    void malformedFmtChunksAreNamed() throws IOException {
        Path tooShort = withFormat("short-fmt.wav", new byte[12]);
        Path truncated = Files.write(folder.resolve("truncated-fmt.wav"),
                hex("52494646 14000000 57415645 666d7420 10000000 01000100"));
        Path noChannels = withFormat("no-channels.wav", fmt(WAVE_FORMAT_PCM, 0, 44_100, 16));
        Path noRate = withFormat("no-rate.wav", fmt(WAVE_FORMAT_PCM, 1, 0, 16));
        byte[] extensibleWithoutSubformat = fmt(WAVE_FORMAT_IEEE_FLOAT, 1, 44_100, 32);
        extensibleWithoutSubformat[0] = (byte) 0xFE;
        extensibleWithoutSubformat[1] = (byte) 0xFF;
        Path bareExtensible = withFormat("bare-extensible.wav", extensibleWithoutSubformat);

        assertReadFails(tooShort, tooShort + " has a fmt chunk of 12 bytes, too short for a WAV format");
        assertReadFails(truncated, truncated + " has a truncated fmt chunk");
        assertReadFails(noChannels, noChannels + " declares 0 channels");
        assertReadFails(noRate, noRate + " declares an invalid sample rate of 0 Hz");
        assertReadFails(bareExtensible,
                bareExtensible + " has a WAVE_FORMAT_EXTENSIBLE fmt chunk without its subformat");
    }

    @Test
    void readsTheEbuLoudnessReferenceFile() throws IOException {
        Path file = Path.of(System.getProperty("user.dir"))
                .resolve("../../shared/ebu-loudness/seq-3341-1-16bit.wav").normalize();
        Assumptions.assumeTrue(Files.isRegularFile(file),
                "the EBU loudness set is a shared asset beside the repository, absent here");

        AudioFile audio = WavReader.read(file);

        assertEquals(48_000, audio.sampleRate());
        assertEquals(2, audio.channels());
        assertEquals(16, audio.bitsPerSample());
        assertEquals(SampleFormat.PCM_16, audio.sourceFormat());
        assertEquals(960_000, audio.frames());
        assertEquals(20.0, audio.seconds(), 1e-9);
        float peak = 0f;
        for (float[] channel : audio.samples()) {
            for (float sample : channel) {
                assertTrue(sample >= -1f && sample <= 1f, "sample " + sample + " outside -1..1");
                peak = Math.max(peak, Math.abs(sample));
            }
        }
        assertTrue(peak > 0.01f, "the reference tone should not be silent, peak " + peak);
        assertEquals(new AudioFileInfo(48_000, 2, 16, WAVE_FORMAT_PCM, 960_000, null), WavReader.probe(file));
    }

    private Path withFormat(String name, byte[] fmt) throws IOException {
        return new WavBytes().chunk("fmt ", fmt).chunk("data", new byte[8]).writeTo(folder.resolve(name));
    }

    /** Random bytes that do not start with "RIFF", "RF64" or "RIFX". */
    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(13).nextBytes(bytes);
        bytes[0] = 0x7F;
        return bytes;
    }

    private static void assertReadFails(Path file, String message) {
        IOException readFailure = assertThrows(IOException.class, () -> WavReader.read(file));
        IOException probeFailure = assertThrows(IOException.class, () -> WavReader.probe(file));
        assertEquals(message, readFailure.getMessage());
        assertEquals(message, probeFailure.getMessage());
        assertFalse(message.contains("\n"));
    }
}
