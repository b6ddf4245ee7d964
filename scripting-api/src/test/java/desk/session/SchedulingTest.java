package desk.session;

import desk.engine.Engine;
import desk.engine.Interpolation;
import desk.engine.Limits;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.dsp.Decibels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time in the session: the transport, musical time, functions scheduled on transport time whose changes
 * land on their exact samples at any block size, automation lanes and their modes, and expect checks.
 */
class SchedulingTest {
    private Engine engine;
    private Session session;

    @BeforeEach
    void setUp() {
        engine = new Engine(48_000, 0);
        session = new Session(new LocalEngineLink(engine));
    }

    /** Renders with the control loop's offline duty: scheduled functions run before each block. */
    private float[][] render(int frames, BlockSizes blocks) throws IOException {
        float[][] result = new float[2][frames];
        int[] at = {0};
        new OfflineRenderer(engine).render(frames, blocks, (master, count) -> {
            for (int c = 0; c < 2; c++) {
                System.arraycopy(master[c], 0, result[c], at[0], count);
            }
            at[0] += count;
        }, session::tick);
        return result;
    }

    /** A track playing a full-scale square hard left: the left output's magnitude is its gain. */
    private Track probe() {
        Track probe = session.track("Probe");
        probe.input(session.generator("square", Map.of("freq", 50.0, "level", 0.0)));
        probe.pan(-1);
        return probe;
    }

    @ParameterizedTest(name = "blocks up to {0}")
    @ValueSource(ints = {1, 64, 1000, 4096})
    void roundALoopEveryBeatGoesOnFromTheLoopStartAndEachChangeLandsOnItsSample(int maxBlock) throws IOException {
        Track probe = probe();
        session.tempo().bpm(120);
        int beat = 24_000;
        session.loop(4L * beat, 7L * beat, "session.loop");
        session.looping(true);
        session.locate(2.5);
        assertEquals(5L * beat, session.transportSample());
        List<Long> transport = new ArrayList<>();
        List<Long> engineTimes = new ArrayList<>();
        session.every("1 beat", () -> {
            transport.add(session.transportSample());
            engineTimes.add(session.now());
            probe.fader(transport.size() % 2 == 0 ? 0 : -6);
        });
        List<Long> once = new ArrayList<>();
        session.at("2:3:0", () -> once.add(session.now()));
        session.at("5:1:0", () -> once.add(-1L));
        session.play();
        float[] left = render(20 * beat, BlockSizes.random(maxBlock, 1, maxBlock))[0];
        List<Long> expectedTransport = new ArrayList<>();
        List<Long> expectedEngine = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            expectedTransport.add((long) new int[] {5, 6, 4}[k % 3] * beat);
            expectedEngine.add((long) k * beat);
        }
        assertEquals(expectedTransport, transport, "beats 6 and 7, then round the loop from beat 5");
        assertEquals(expectedEngine, engineTimes, "one beat apart on the engine clock, across every jump");
        assertEquals(List.of((long) beat), once, "2:3:0 (inside the loop) ran once; 5:1:0 (past its end) never");
        int ramp = 48_000 * Limits.DECLICK_MILLISECONDS / 1000;
        for (int k = 1; k < engineTimes.size(); k++) {
            int at = Math.toIntExact(engineTimes.get(k));
            double before = k % 2 == 0 ? 0 : -6;
            double after = (k + 1) % 2 == 0 ? 0 : -6;
            assertEquals(before, Decibels.fromGain(Math.abs(left[at - 1])), 1e-4, "beat " + k + " not yet");
            assertEquals(after, Decibels.fromGain(Math.abs(left[at + ramp])), 1e-4, "beat " + k + " in place");
        }
    }

    @Test
    void badLoopRangesAreRefusedWithOneLineAndChangeNothing() {
        DeskException noRange = assertThrows(DeskException.class, () -> session.looping(true));
        assertEquals("session.looping true: set the loop range first, e.g. session.loop(\"5:1\", \"9:1\")",
                noRange.getMessage());
        session.loop(48_000L, 96_000L, "session.loop");
        DeskException inverted = assertThrows(DeskException.class,
                () -> session.loop(96_000L, 48_000L, "session.loopStart"));
        assertEquals("session.loopStart 2 s to 1 s: the end must be after the start", inverted.getMessage());
        assertEquals(48_000L, session.loopStart(), "unchanged");
        assertEquals(96_000L, session.loopEnd(), "unchanged");
        assertFalse(session.looping());
        session.looping(true);
        assertEquals(new desk.engine.LoopRange(48_000, 96_000), session.activeLoop());
        session.loop(null, 96_000L, "session.loopStart");
        assertFalse(session.looping(), "clearing an end of the range turns looping off");
        assertEquals(null, session.activeLoop());
    }

    @ParameterizedTest(name = "blocks up to {0}")
    @ValueSource(ints = {1, 64, 1000, 4096})
    void everyBarAt120BpmFiresOnTheExactSampleOfEachBarFor100Bars(int maxBlock) throws IOException {
        Track probe = probe();
        session.tempo().bpm(120);
        List<Long> fired = new ArrayList<>();
        session.every("1 bar", () -> {
            fired.add(session.transportSample());
            probe.fader(fired.size() % 2 == 0 ? 0 : -6);
        });
        session.play();
        int bar = 96_000;
        float[] left = render(100 * bar + 1_000, BlockSizes.random(maxBlock, 1, maxBlock))[0];
        assertEquals(101, fired.size(), "bars 1 to 101 began");
        int ramp = 48_000 * Limits.DECLICK_MILLISECONDS / 1000;
        for (int k = 1; k <= 100; k++) {
            assertEquals((long) k * bar, fired.get(k));
            double before = (k - 1) % 2 == 0 ? -6 : 0;
            double after = k % 2 == 0 ? -6 : 0;
            int start = k * bar;
            if (k < 100) {
                assertEquals(before, Decibels.fromGain(left[start - 1]), 1e-4, "bar " + (k + 1) + " not yet");
                assertTrue(Math.abs(Decibels.fromGain(left[start]) - before) > 1e-3, "changes on the bar line " + k);
                assertEquals(after, Decibels.fromGain(left[start + ramp - 1]), 1e-4, "bar " + (k + 1));
            }
        }
    }

    @Test
    void atAfterAndCancelUseMusicalAndClockTime() throws IOException {
        session.tempo().bpm(90);
        session.tempo().signature("3/4");
        List<String> log = new ArrayList<>();
        session.at("2:1:0", () -> log.add("bar 2 at " + session.transportSample()));
        session.at(1.0, () -> log.add("one second at " + session.transportSample()));
        Scheduler.Task cancelled = session.after("1 beat", () -> log.add("never"));
        cancelled.cancel();
        session.at("next beat", () -> session.after("2 beats", () -> log.add("chained at " + session.transportSample())));
        session.play();
        render(200_000, BlockSizes.fixed(512));
        double beat = 48_000 * 60.0 / 90;
        assertEquals(List.of("one second at 48000", "bar 2 at " + Math.round(3 * beat),
                "chained at " + Math.round(3 * beat)), log, "in time order, then in the order they were made");
        assertTrue(cancelled.done());
    }

    @Test
    void nothingFiresWhileStoppedAndLocateMovesTheGrid() throws IOException {
        List<Long> fired = new ArrayList<>();
        session.every(0.5, () -> fired.add(session.transportSample()));
        render(48_000, BlockSizes.fixed(256));
        assertTrue(fired.isEmpty(), "stopped: nothing runs");
        session.play();
        render(30_000, BlockSizes.fixed(256));
        assertEquals(List.of(0L, 24_000L), fired);
        session.locate(10.1);
        assertEquals(484_800, session.transportSample());
        render(30_000, BlockSizes.fixed(256));
        assertEquals(List.of(0L, 24_000L, 504_000L), fired, "from the first grid time after the new position");
        session.stop();
        assertFalse(session.transportRolling());
    }

    @Test
    void aFailingFunctionIsCancelledAndTheOthersKeepTheirTimes() throws IOException {
        List<Long> fired = new ArrayList<>();
        Scheduler.Task failing = session.every(0.1, () -> {
            throw new DeskException("boom");
        });
        session.every(0.1, () -> fired.add(session.transportSample()));
        session.play();
        CallbackFailure boom = assertThrows(CallbackFailure.class, () -> render(10_000, BlockSizes.fixed(100)));
        assertEquals("every 0.1 failed and is cancelled: boom", boom.getMessage());
        assertEquals("boom", boom.getCause().getMessage());
        assertTrue(failing.done());
        render(10_000, BlockSizes.fixed(100));
        assertEquals(List.of(0L, 4_800L, 9_600L), fired, "the render stopped before any audio; the rest ran on time");
    }

    @Test
    void musicalTimesAreParsedAndBadOnesRefused() {
        Tempo tempo = session.tempo();
        assertEquals(96_000, tempo.length("1 bar", "t"), 1e-9);
        assertEquals(24_000, tempo.length("1 beat", "t"), 1e-9);
        assertEquals(12_000, tempo.length("250 ms", "t"), 1e-9);
        assertEquals(480, tempo.length("480 samples", "t"), 1e-9);
        assertEquals(72_000, tempo.length(1.5, "t"), 1e-9);
        assertEquals(96_000 * 16, tempo.position("17:1:0", 0, "t"), 1e-9);
        assertEquals(96_000 + 24_000 + 12_000, tempo.position("2:2:480", 0, "t"), 1e-9);
        assertEquals(96_000, tempo.position("next bar", 0, "t"), 1e-9);
        assertEquals(96_000, tempo.position("next bar", 95_999, "t"), 1e-9);
        assertEquals(48_000, tempo.position("next beat", 24_000, "t"), 1e-9);
        assertEquals("17:1:0", tempo.bars(96_000 * 16));
        assertEquals("2:2:480", tempo.bars(132_000));
        DeskException unit = assertThrows(DeskException.class, () -> tempo.length("2 bananas", "after duration"));
        assertEquals("after duration \"2 bananas\": must be seconds or text like \"2 bars\", \"1 beat\", \"250 ms\","
                + " \"480 samples\" or \"4:2:0\"", unit.getMessage());
        DeskException beat = assertThrows(DeskException.class, () -> tempo.position("3:5:0", 0, "at time"));
        assertEquals("at time \"3:5:0\": bars count from 1 and beats from 1 to 4 (\"bar:beat:tick\", e.g. \"17:1:0\")",
                beat.getMessage());
        DeskException bpm = assertThrows(DeskException.class, () -> tempo.bpm(0));
        assertTrue(bpm.getMessage().startsWith("session.tempo 0"), bpm.getMessage());
        assertEquals(120, tempo.bpm(), "unchanged");
    }

    @Test
    void aLaneInReadModePlaysAndTheFaderReadsItsValue() throws IOException {
        Track probe = probe();
        probe.lane("fader").add(0, 0, Interpolation.DB).add(48_000, -20, Interpolation.DB);
        session.play();
        float[] left = render(50_000, BlockSizes.fixed(333))[0];
        assertEquals(-10, Decibels.fromGain(left[24_000]), 0.01);
        assertEquals(-20, probe.fader(), 1e-9, "the fader reads the lane's value");
        probe.lane("fader").mode("off");
        assertEquals(-20, probe.fader(), 1e-9, "and keeps it when the lane stops playing");
        float[] after = render(1_000, BlockSizes.fixed(333))[0];
        assertEquals(-20, Decibels.fromGain(after[999]), 1e-4, "no jump");
    }

    @Test
    void writeModeRecordsChangesMadeWhileRolling() throws IOException {
        Track probe = probe();
        Lane lane = probe.lane("fader");
        lane.mode("write");
        session.play();
        session.every(0.25, () -> probe.fader(-3 * session.transportSample() / 12_000.0));
        render(48_000 + 10, BlockSizes.fixed(256));
        session.stop();
        assertEquals(List.of(0L, 12_000L, 24_000L, 36_000L, 48_000L),
                lane.points().stream().map(Lane.Point::time).toList());
        assertEquals(-12, lane.points().get(4).value(), 1e-9);
        lane.mode("read");
        session.locate(0);
        session.play();
        float[] left = render(48_000, BlockSizes.fixed(256))[0];
        assertEquals(-4.5, Decibels.fromGain(left[18_000]), 0.01, "plays back what was written");
    }

    @Test
    void touchTakesOverUntilReleasedAndLatchUntilStopped() throws IOException {
        Track probe = probe();
        Lane lane = probe.lane("fader").add(0, -10, Interpolation.DB);
        lane.mode("touch");
        session.play();
        render(1_000, BlockSizes.fixed(100));
        probe.fader(-3);
        float[] touched = render(1_000, BlockSizes.fixed(100))[0];
        assertEquals(-3, Decibels.fromGain(touched[999]), 1e-4, "the hand wins while touching");
        assertEquals(2, lane.points().size(), "the touch was recorded");
        lane.release();
        float[] released = render(2_000, BlockSizes.fixed(100))[0];
        assertEquals(-3, Decibels.fromGain(released[1_999]), 1e-4, "the lane plays again: it now holds the touch");
        lane.clear();
        lane.add(0, -10, Interpolation.DB).mode("latch");
        probe.fader(-1);
        render(1_000, BlockSizes.fixed(100));
        session.stop();
        session.play();
        float[] afterStop = render(1_000, BlockSizes.fixed(100))[0];
        assertEquals(-1, Decibels.fromGain(afterStop[999]), 1e-4, "the latch recorded -1 and plays it back");
    }

    @Test
    void rampsAreRefusedWhileALanePlaysAndBadLanesChangeNothing() {
        Track probe = probe();
        probe.lane("fader").add(0, -6, Interpolation.DB);
        DeskException ramp = assertThrows(DeskException.class, () -> probe.ramp("fader", -20, 100, Interpolation.DB));
        assertEquals("Probe.ramp(\"fader\"): the fader follows its lane (mode read): set the lane's mode to \"off\""
                + " first", ramp.getMessage());
        DeskException value = assertThrows(DeskException.class, () -> probe.lane("fader").add(0, 99, Interpolation.DB));
        assertEquals("Probe.lane(\"fader\") point value 99 is out of range: must be -inf or -144..12 dB", value.getMessage());
        assertEquals(1, probe.lane("fader").points().size());
        DeskException name = assertThrows(DeskException.class, () -> probe.lane("volume"));
        assertEquals("Probe.lane(\"volume\"): must be \"trim\", \"fader\", \"pan\" or \"mute\"", name.getMessage());
        DeskException mode = assertThrows(DeskException.class, () -> probe.lane("fader").mode("play"));
        assertTrue(mode.getMessage().startsWith("Probe.lane(\"fader\").mode \"play\": must be"), mode.getMessage());
        Lane kept = probe.lane("fader");
        probe.remove();
        DeskException removed = assertThrows(DeskException.class, () -> kept.add(10, -3, Interpolation.DB));
        assertEquals("Probe was removed", removed.getMessage());
    }

    @Test
    void expectationsRecordEveryCheck() {
        Expectations checks = session.expectations();
        assertTrue(checks.expect(-3.0, "peak").toBeBelow(-1));
        assertFalse(checks.expect(-0.5, null).toBeBelow(-1));
        assertTrue(checks.expect(2.0, null).toBe(2L));
        assertTrue(checks.expect(-14.02, "lufs").toBeCloseTo(-14, 0.05));
        assertFalse(checks.expect("a", "text").toBe("b"));
        assertEquals(5, checks.results().size());
        assertEquals(List.of("check 2: expected -0.5 to be below -1", "text: expected \"a\" to be \"b\""),
                checks.failures().stream().map(r -> r.name() + ": " + r.message()).toList());
    }
}
