package desk.repl;

import desk.control.MidiMapping;
import desk.control.MidiSurface;
import desk.engine.backend.JackServer;
import desk.engine.midi.MidiControlType;
import desk.engine.midi.MidiCurve;
import desk.engine.server.EngineAllocation;
import desk.engine.server.RemoteEngineLink;
import desk.session.Session;
import desk.session.Track;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackMidi;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MIDI against the desk playing live on a JACK server of the test's own ({@code jackd -d dummy}): a JACK client
 * of the test plays a controller into Desk's MIDI input and another captures the master, both on the server's
 * frame clock. A learned mapping moves a fader on the very frame of the controller's message; soft takeover
 * holds the fader while the controller is far from it and lets go once the controller crosses it; feedback
 * reaches a MIDI output. A controller sending every control change on every channel, one on every frame,
 * costs the audio no xruns beyond the baseline and no allocation, and each fader ends on the last value sent to
 * it. The baseline is as long with the same controller sending the same storm to a port not connected to
 * Desk, so that what the sender costs this machine (in use, it is hardware) weighs on both; it is measured
 * before the storm and after it, and the storm held against the busier of the two. Steady state is
 * measured: once connected, the storm first plays in windows of 5 s until three in a row allocate nothing.
 * Until the JIT has compiled what the audio thread runs (the storm cuts every period into one-frame spans,
 * which takes paths the quiet desk does not), HotSpot now and then resolves constants on the thread that
 * asks: a few kilobytes in the first window, a few hundred bytes in a later one, with or without MIDI
 * (AllocationTest in the engine describes the same).
 */
class LiveMidiTest {
    private static final int RATE = 48_000;
    /**
     * The attempts at a move, each {fader dB set by the script, a control value that does not reach or cross it,
     * one that crosses it}, the values chosen so that none crosses on the way from the attempt before. An attempt
     * whose message's frame the capture lost to an xrun is made again with the next.
     */
    private static final int[][] ATTEMPTS = {{0, 20, 120}, {5, 100, 127}, {0, 124, 100}, {5, 110, 127}};
    /** Windows of 5 s in a row in which the storm must allocate nothing before it is measured. */
    private static final int QUIET_WINDOWS = 3;
    private static final int MAX_WARM_UP_WINDOWS = 16;
    /**
     * Storm windows measured at most: as in the engine's allocation test, the JVM sometimes allocates a few hundred
     * bytes once on the audio thread after warm-up windows that allocated nothing (496 bytes in one run), so a
     * window that allocates is measured again, and the second must allocate nothing: anything allocated per
     * callback shows in both.
     */
    private static final int MEASURED_WINDOWS = 2;

    /** A controller of the test: queued messages go out in its next cycle, at the offset given; frames noted. */
    private static final class Controller {
        final ConcurrentLinkedQueue<int[]> queue = new ConcurrentLinkedQueue<>();
        final AtomicLong lastSentFrame = new AtomicLong(-1);
        final List<int[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
        final JackClient client;
        final JackPort out;
        final JackPort in;

        Controller(JackServer server) throws JackException {
            client = server.openClient("controller");
            out = client.registerPort("out", JackPortType.MIDI, EnumSet.of(JackPortFlags.JackPortIsOutput));
            in = client.registerPort("in", JackPortType.MIDI, EnumSet.of(JackPortFlags.JackPortIsInput));
            JackMidi.Event event = new JackMidi.Event();
            byte[] bytes = new byte[3];
            client.setProcessCallback((c, frames) -> {
                try {
                    JackMidi.clearBuffer(out);
                    int[] message = queue.poll();
                    if (message != null) {
                        JackMidi.eventWrite(out, message[3], new byte[] {(byte) message[0], (byte) message[1],
                                (byte) message[2]}, 3);
                        lastSentFrame.set(c.getLastFrameTime() + message[3]);
                    }
                    int count = JackMidi.getEventCount(in);
                    for (int i = 0; i < count; i++) {
                        JackMidi.eventGet(event, in, i);
                        event.read(bytes);
                        received.add(new int[] {bytes[0] & 0xFF, bytes[1], bytes[2]});
                    }
                } catch (JackException e) {
                    return false;
                }
                return true;
            });
        }
    }

    @Test
    void aLearnedControlMovesTheFaderOnTheFrameOfItsMessageAndSoftTakeoverHoldsIt() throws Exception {
        int period = 256;
        JackServer.requireTools("jackd", "jack_connect");
        ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
        try (JackServer server = new JackServer(RATE, period);
             LiveDesk desk = LiveDesk.start(LiveDesk.Backend.JACK, server.name(), RATE, period)) {
            Session session = desk.session();
            List<String> notices = java.util.Collections.synchronizedList(new ArrayList<>());
            MidiSurface midi = new MidiSurface(session, notices::add);
            Track probe = call(control, () -> {
                Track track = session.track("Probe");
                track.input(session.generator("square", Map.of("freq", 50.0, "level", 0.0)));
                track.pan(-1);
                midi.input("ctl", null);
                midi.output("motor", null);
                session.play();
                return track;
            });
            control.scheduleAtFixedRate(() -> session.tickAhead(RATE / 50), 5, 5, TimeUnit.MILLISECONDS);
            Controller controller = new Controller(server);
            AtomicLong captureStart = new AtomicLong(-1);
            float[] left = new float[60 * RATE];
            java.util.Arrays.fill(left, Float.NaN);
            AtomicInteger captured = new AtomicInteger();
            JackClient capture = server.openClient("capture");
            try {
                JackPort in = capture.registerPort("in", JackPortType.AUDIO, EnumSet.of(JackPortFlags.JackPortIsInput));
                capture.setProcessCallback((client, frames) -> {
                    try {
                        long frame = client.getLastFrameTime();
                        captureStart.compareAndSet(-1, frame);
                        int at = (int) (frame - captureStart.get());
                        if (at + frames <= left.length) {
                            in.getFloatBuffer().get(left, at, frames);
                            captured.set(at + frames);
                        }
                    } catch (JackException e) {
                        return false;
                    }
                    return true;
                });
                capture.activate();
                controller.client.activate();
                assertEquals("", server.run("jack_connect", "desk:master_out_1", "capture:in").strip());
                assertEquals("", server.run("jack_connect", "controller:out", "desk:ctl").strip());
                assertEquals("", server.run("jack_connect", "desk:motor", "controller:in").strip());
                await(() -> captured.get() > RATE / 10 && Math.abs(left[captured.get() - 1]) == 1f,
                        "the capture hears the probe");

                AtomicReference<MidiMapping> learned = new AtomicReference<>();
                call(control, () -> {
                    midi.learn(probe, "fader", new MidiSurface.MappingOptions(-60, 6, MidiCurve.LINEAR, true, "motor"),
                            learned::set);
                    return null;
                });
                // As a hand on a knob would, the controller sends again while nothing was learned: a message
                // the moment the ports were joined may come before the connection carries it.
                long nextSend = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (learned.get() == null) {
                    assertTrue(System.nanoTime() < deadline, "timed out waiting: the control was learned");
                    if (System.nanoTime() >= nextSend) {
                        controller.queue.add(new int[] {0xB2, 21, 20, 0});
                        nextSend = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    }
                    LockSupport.parkNanos(1_000_000L);
                }
                assertEquals("cc 21, channel 3, input ctl", learned.get().control());
                assertTrue(notices.contains("MIDI learned: cc 21, channel 3, input ctl -> Probe fader (-60..6, linear,"
                        + " soft takeover, feedback to motor)"), "the learn was told: " + notices);

                long caught = -1;
                int moved = -1;
                int lastValue = -1;
                double caughtLevel = Double.NaN;
                List<String> attempts = new ArrayList<>();
                for (int[] attempt : ATTEMPTS) {
                    double level = Math.pow(10, attempt[0] / 20.0);
                    if (attempt != ATTEMPTS[0]) {
                        call(control, () -> {
                            probe.fader(attempt[0]);
                            return null;
                        });
                        int from = captured.get();
                        await(() -> captured.get() > from + RATE / 10, "the fader settles");
                    }
                    long held = send(controller, 0xB2, 21, attempt[1], 100);
                    await(() -> captured.get() > held - captureStart.get() + period * 4, "the capture passes the message");
                    int heldAt = (int) (held - captureStart.get());
                    assertTrue(steady(left, heldAt, heldAt + period * 4, level), "soft takeover holds the fader at "
                            + attempt[0] + " dB while the control is far from it and has not crossed it");
                    long sent = send(controller, 0xB2, 21, attempt[2], 77);
                    await(() -> captured.get() > sent - captureStart.get() + period * 4, "the capture passes the message");
                    lastValue = attempt[2];
                    int sentAt = (int) (sent - captureStart.get());
                    if (!heard(left[sentAt - 1]) || !heard(left[sentAt])) {
                        attempts.add("frame " + sent + " lost to an xrun");
                        continue;
                    }
                    int before = sentAt - period * 4;
                    if (!heardThroughout(left, before, sentAt, level)) {
                        attempts.add("the four periods before frame " + sent + " disturbed by an xrun");
                        continue;
                    }
                    caught = sent;
                    caughtLevel = level;
                    for (int i = before; i < captured.get() && moved < 0; i++) {
                        if (heard(left[i]) && Math.abs(Math.abs(left[i]) - level) > 1e-5) {
                            moved = i;
                        }
                    }
                    break;
                }
                assertTrue(caught >= 0, "an attempt was heard whole: " + attempts);
                System.out.printf("MIDI control change sent on frame %d (offset 77 in a %d-frame period); the"
                        + " fader's first moved sample is frame %d%s%n", caught, period, captureStart.get() + moved,
                        attempts.isEmpty() ? "" : " (before: " + attempts + ")");
                int first = moved;
                double heldLevel = caughtLevel;
                assertEquals(caught, captureStart.get() + moved, () -> "the fader moves on the frame of the message;"
                        + " the samples around the first one off " + heldLevel + ": "
                        + Arrays.toString(Arrays.copyOfRange(left, Math.max(0, first - 2), first + 6)));
                double expected = -60 + lastValue / 127.0 * 66;
                await(() -> Math.abs(callUnchecked(control, probe::fader) - expected) < 1e-9,
                        "the session learns where the control put the fader");

                // Feedback goes out once, in one period: a period the busy machine misses loses it, as it would
                // on stage, so the script sets the fader again, elsewhere, up to twice.
                double setDb = Double.NaN;
                List<String> lost = new ArrayList<>();
                for (double db : new double[] {-6, -7.5, -9}) {
                    call(control, () -> {
                        probe.fader(db);
                        return null;
                    });
                    int sentPosition = (int) Math.round((db + 60) / 66 * 127);
                    if (eventually(() -> controller.received.stream()
                            .anyMatch(m -> m[0] == 0xB2 && m[1] == 21 && m[2] == sentPosition), 5)) {
                        setDb = db;
                        break;
                    }
                    lost.add(db + " dB (" + sentPosition + ")");
                }
                assertFalse(Double.isNaN(setDb), "feedback of the fader set by the script reaches the output: none"
                        + " of " + lost + " came");
                if (!lost.isEmpty()) {
                    System.out.println("fader feedback lost for " + lost + ", then came for " + setDb + " dB");
                }
                int position = (int) Math.round((setDb + 60) / 66 * 127);
                long late = send(controller, 0xB2, 21, lastValue >= position ? 127 : 0, 0);
                await(() -> captured.get() > late - captureStart.get() + period * 4, "the capture passes the message");
                int lateAt = (int) (late - captureStart.get());
                assertTrue(steady(left, lateAt, lateAt + period * 4, Math.pow(10, setDb / 20.0)),
                        "a fader set elsewhere is held again until the control comes back to it");
            } finally {
                capture.close();
                controller.client.close();
                midi.close();
            }
        } finally {
            control.shutdownNow();
        }
    }

    @Test
    void everyControlOnEveryChannelCostsTheAudioNothing() throws Exception {
        int period = 64;
        int seconds = 20;
        JackServer.requireTools("jackd", "jack_connect", "jack_disconnect");
        ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
        try (JackServer server = new JackServer(RATE, period);
             LiveDesk desk = LiveDesk.start(LiveDesk.Backend.JACK, server.name(), RATE, period)) {
            Session session = desk.session();
            MidiSurface midi = new MidiSurface(session, line -> { });
            List<Track> tracks = call(control, () -> {
                List<Track> made = new ArrayList<>();
                midi.input("storm", null);
                for (int channel = 1; channel <= 16; channel++) {
                    Track track = session.track("T" + channel);
                    track.input(session.generator("sine", Map.of("freq", 110.0 * channel, "level", -30.0)));
                    midi.map("storm", channel, MidiControlType.CC, 7, track, "fader",
                            new MidiSurface.MappingOptions(-60, 6, MidiCurve.LINEAR, false, null));
                    made.add(track);
                }
                session.play();
                return made;
            });
            control.scheduleAtFixedRate(() -> session.tickAhead(RATE / 50), 5, 5, TimeUnit.MILLISECONDS);
            RemoteEngineLink link = (RemoteEngineLink) session.link();
            int[] last = new int[16];
            AtomicLong sent = new AtomicLong();
            AtomicInteger mode = new AtomicInteger();
            JackClient storm = server.openClient("stormer");
            try {
                JackPort out = storm.registerPort("out", JackPortType.MIDI, EnumSet.of(JackPortFlags.JackPortIsOutput));
                byte[] bytes = new byte[3];
                int[] next = {0};
                java.util.Random random = new java.util.Random(5);
                storm.setProcessCallback((c, frames) -> {
                    try {
                        JackMidi.clearBuffer(out);
                        if (mode.get() == 0) {
                            return true;
                        }
                        for (int frame = 0; frame < frames; frame++) {
                            int control7 = next[0] % 128;
                            int channel = (next[0] / 128) % 16;
                            int value = random.nextInt(128);
                            bytes[0] = (byte) (0xB0 | channel);
                            bytes[1] = (byte) control7;
                            bytes[2] = (byte) value;
                            try {
                                JackMidi.eventWrite(out, frame, bytes, 3);
                            } catch (JackException full) {
                                break;
                            }
                            if (control7 == 7) {
                                last[channel] = value;
                            }
                            next[0]++;
                            sent.incrementAndGet();
                        }
                    } catch (JackException e) {
                        return false;
                    }
                    return true;
                });
                storm.activate();
                mode.set(1);
                desk.playFor(2);
                long[] baseline = measure(control, link, seconds);
                assertEquals("", server.run("jack_connect", "stormer:out", "desk:storm").strip());
                List<Long> warmUp = new ArrayList<>();
                int quiet = 0;
                while (quiet < QUIET_WINDOWS && warmUp.size() < MAX_WARM_UP_WINDOWS) {
                    long allocated = measure(control, link, 5)[2];
                    warmUp.add(allocated);
                    quiet = allocated == 0 ? quiet + 1 : 0;
                }
                List<Long> measuredWindows = new ArrayList<>();
                long sentBefore;
                long receivedBefore;
                long[] during;
                do {
                    sentBefore = sent.get();
                    receivedBefore = call(control, () -> {
                        midi.tick();
                        return midi.received();
                    });
                    during = measure(control, link, seconds);
                    measuredWindows.add(during[2]);
                } while (during[2] != 0 && measuredWindows.size() < MEASURED_WINDOWS);
                long sentDuring = sent.get() - sentBefore;
                mode.set(0);
                desk.playFor(1);
                int[] lastSent = last.clone();
                double[] set = call(control, () -> {
                    midi.tick();
                    double[] values = new double[16];
                    for (int i = 0; i < 16; i++) {
                        values[i] = tracks.get(i).fader();
                    }
                    return values;
                });
                long receivedFrom = receivedBefore;
                long received = call(control, midi::received) - receivedFrom;
                // A second baseline after the storm, the storm again sent to no one: the machine's own xruns
                // drift over a minute, so the storm is held against the busier of the two around it.
                assertEquals("", server.run("jack_disconnect", "stormer:out", "desk:storm").strip());
                mode.set(1);
                long[] after = measure(control, link, seconds);
                mode.set(0);
                long xrunsWithout = Math.max(baseline[0], after[0]);
                System.out.printf("MIDI storm at %d frames: %d control changes in %d s (%d a second) over every"
                                + " controller of all 16 channels, %d received by its end; xruns %d with the storm, %d and %d in"
                                + " %d s of the same storm sent to no one before and after; audio thread allocated %d bytes in %d"
                                + " callbacks (warm-up windows of 5 s before: %s; windows measured: %s)%n", period,
                        sentDuring, seconds, sentDuring / seconds, received, during[0], baseline[0], after[0], seconds,
                        during[2], during[1], warmUp, measuredWindows);
                assertEquals(0, during[2], "the audio thread allocated nothing, in each window measured: "
                        + measuredWindows);
                assertTrue(during[1] >= 0.9 * seconds * RATE / period, "the audio thread kept running");
                assertTrue(during[0] <= xrunsWithout * 1.5 + 10, "the storm cost xruns: " + during[0] + " with it, "
                        + baseline[0] + " and " + after[0] + " without, before and after");
                assertTrue(sentDuring >= 10_000L * seconds, "the storm was sent: " + sentDuring);
                for (int i = 0; i < 16; i++) {
                    assertEquals(-60 + lastSent[i] / 127.0 * 66, set[i], 1e-9, "T" + (i + 1) + " ends on the last value");
                }
            } finally {
                storm.close();
                midi.close();
            }
        } finally {
            control.shutdownNow();
        }
    }

    /**
     * Whether the captured sample is the probe playing: not a frame the capture missed (NaN: a cycle lost to an
     * xrun) nor the silence of a cycle the desk missed.
     */
    private static boolean heard(float sample) {
        return !Float.isNaN(sample) && Math.abs(sample) > 0.25f;
    }

    /**
     * Whether every sample in {@code from..to} was heard and is the square wave at {@code level}: no cycle there was
     * lost to an xrun, nor faded back in after one.
     */
    private static boolean heardThroughout(float[] left, int from, int to, double level) {
        for (int i = from; i < to; i++) {
            if (!heard(left[i]) || Math.abs(Math.abs(left[i]) - level) > 1e-5) {
                return false;
            }
        }
        return true;
    }

    /** Whether every sample heard in {@code from..to} is the square wave at {@code level}, and some were heard. */
    private static boolean steady(float[] left, int from, int to, double level) {
        int heard = 0;
        for (int i = from; i < to; i++) {
            if (heard(left[i])) {
                heard++;
                if (Math.abs(Math.abs(left[i]) - level) > 1e-5) {
                    return false;
                }
            }
        }
        return heard > 0;
    }

    /** Queues a control change for the controller's next cycle, at {@code offset}; returns the frame it went out on. */
    private static long send(Controller controller, int status, int number, int value, int offset) {
        long before = controller.lastSentFrame.get();
        controller.queue.add(new int[] {status, number, value, offset});
        await(() -> controller.lastSentFrame.get() != before, "the controller sent the message");
        return controller.lastSentFrame.get();
    }

    /** xruns, callbacks and audio-thread bytes over {@code seconds} of playing. */
    private static long[] measure(ScheduledExecutorService control, RemoteEngineLink link, int seconds) throws Exception {
        EngineAllocation before = call(control, link::allocation);
        long xrunsBefore = call(control, link::xruns);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
        EngineAllocation after = call(control, link::allocation);
        return new long[] {call(control, link::xruns) - xrunsBefore, after.callbacks() - before.callbacks(),
                after.audioThreadBytes() - before.audioThreadBytes()};
    }

    private static void await(BooleanSupplier condition, String what) {
        assertTrue(eventually(condition, 10), "timed out waiting: " + what);
    }

    /** Whether {@code condition} holds within {@code seconds}. */
    private static boolean eventually(BooleanSupplier condition, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            LockSupport.parkNanos(1_000_000L);
        }
        return true;
    }

    private static <T> T call(ScheduledExecutorService control, Callable<T> task) throws Exception {
        return control.submit(task).get();
    }

    private static <T> T callUnchecked(ScheduledExecutorService control, Callable<T> task) {
        try {
            return call(control, task);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
