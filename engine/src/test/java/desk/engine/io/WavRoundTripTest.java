package desk.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WavRoundTripTest {
    private static final int FRAMES = 4099;
    private static final int[] WRITE_SIZES = {1, 7, 0, 1000, 64};

    @TempDir
    Path folder;

    static List<Arguments> layouts() {
        List<Arguments> layouts = new ArrayList<>();
        for (SampleFormat format : SampleFormat.values()) {
            for (int sampleRate : new int[] {44_100, 48_000, 96_000}) {
                for (int channels : new int[] {1, 2, 8}) {
                    layouts.add(Arguments.of(format, sampleRate, channels));
                }
            }
        }
        return layouts;
    }

    @ParameterizedTest(name = "{0} {1} Hz {2} ch")
    @MethodSource("layouts")
    void readsBackExactlyWhatWasWritten(SampleFormat format, int sampleRate, int channels) throws IOException {
        float[][] signal = representableSignal(format, channels, FRAMES, sampleRate * 31L + channels);
        Path file = folder.resolve("round-trip.wav");

        writeInPieces(file, sampleRate, format, signal);
        AudioFile read = WavReader.read(file);

        assertEquals(sampleRate, read.sampleRate());
        assertEquals(channels, read.channels());
        assertEquals(format, read.sourceFormat());
        assertEquals(format.bitsPerSample(), read.bitsPerSample());
        assertEquals(FRAMES, read.frames());
        for (int c = 0; c < channels; c++) {
            assertArrayEquals(signal[c], read.samples()[c], "channel " + c);
        }
        assertEquals(new AudioFileInfo(sampleRate, channels, format.bitsPerSample(), format.wavFormatTag(), FRAMES, null),
                WavReader.probe(file));
        long dataBytes = (long) FRAMES * channels * format.bytesPerSample();
        long headerBytes = format.isFloat() ? 58 : 44;
        assertEquals(headerBytes + dataBytes + (dataBytes & 1), Files.size(file));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void writesOfAnySizeGiveIdenticalFiles(SampleFormat format) throws IOException {
        int frames = 100_000;
        float[][] signal = representableSignal(format, 8, frames, 7);
        Path inOneCall = folder.resolve("one-call.wav");
        Path inPieces = folder.resolve("pieces.wav");

        try (WavWriter writer = WavWriter.create(inOneCall, 48_000, 8, format)) {
            writer.write(signal, 0, frames);
            assertEquals(frames, writer.framesWritten());
        }
        writeInPieces(inPieces, 48_000, format, signal);

        assertArrayEquals(Files.readAllBytes(inOneCall), Files.readAllBytes(inPieces));
        AudioFile read = WavReader.read(inOneCall);
        for (int c = 0; c < 8; c++) {
            assertArrayEquals(signal[c], read.samples()[c], "channel " + c);
        }
    }

    @Test
    void emptyFileRoundTrips() throws IOException {
        Path file = folder.resolve("empty.wav");
        WavWriter.create(file, 48_000, 2, SampleFormat.PCM_24).close();

        AudioFile read = WavReader.read(file);

        assertEquals(0, read.frames());
        assertEquals(2, read.channels());
        assertEquals(0.0, read.seconds());
    }

    static SampleFormat[] formats() {
        return SampleFormat.values();
    }

    /** Writes {@code signal} in calls of varied sizes (including zero) from a moving offset. */
    private static void writeInPieces(Path file, int sampleRate, SampleFormat format, float[][] signal)
            throws IOException {
        int frames = signal[0].length;
        try (WavWriter writer = WavWriter.create(file, sampleRate, signal.length, format)) {
            int offset = 0;
            for (int call = 0; offset < frames; call++) {
                int size = Math.min(WRITE_SIZES[call % WRITE_SIZES.length], frames - offset);
                writer.write(signal, offset, size);
                offset += size;
                assertEquals(offset, writer.framesWritten());
            }
        }
    }

    /**
     * A random signal the format holds exactly: multiples of 2<sup>1-bits</sup> over the whole integer range
     * (both extremes included) for PCM; for float, normal floats of any sign and size, some beyond full scale.
     */
    static float[][] representableSignal(SampleFormat format, int channels, int frames, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] signal = new float[channels][frames];
        int fullScale = 1 << (format.bitsPerSample() - 1);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                signal[c][i] = switch (format) {
                    case PCM_16, PCM_24 -> random.nextInt(-fullScale, fullScale) / (float) fullScale;
                    case FLOAT_32 -> randomNormalFloat(random);
                };
            }
            if (!format.isFloat()) {
                signal[c][0] = -1f;
                signal[c][1] = (fullScale - 1) / (float) fullScale;
            }
        }
        return signal;
    }

    private static float randomNormalFloat(SplittableRandom random) {
        float value = (float) random.nextDouble(-1.0, 1.0);
        return switch (random.nextInt(8)) {
            case 0 -> value * 4f;
            case 1 -> Math.copySign(Float.MIN_NORMAL, value) * (1 + random.nextInt(1000));
            default -> Math.abs(value) < Float.MIN_NORMAL ? 0.5f : value;
        };
    }
}
