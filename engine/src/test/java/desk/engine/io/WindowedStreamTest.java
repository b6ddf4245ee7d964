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
 * Reads through a stream's window give exactly what reads through a buffer of one's own give, in every format the
 * desk writes, mono and stereo: runs of reads that go on where the last ended (read ahead, across the window's
 * end), reads anywhere else, and reads past the end of the file; mixing adds, sample for sample, what reading and
 * then adding would; a file that becomes shorter than its header fails the read that meets its end, every time.
 */
class WindowedStreamTest {
    private static final int FRAMES = 60_000;

    static Stream<Arguments> formatsAndWidths() {
        return Stream.of(SampleFormat.values()).flatMap(format -> Stream.of(Arguments.of(format, 1),
                Arguments.of(format, 2)));
    }

    @ParameterizedTest(name = "{0}, {1} channels")
    @MethodSource("formatsAndWidths")
    void readsThroughTheWindowGiveWhatReadsThroughABufferGive(SampleFormat format, int channels, @TempDir Path folder)
            throws IOException {
        forRandomReads(format, channels, folder, (plain, windowed, frame, count, random, bytes) -> {
            float[][] expected = new float[channels][count + 3];
            float[][] actual = new float[channels][count + 3];
            plain.read(frame, count, expected, 3, bytes);
            windowed.read(frame, count, actual, 3, null);
            for (int c = 0; c < channels; c++) {
                assertArrayEquals(expected[c], actual[c], "channel " + c + " from frame " + frame + ", " + count);
            }
        });
    }

    @ParameterizedTest(name = "{0}, {1} channels")
    @MethodSource("formatsAndWidths")
    void mixingAddsWhatReadingAndThenAddingGives(SampleFormat format, int channels, @TempDir Path folder)
            throws IOException {
        forRandomReads(format, channels, folder, (plain, windowed, frame, count, random, bytes) -> {
            float gain = (float) (random.nextDouble() * 2);
            float[][] decoded = new float[channels][count];
            plain.read(frame, count, decoded, 0, bytes);
            float[][] expected = new float[2][count + 3];
            float[][] mixedPlain = new float[2][count + 3];
            float[][] mixedWindowed = new float[2][count + 3];
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < count + 3; i++) {
                    float before = (float) (random.nextDouble() - 0.5);
                    mixedPlain[c][i] = before;
                    mixedWindowed[c][i] = before;
                    expected[c][i] = i < 3 ? before : before + decoded[channels == 1 ? 0 : c][i - 3] * gain;
                }
            }
            plain.mix(frame, count, mixedPlain, 2, 3, gain, bytes);
            windowed.mix(frame, count, mixedWindowed, 2, 3, gain, null);
            for (int c = 0; c < 2; c++) {
                String where = "channel " + c + " from frame " + frame + ", " + count + " frames";
                assertArrayEquals(expected[c], mixedPlain[c], where);
                assertArrayEquals(expected[c], mixedWindowed[c], where + ", through the window");
            }
        });
    }

    /** One check of a read of {@code count} frames from {@code frame}, through a buffer and through a window. */
    private interface ReadCheck {
        void check(WavReader.Stream plain, WavReader.Stream windowed, long frame, int count, Random random,
                   ByteBuffer bytes) throws IOException;
    }

    /**
     * Writes a file of noise in {@code format}, opens it twice and runs {@code check} on 60 runs of 1 to 12 reads
     * of 1 to 4,096 frames each, every read of a run going on where the last ended, the runs starting anywhere in
     * the file and past its end.
     */
    private static void forRandomReads(SampleFormat format, int channels, Path folder, ReadCheck check)
            throws IOException {
        Random random = new Random(format.ordinal() * 10L + channels);
        Path file = writeNoise(folder.resolve("noise.wav"), format, channels, FRAMES, random);
        try (WavReader.Stream plain = WavReader.stream(file); WavReader.Stream windowed = WavReader.stream(file)) {
            windowed.openWindow();
            ByteBuffer bytes = ByteBuffer.allocate(4096 * channels * 4);
            for (int run = 0; run < 60; run++) {
                long frame = random.nextInt(FRAMES + 100);
                for (int n = 1 + random.nextInt(12); n > 0; n--) {
                    int count = 1 + random.nextInt(4096);
                    check.check(plain, windowed, frame, count, random, bytes);
                    frame += count;
                }
            }
        }
    }

    private static Path writeNoise(Path file, SampleFormat format, int channels, int frames, Random random)
            throws IOException {
        float[][] samples = new float[channels][frames];
        for (float[] channel : samples) {
            for (int i = 0; i < frames; i++) {
                channel[i] = (float) (random.nextDouble() * 2 - 1);
            }
            channel[7] = Float.MIN_VALUE;
        }
        try (WavWriter writer = WavWriter.create(file, 48000, channels, format)) {
            writer.write(samples, 0, frames);
        }
        return file;
    }

    @ParameterizedTest(name = "{0}, {1} channels")
    @MethodSource("formatsAndWidths")
    void aFileCutShortUnderItsReaderFailsTheReadThatMeetsItsEndAndNoOther(SampleFormat format, int channels,
                                                                          @TempDir Path folder) throws IOException {
        int window = WavReader.Stream.WINDOW_BYTES / (channels * format.bytesPerSample());
        int frames = 3 * window;
        Path file = writeNoise(folder.resolve("cut.wav"), format, channels, frames, new Random(7));
        try (WavReader.Stream stream = WavReader.stream(file); WavReader.Stream plain = WavReader.stream(file)) {
            float[][] scratch = new float[channels][window];
            stream.read(0, 10, scratch, 0, null);
            stream.read(10, 10, scratch, 0, null);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() - (long) (frames - window / 2) * channels * format.bytesPerSample());
            }
            assertThrows(EOFException.class, () -> stream.read(20, window, scratch, 0, null));
            float[][] expected = new float[channels][10];
            float[][] actual = new float[channels][10];
            plain.read(10, 10, expected, 0, ByteBuffer.allocate(10 * channels * format.bytesPerSample()));
            stream.read(10, 10, actual, 0, null);
            for (int c = 0; c < channels; c++) {
                assertArrayEquals(expected[c], actual[c], "channel " + c + " of frames 10..20, read again");
            }
            for (ByteBuffer bytes : new ByteBuffer[] {null, ByteBuffer.allocate(10 * channels * 8)}) {
                assertThrows(EOFException.class, () -> stream.read(frames - 10, 10, new float[channels][10], 0,
                        bytes));
            }
        }
    }
}
