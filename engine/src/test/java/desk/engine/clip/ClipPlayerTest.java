package desk.engine.clip;

import desk.engine.EngineCommand;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A player that waits for the disk (offline renders) gives up after its limit instead of parking the audio thread for good. */
class ClipPlayerTest {
    @Test
    @Timeout(10)
    void anOfflineWaitForADiskThatNeverAnswersEndsAtItsDeadlineAsMissedFrames(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("tone.wav");
        try (WavWriter writer = WavWriter.create(file, 48000, 1, SampleFormat.FLOAT_32)) {
            writer.write(new float[][]{new float[4800]}, 0, 4800);
        }
        Map<Path, WavReader.Stream> files = new HashMap<>();
        PlaybackClip clip = PlaybackClip.check(new EngineCommand.Clip(file, 0, 4800, 0, 0, 0, 0, false), 48000, 2, 1, files);
        long limit = 50_000_000L;
        ClipPlayer player = new ClipPlayer(1, 48000, 4800, limit);
        player.waitForDisk(true);
        player.rtSetClips(new PlaybackClip[]{clip});

        long start = System.nanoTime();
        player.rtRender(true, 0, 256, null);
        long waited = System.nanoTime() - start;

        assertTrue(waited >= limit, "it waited for the disk reader first: " + waited + " ns");
        assertEquals(256, player.framesMissed(), "with no reader, the span plays as missed frames");
        for (WavReader.Stream stream : files.values()) {
            stream.close();
        }
    }
}
