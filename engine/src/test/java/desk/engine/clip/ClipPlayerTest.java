package desk.engine.clip;

import desk.engine.EngineCommand;
import desk.engine.LoopRange;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A player that reads on the render thread (offline renders): the exact samples of its clips, gains and fades
 * applied, at any block size and round a loop, with no reader thread running; a file that fails plays as silence
 * and is reported once.
 */
class ClipPlayerTest {
    private static final int RATE = 48000;
    private final Map<Path, WavReader.Stream> files = new HashMap<>();
    private final ClipReader reader = new ClipReader();

    @AfterEach
    void close() throws Exception {
        reader.close();
        for (WavReader.Stream stream : files.values()) {
            stream.close();
        }
    }

    @Test
    void readsTheExactSamplesOfItsClipsAtRandomBlockSizesWithoutAReaderThread(@TempDir Path folder) throws Exception {
        float[] ramp = ramp(20_000);
        Path file = write(folder.resolve("ramp.wav"), ramp);
        long position = 3_000;
        long offset = 500;
        long length = 15_000;
        long fadeIn = 1_000;
        long fadeOut = 2_000;
        double gainDb = -6;
        PlaybackClip clip = PlaybackClip.check(new EngineCommand.Clip(file, offset, length, position, gainDb, fadeIn,
                fadeOut, false), RATE, 2, 1, files);
        ClipPlayer player = offlinePlayer(clip);

        Random random = new Random(7);
        double gain = Math.pow(10, gainDb / 20);
        for (long at = 0; at < 20_000; ) {
            int block = 1 + random.nextInt(desk.engine.Limits.MAX_BLOCK);
            player.rtRender(true, at, block, null);
            for (int i = 0; i < block; i++) {
                long k = at + i - position;
                float expected = 0f;
                if (k >= 0 && k < length) {
                    double g = gain;
                    if (k < fadeIn) {
                        g *= (double) k / fadeIn;
                    }
                    if (k >= length - fadeOut) {
                        g *= (double) (length - 1 - k) / fadeOut;
                    }
                    expected = ramp[(int) (offset + k)] * (float) g;
                }
                assertEquals(expected, player.rtOut()[0][i], 0f, "frame " + (at + i));
            }
            at += block;
        }
        assertEquals(0, player.framesMissed(), "an offline render never misses a frame");
        assertTrue(reader.problems().isEmpty(), reader.problems().toString());
    }

    @Test
    void goesRoundALoopOnTheFramesOfTheTimeline(@TempDir Path folder) throws Exception {
        float[] ramp = ramp(10_000);
        Path file = write(folder.resolve("ramp.wav"), ramp);
        PlaybackClip clip = PlaybackClip.check(new EngineCommand.Clip(file, 0, 10_000, 0, 0, 0, 0, false), RATE, 2, 1,
                files);
        ClipPlayer player = offlinePlayer(clip);
        LoopRange loop = new LoopRange(2_000, 2_300);

        player.rtRender(true, 2_200, 100, loop);
        assertEquals(ramp[2_299], player.rtOut()[0][99], 0f, "the last frame before the loop end");
        player.rtRender(true, 2_000, 100, loop);
        assertEquals(ramp[2_000], player.rtOut()[0][0], 0f, "back at the loop start");
    }

    @Test
    void aFileThatFailsPlaysAsSilenceAndIsReportedOnce(@TempDir Path folder) throws Exception {
        Path file = write(folder.resolve("short-lived.wav"), ramp(20_000));
        PlaybackClip clip = PlaybackClip.check(new EngineCommand.Clip(file, 0, 20_000, 0, 0, 0, 0, false), RATE, 2, 1,
                files);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(100);
        }
        ClipPlayer player = offlinePlayer(clip);

        for (long at = 0; at < 12_000; at += 1_000) {
            player.rtRender(true, at, 1_000, null);
            for (int i = 0; i < 1_000; i++) {
                assertEquals(0f, player.rtOut()[0][i], 0f, "frame " + (at + i));
            }
        }
        assertEquals(1, reader.problemCount(), reader.problems().toString());
        assertTrue(reader.problems().get(0).contains("short-lived.wav"), reader.problems().get(0));
    }

    private ClipPlayer offlinePlayer(PlaybackClip clip) {
        ClipPlayer player = new ClipPlayer(1, RATE, RATE / 10);
        reader.readOnRenderThread(player);
        player.rtSetClips(new PlaybackClip[]{clip});
        return player;
    }

    private static float[] ramp(int frames) {
        float[] samples = new float[frames];
        for (int i = 0; i < frames; i++) {
            samples[i] = (i % 1000) / 1000f - 0.5f;
        }
        return samples;
    }

    private static Path write(Path file, float[] samples) throws Exception {
        try (WavWriter writer = WavWriter.create(file, RATE, 1, SampleFormat.FLOAT_32)) {
            writer.write(new float[][]{samples}, 0, samples.length);
        }
        return file;
    }
}
