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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounces while the desk plays live on a JACK server of the test's own ({@code jackd -d dummy}) at 64 frames:
 * eight seconds of the mix (a drum loop through a compressor and a limiter), three times. The desk first plays
 * until its audio thread's code has settled: HotSpot links a newly compiled method's calls on the thread that
 * first makes them, which costs that thread a few hundred bytes (measured here: the clip player's rendering,
 * called once a period, is compiled about seven seconds into playback), so the test plays at least
 * {@value #LEAST_WARM_UP_SECONDS} s and until {@value #SETTLED_SECONDS} s in a row allocate nothing, as
 * {@code AllocationTest} does offline, and fails if that cost more than {@value #WARM_UP_BYTES} bytes: loading
 * {@code LoopRange} on the audio thread, before the engine loaded it ahead, cost 7,280 bytes. Then windows of
 * the same length, {@value #WINDOW_SECONDS} s of the transport each, take turns with a bounce in them and without
 * (in the order {@value #ORDER}, B with a bounce, so that drift over the run weighs on both sides alike), and the
 * xruns of each are printed.
 * <p>
 * The server runs with real-time scheduling, as JACK does on a musician's machine (this project's CI machines
 * allow it), so the desk's audio thread runs ahead of the machine's other threads, the compiler's among them.
 * The render runs in a copy of the session at idle priority, so the engine's audio thread allocates nothing
 * meanwhile and keeps running at the period's pace, and the windows with a bounce miss no more periods than
 * those without, give or take {@value #STALL_PERIODS}: the machine's own stalls, which come in windows without a
 * bounce too (up to 13 periods at a time measured here). No window misses more than
 * {@value #MOST_XRUNS_IN_A_WINDOW} periods, far fewer than a bounce holding the audio up for its few hundred
 * milliseconds would. Where the system refuses real-time scheduling the comparison is only printed: then the
 * audio thread competes with the compiler as an ordinary thread, and the bounces cost a few xruns (the figures
 * are in the rendering guide). Each bounce is what it should be, eight seconds long, on its new track.
 */
class LiveBounceTest {
    private static final int RATE = 48_000;
    private static final int PERIOD = 64;
    private static final double WINDOW_SECONDS = 2;
    private static final String ORDER = "ABBAAB";
    /** How long the drum loop's clips play: past the longest warm-up and the windows. */
    private static final int PLAYED_SECONDS = 90;
    /** Far fewer than a bounce holding the audio thread up would miss (a few hundred periods at 64 frames). */
    private static final int MOST_XRUNS_IN_A_WINDOW = 100;
    /** More periods than the machine's own stalls cost three windows (bursts of up to 13 measured here). */
    private static final int STALL_PERIODS = 40;
    private static final int LEAST_WARM_UP_SECONDS = 10;
    private static final int SETTLED_SECONDS = 3;
    private static final int MOST_SECONDS_TO_SETTLE = 40;
    /**
     * More than linking compiled calls costs the audio thread while its code settles (592 bytes measured here).
     * The warm-up bounces once too: the track a bounce adds is the first change to the graph since the desk
     * started, and the code the audio thread runs may be compiled again for it, which can cost it a few bytes
     * once (56 seen in a full run), not per bounce.
     */
    private static final long WARM_UP_BYTES = 4096;

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
        try (JackServer server = JackServer.withRealTimeScheduling(RATE, PERIOD);
             LiveDesk desk = LiveDesk.start(LiveDesk.Backend.JACK, server.name(), RATE, PERIOD)) {
            Session session = desk.session();
            session.recorder().folder(folder);
            Track drums = session.track("Drums", 1);
            for (int at = 0; at < PLAYED_SECONDS; at += 2) {
                drums.clip(loop, "loop.wav", false, 0, null, (long) at * RATE, 0, 0, 0);
            }
            drums.monitoring("off");
            drums.insert("compressor", Map.of("threshold", -24.0, "ratio", 4.0), -1, false);
            drums.insert("limiter", Map.of("ceiling", -6.0), -1, false);
            session.play();
            RemoteEngineLink link = (RemoteEngineLink) session.link();
            long warmUpFrom = link.allocation().audioThreadBytes();
            desk.playFor(1);
            Bounce.bounce(session, session.master(), 0, RATE, "Warm-up bounce");
            int settledAfter = 1 + playUntilSettled(desk, link);
            EngineAllocation before = link.allocation();
            long warmUpBytes = before.audioThreadBytes() - warmUpFrom;
            long started = System.nanoTime();
            long[] xruns = new long[ORDER.length()];
            double[] lengths = new double[ORDER.length()];
            List<Track> bounced = new ArrayList<>();
            long bouncing = 0;
            long withBounces = 0;
            long without = 0;
            for (int w = 0; w < ORDER.length(); w++) {
                long start = link.position();
                long xrunsBefore = link.xruns();
                if (ORDER.charAt(w) == 'B') {
                    long bounceStarted = System.nanoTime();
                    bounced.add(Bounce.bounce(session, session.master(), 0, 8L * RATE, "Mix bounce " + w));
                    bouncing = Math.max(bouncing, System.nanoTime() - bounceStarted);
                }
                desk.playFor(WINDOW_SECONDS - (double) (link.position() - start) / RATE);
                xruns[w] = link.xruns() - xrunsBefore;
                lengths[w] = (double) (link.position() - start) / RATE;
                if (ORDER.charAt(w) == 'B') {
                    withBounces += xruns[w];
                } else {
                    without += xruns[w];
                }
            }
            EngineAllocation after = link.allocation();
            long callbacks = after.callbacks() - before.callbacks();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("three bounces of 8 s of the mix while playing live at %d frames on a server %s real-time"
                            + " scheduling (the audio thread's code"
                            + " settled after %d s, having allocated %d bytes; the longest bounce %d ms): %d callbacks,"
                            + " %d bytes allocated by the audio thread; xruns in the windows %s (%s s of the transport):"
                            + " %s, %d with a bounce against %d without%n", PERIOD,
                    server.realTime() ? "with" : "without (the system refused)", settledAfter, warmUpBytes,
                    TimeUnit.NANOSECONDS.toMillis(bouncing),
                    callbacks, after.audioThreadBytes() - before.audioThreadBytes(), ORDER,
                    Arrays.stream(lengths).mapToObj(length -> String.format(Locale.ROOT, "%.3f", length))
                            .collect(Collectors.joining(", ")),
                    Arrays.toString(xruns), withBounces, without);
            assertTrue(warmUpBytes < WARM_UP_BYTES, "the audio thread allocated " + warmUpBytes + " bytes while its code"
                    + " settled: more than compiled calls being linked (loading a class costs it several kB)");
            assertEquals(0, after.audioThreadBytes() - before.audioThreadBytes(), "the audio thread allocated nothing");
            assertTrue(callbacks >= 0.9 * seconds * RATE / PERIOD, "the audio thread kept running: " + callbacks
                    + " callbacks in " + seconds + " s");
            for (int w = 0; w < ORDER.length(); w++) {
                assertTrue(xruns[w] <= MOST_XRUNS_IN_A_WINDOW, "window " + (w + 1) + " of " + ORDER + " missed "
                        + xruns[w] + " periods: " + Arrays.toString(xruns));
            }
            if (server.realTime()) {
                assertTrue(withBounces <= without + STALL_PERIODS, "the windows with a bounce missed " + withBounces
                        + " periods, those without " + without + ": " + Arrays.toString(xruns));
            }
            for (Track mix : bounced) {
                assertEquals(8L * RATE, mix.clips().get(0).length());
                assertEquals(8 * RATE, WavReader.read(mix.clips().get(0).file()).frames());
            }
        }
    }

    /**
     * Plays in one-second steps, at least {@link #LEAST_WARM_UP_SECONDS}, until {@link #SETTLED_SECONDS} in a row
     * leave the audio thread's allocated bytes where they were; returns the seconds played. Fails if that takes over {@link #MOST_SECONDS_TO_SETTLE}: an
     * audio thread that keeps allocating.
     */
    private static int playUntilSettled(LiveDesk desk, RemoteEngineLink link) throws Exception {
        long bytes = link.allocation().audioThreadBytes();
        int quiet = 0;
        for (int second = 1; second <= MOST_SECONDS_TO_SETTLE; second++) {
            desk.playFor(1);
            long now = link.allocation().audioThreadBytes();
            quiet = now == bytes ? quiet + 1 : 0;
            bytes = now;
            if (quiet >= SETTLED_SECONDS && second >= LEAST_WARM_UP_SECONDS) {
                return second;
            }
        }
        throw new AssertionError("the audio thread still allocated after " + MOST_SECONDS_TO_SETTLE + " s of playing");
    }
}
