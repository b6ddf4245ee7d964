package desk.repl;

import desk.engine.backend.JackServer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import desk.engine.server.EngineAllocation;
import desk.engine.server.RemoteEngineLink;
import desk.session.Bounce;
import desk.session.Session;
import desk.session.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounce while the desk plays live on a JACK server of the test's own ({@code jackd -d dummy}) at 64 frames:
 * eight seconds of the mix (a drum loop through a compressor and a limiter) are bounced two seconds in. The
 * render runs in a copy of the session, so the engine's audio thread allocates nothing meanwhile and keeps
 * running (its callbacks go on at the period's pace), and the bounce is what it should be: eight seconds long,
 * on its new track. The xruns before and during are printed.
 */
class LiveBounceTest {
    private static final int RATE = 48_000;
    private static final int PERIOD = 64;

    @TempDir
    Path folder;

    @Test
    void aBounceWhileTheDeskPlaysLiveLeavesTheAudioThreadAlone() throws Exception {
        JackServer.requireTools("jackd");
        Path loop = folder.resolve("loop.wav");
        float[][] samples = new float[1][2 * RATE];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < samples[0].length; i++) {
            double since = (i % (RATE / 2)) / (double) RATE;
            samples[0][i] = (float) (0.5 * Math.exp(-since / 0.05) * (random.nextDouble() * 2 - 1));
        }
        try (WavWriter writer = WavWriter.create(loop, RATE, 1, SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, samples[0].length);
        }
        try (JackServer server = new JackServer(RATE, PERIOD);
             LiveDesk desk = LiveDesk.start(LiveDesk.Backend.JACK, server.name(), RATE, PERIOD)) {
            Session session = desk.session();
            session.recorder().folder(folder);
            Track drums = session.track("Drums", 1);
            for (int at = 0; at < 10; at += 2) {
                drums.clip(loop, "loop.wav", false, 0, null, (long) at * RATE, 0, 0, 0);
            }
            drums.monitoring("off");
            drums.insert("compressor", Map.of("threshold", -24.0, "ratio", 4.0), -1, false);
            drums.insert("limiter", Map.of("ceiling", -6.0), -1, false);
            session.play();
            desk.playFor(2);
            RemoteEngineLink link = (RemoteEngineLink) session.link();
            EngineAllocation before = link.allocation();
            long xrunsBefore = link.xruns();
            long started = System.nanoTime();
            Track mix = Bounce.bounce(session, session.master(), 0, 8L * RATE, "Mix bounce");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            desk.playFor(2);
            EngineAllocation after = link.allocation();
            long xruns = link.xruns() - xrunsBefore;
            long callbacks = after.callbacks() - before.callbacks();
            double seconds = (millis + 2000) / 1000.0;
            System.out.printf("bounced 8 s of the mix in %d ms while playing live at %d frames: %d callbacks,"
                            + " %d bytes allocated by the audio thread, %d xruns (%d before)%n", millis, PERIOD,
                    callbacks, after.audioThreadBytes() - before.audioThreadBytes(), xruns, xrunsBefore);
            assertEquals(0, after.audioThreadBytes() - before.audioThreadBytes(), "the audio thread allocated nothing");
            assertTrue(callbacks >= 0.9 * seconds * RATE / PERIOD, "the audio thread kept running: " + callbacks
                    + " callbacks in " + seconds + " s");
            assertEquals(8L * RATE, mix.clips().get(0).length());
            assertEquals(8 * RATE, WavReader.read(mix.clips().get(0).file()).frames());
        }
    }
}
