package desk.repl;

import desk.control.OscSurface;
import desk.engine.backend.JackServer;
import desk.engine.server.EngineAllocation;
import desk.engine.server.RemoteEngineLink;
import desk.session.Session;
import desk.session.Track;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A storm of OSC against the desk playing live on a JACK server of the test's own ({@code jackd -d dummy}) at
 * 64 frames: 10,000 fader messages a second over sixteen tracks for 30 s. The baseline is 30 s of the same
 * desk while the same sender sends the same storm to a socket that drops it, so that what the sender costs
 * this machine (in use it runs on a tablet) weighs on both. A first 5 s of storm, not counted, warms the
 * path a message takes: its first compilation costs xruns once, as any Java code's does, and that is not what
 * is measured. Then storm and baseline take turns in 5 s windows, in the order baseline-storm, then
 * storm-baseline, and so on, so that whatever else the machine does in the minute weighs on both alike: the
 * storm Desk takes costs at most twice the baseline's xruns and 20 more (on two cores, the desk reading 10,000
 * messages a second takes CPU time beside the audio, and this server runs without real-time scheduling), the
 * engine's audio thread allocates nothing, and every fader ends on the last value sent to it. The figures
 * are printed, window by window.
 */
class OscStormTest {
    private static final int RATE = 48_000;
    private static final int PERIOD = 64;
    private static final int TRACKS = 16;
    private static final int SECONDS = 30;
    private static final int WINDOW_SECONDS = 5;
    private static final int PER_SECOND = 10_000;

    private record Span(long xruns, long callbacks, long audioThreadBytes) {
        Span plus(Span other) {
            return new Span(xruns + other.xruns, callbacks + other.callbacks, audioThreadBytes + other.audioThreadBytes);
        }
    }

    @Test
    void tenThousandMessagesASecondCostTheAudioNothing() throws Exception {
        JackServer.requireTools("jackd");
        ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
        try (JackServer server = new JackServer(RATE, PERIOD);
             LiveDesk desk = LiveDesk.start(LiveDesk.Backend.JACK, server.name(), RATE, PERIOD)) {
            Session session = desk.session();
            List<Track> tracks = call(control, () -> {
                List<Track> made = new ArrayList<>();
                for (int i = 0; i < TRACKS; i++) {
                    Track track = session.track("T" + i);
                    track.input(session.generator("sine", Map.of("freq", 110.0 * (i + 1), "level", -30.0)));
                    made.add(track);
                }
                session.play();
                return made;
            });
            control.scheduleAtFixedRate(() -> session.tickAhead(RATE / 50), 5, 5, TimeUnit.MILLISECONDS);
            OscSurface osc = new OscSurface(session, control, line -> { }, Clock.systemUTC(), false);
            InetSocketAddress address = osc.listen("127.0.0.1", 0, null);
            RemoteEngineLink link = (RemoteEngineLink) session.link();
            desk.playFor(2);

            float[] last = new float[TRACKS];
            Random random = new Random(7);
            long sent = 0;
            Span baseline = new Span(0, 0, 0);
            Span storm = new Span(0, 0, 0);
            List<String> windows = new ArrayList<>();
            storm(address, last, random);
            try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                InetSocketAddress nowhere = (InetSocketAddress) sink.getLocalSocketAddress();
                for (int window = 0; window < SECONDS / WINDOW_SECONDS; window++) {
                    for (int turn = 0; turn < 2; turn++) {
                        boolean toDesk = (window + turn) % 2 == 1;
                        long[] count = {0};
                        Span span = measure(control, link, () -> count[0] = storm(toDesk ? address : nowhere,
                                toDesk ? last : new float[TRACKS], random));
                        windows.add((toDesk ? "storm " : "baseline ") + span.xruns());
                        if (toDesk) {
                            storm = storm.plus(span);
                            sent += count[0];
                        } else {
                            baseline = baseline.plus(span);
                        }
                    }
                }
            }
            sent += lastValues(address, last, random);
            desk.playFor(1);
            float[] set = call(control, () -> {
                float[] values = new float[TRACKS];
                for (int i = 0; i < TRACKS; i++) {
                    values[i] = (float) tracks.get(i).fader();
                }
                return values;
            });
            osc.close();
            System.out.printf("OSC storm at %d frames: %d messages in %d s (%d a second), %d packets received;"
                            + " xruns %d with the storm, %d in %d s between with the same messages sent to a socket"
                            + " that drops them (by %d s window: %s); audio thread allocated %d bytes in %d callbacks%n",
                    PERIOD, sent, SECONDS, sent / SECONDS, osc.received(), storm.xruns(), baseline.xruns(), SECONDS,
                    WINDOW_SECONDS, String.join(", ", windows), storm.audioThreadBytes(), storm.callbacks());
            assertEquals(0, storm.audioThreadBytes(), "the audio thread allocated nothing");
            assertTrue(storm.callbacks() >= 0.9 * SECONDS * RATE / PERIOD, "the audio thread kept running");
            assertTrue(storm.xruns() <= baseline.xruns() * 2 + 20, "the storm cost xruns: " + storm.xruns()
                    + " with it, " + baseline.xruns() + " without");
            assertTrue(sent >= 0.95 * SECONDS * PER_SECOND, "the storm was sent: " + sent);
            for (int i = 0; i < TRACKS; i++) {
                assertEquals(last[i], set[i], 1e-6, "T" + i + " ends on the last value sent");
            }
        } finally {
            control.shutdownNow();
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static Span measure(ScheduledExecutorService control, RemoteEngineLink link, Run run) throws Exception {
        EngineAllocation before = call(control, link::allocation);
        long xrunsBefore = call(control, link::xruns);
        run.run();
        EngineAllocation after = call(control, link::allocation);
        long xruns = call(control, link::xruns) - xrunsBefore;
        return new Span(xruns, after.callbacks() - before.callbacks(), after.audioThreadBytes() - before.audioThreadBytes());
    }

    private static <T> T call(ScheduledExecutorService control, Callable<T> task) throws Exception {
        return control.submit(task).get();
    }

    /** Sends {@value #PER_SECOND} fader messages a second for {@value #WINDOW_SECONDS} s, ten a millisecond; returns how many. */
    private static long storm(InetSocketAddress desk, float[] last, Random random) throws Exception {
        long count = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            long start = System.nanoTime();
            long end = start + WINDOW_SECONDS * 1_000_000_000L;
            for (long tick = start; tick < end; tick += 1_000_000L) {
                long wait = tick - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                for (int i = 0; i < PER_SECOND / 1000; i++) {
                    int track = (int) (count % TRACKS);
                    count++;
                    send(socket, desk, track, value(random), last);
                }
            }
        }
        return count;
    }

    /**
     * One last value for each fader after a pause, so that none of the last is among the few a full socket
     * buffer may have dropped in the storm; returns how many.
     */
    private static long lastValues(InetSocketAddress desk, float[] last, Random random) throws Exception {
        LockSupport.parkNanos(50_000_000L);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int track = 0; track < TRACKS; track++) {
                send(socket, desk, track, value(random), last);
            }
        }
        return TRACKS;
    }

    private static float value(Random random) {
        return (float) Math.round(random.nextDouble() * -600) / 10;
    }

    private static void send(DatagramSocket socket, InetSocketAddress desk, int track, float value, float[] last)
            throws Exception {
        byte[] bytes = fader(track, value);
        socket.send(new DatagramPacket(bytes, bytes.length, desk));
        last[track] = value;
    }

    /** {@code /desk/strip/T<track>/fader f value} as OSC bytes. */
    private static byte[] fader(int track, float value) {
        ByteBuffer bytes = ByteBuffer.allocate(64);
        padded(bytes, "/desk/strip/T" + track + "/fader");
        padded(bytes, ",f");
        bytes.putFloat(value);
        return java.util.Arrays.copyOf(bytes.array(), bytes.position());
    }

    private static void padded(ByteBuffer bytes, String text) {
        bytes.put(text.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        while (bytes.position() % 4 != 0) {
            bytes.put((byte) 0);
        }
    }
}
