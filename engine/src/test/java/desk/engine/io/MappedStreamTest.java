package desk.engine.io;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A mapped stream reads exactly what the same stream reads through system calls, in every format the desk writes,
 * mono and stereo, anywhere in the file and past its end; mixing adds, sample for sample, what reading and then
 * adding would; a file shorter than its header stays unmapped and fails as before.
 */
class MappedStreamTest {
    private static final int FRAMES = 30_000;

    static Stream<Arguments> formatsAndWidths() {
        return Stream.of(SampleFormat.values()).flatMap(format -> Stream.of(Arguments.of(format, 1),
                Arguments.of(format, 2)));
    }

    @ParameterizedTest(name = "{0}, {1} channels")
    @MethodSource("formatsAndWidths")
    void aMappedStreamReadsWhatSystemCallsRead(SampleFormat format, int channels, @TempDir Path folder)
            throws IOException {
        forRandomReads(format, channels, folder, (plain, mapped, frame, count, random, bytes) -> {
            float[][] expected = new float[channels][count + 3];
            float[][] actual = new float[channels][count + 3];
            plain.read(frame, count, expected, 3, bytes);
            mapped.read(frame, count, actual, 3, bytes);
            for (int c = 0; c < channels; c++) {
                assertArrayEquals(expected[c], actual[c], "channel " + c + " from frame " + frame + ", " + count);
            }
        });
    }

    @ParameterizedTest(name = "{0}, {1} channels")
    @MethodSource("formatsAndWidths")
    void mixingAddsWhatReadingAndThenAddingGives(SampleFormat format, int channels, @TempDir Path folder)
            throws IOException {
        forRandomReads(format, channels, folder, (plain, mapped, frame, count, random, bytes) -> {
            float gain = (float) (random.nextDouble() * 2);
            float[][] decoded = new float[channels][count];
            plain.read(frame, count, decoded, 0, bytes);
            float[][] expected = new float[2][count + 3];
            float[][] mixedPlain = new float[2][count + 3];
            float[][] mixedMapped = new float[2][count + 3];
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < count + 3; i++) {
                    float before = (float) (random.nextDouble() - 0.5);
                    mixedPlain[c][i] = before;
                    mixedMapped[c][i] = before;
                    expected[c][i] = i < 3 ? before : before + decoded[channels == 1 ? 0 : c][i - 3] * gain;
                }
            }
            plain.mix(frame, count, mixedPlain, 2, 3, gain, bytes);
            mapped.mix(frame, count, mixedMapped, 2, 3, gain, bytes);
            for (int c = 0; c < 2; c++) {
                String where = "channel " + c + " from frame " + frame + ", " + count + " frames";
                assertArrayEquals(expected[c], mixedPlain[c], where);
                assertArrayEquals(expected[c], mixedMapped[c], where + ", mapped");
            }
        });
    }

    /** One check of a read of {@code count} frames from {@code frame}, through a stream and its mapped twin. */
    private interface ReadCheck {
        void check(WavReader.Stream plain, WavReader.Stream mapped, long frame, int count, Random random,
                   ByteBuffer bytes) throws IOException;
    }

    /**
     * Writes a file of noise in {@code format}, opens it twice (once mapped) and runs {@code check} on 200 reads of
     * 1 to 4,096 frames from anywhere in it and past its end.
     */
    private static void forRandomReads(SampleFormat format, int channels, Path folder, ReadCheck check)
            throws IOException {
        Random random = new Random(format.ordinal() * 10L + channels);
        Path file = writeNoise(folder.resolve("noise.wav"), format, channels, random);
        try (WavReader.Stream plain = WavReader.stream(file); WavReader.Stream mapped = WavReader.stream(file)) {
            mapped.map();
            ByteBuffer bytes = ByteBuffer.allocate(4096 * channels * 4);
            for (int n = 0; n < 200; n++) {
                check.check(plain, mapped, random.nextInt(FRAMES + 100), 1 + random.nextInt(4096), random, bytes);
            }
        }
    }

    private static Path writeNoise(Path file, SampleFormat format, int channels, Random random) throws IOException {
        float[][] samples = new float[channels][FRAMES];
        for (float[] channel : samples) {
            for (int i = 0; i < FRAMES; i++) {
                channel[i] = (float) (random.nextDouble() * 2 - 1);
            }
            channel[7] = Float.MIN_VALUE;
        }
        try (WavWriter writer = WavWriter.create(file, 48000, channels, format)) {
            writer.write(samples, 0, FRAMES);
        }
        return file;
    }

    @ParameterizedTest(name = "{0}, {1} channels")
    @MethodSource("formatsAndWidths")
    void aFileShorterThanItsHeaderSaysStaysUnmappedAndFailsAsBefore(SampleFormat format, int channels,
                                                                    @TempDir Path folder) throws IOException {
        Path file = folder.resolve("cut.wav");
        try (WavWriter writer = WavWriter.create(file, 48000, channels, format)) {
            writer.write(new float[channels][FRAMES], 0, FRAMES);
        }
        try (WavReader.Stream stream = WavReader.stream(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() / 2);
            }
            stream.map();
            assertThrows(EOFException.class, () -> stream.read(FRAMES - 10, 10, new float[channels][10], 0,
                    ByteBuffer.allocate(10 * channels * 4)));
        }
    }
}
