package desk.engine;

import desk.engine.rt.NodeClock;
import desk.engine.rt.NodeReturn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two engines sharing a clock, as a lead engine and a node joined by a network link that carries whole
 * periods some periods late each way: the node takes the lead's positions and transport, the lead measures
 * how late the node's returns arrive, and once that latency is declared on the return track a sine on the
 * node nulls against the same sine on the lead, inverted.
 */
class SharedClockTest {
    private static final int LINK_CHANNELS = 3;
    private static final int CLOCK_CHANNEL = 2;

    /** A network link: what one engine wrote in a period reaches the other {@code periods} periods later. */
    private static final class Link {
        private final Deque<float[][]> inFlight = new ArrayDeque<>();
        private float[][] delivered;
        private boolean repeatNext;
        private boolean down;

        Link(int periods, int frames) {
            for (int i = 0; i < periods; i++) {
                inFlight.add(new float[LINK_CHANNELS][frames]);
            }
        }

        /** From now on everything arrives a period later: the next period brings nothing. */
        void slowDown(int frames) {
            inFlight.addFirst(new float[LINK_CHANNELS][frames]);
        }

        /**
         * As netjack2 does when a period comes too late: the next period brings the one before it again, and the
         * period it should have brought is lost.
         */
        void repeatOnce() {
            repeatNext = true;
        }

        /** From now on nothing arrives, as when the node or the network stops. */
        void goDown() {
            down = true;
        }

        float[][] carry(float[][] sent) {
            if (down) {
                return new float[LINK_CHANNELS][sent[0].length];
            }
            float[][] copy = new float[LINK_CHANNELS][];
            for (int c = 0; c < LINK_CHANNELS; c++) {
                copy[c] = sent[c].clone();
            }
            inFlight.add(copy);
            float[][] next = inFlight.poll();
            if (repeatNext && delivered != null) {
                next = delivered;
            }
            repeatNext = false;
            delivered = next;
            return next;
        }
    }

    /** The lead engine, its node and the link between them, run period by period. */
    private static final class TwoEngines {
        final Rig lead;
        final Rig node;
        final int frames;
        final Link toNode;
        final Link fromNode;
        float[][] leadCapture;
        final float[][] leadPlayback;
        final float[][] nodePlayback;

        TwoEngines(int rate, int frames, int periodsToNode, int periodsFromNode) {
            this.frames = frames;
            lead = new Rig(rate, LINK_CHANNELS, LINK_CHANNELS);
            node = new Rig(rate, LINK_CHANNELS, LINK_CHANNELS);
            toNode = new Link(periodsToNode, frames);
            fromNode = new Link(periodsFromNode, frames);
            leadCapture = new float[LINK_CHANNELS][frames];
            leadPlayback = new float[LINK_CHANNELS][frames];
            nodePlayback = new float[LINK_CHANNELS][frames];
        }

        /** Runs one period on both engines; returns the lead's master output of it. */
        float[][] period() {
            lead.engine.rtProcess(leadCapture, leadPlayback, frames);
            float[][] nodeCapture = toNode.carry(leadPlayback);
            node.engine.rtProcess(nodeCapture, nodePlayback, frames);
            leadCapture = fromNode.carry(nodePlayback);
            return new float[][]{leadPlayback[0].clone(), leadPlayback[1].clone()};
        }
    }

    static Stream<Arguments> ratesPeriodsAndLinks() {
        List<Arguments> all = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(17);
        for (int rate : Rig.SAMPLE_RATES) {
            for (int frames : new int[]{NodeClock.WORDS, 64, 256, 1024, random.nextInt(8, 4097)}) {
                all.add(Arguments.of(rate, frames, random.nextInt(0, 4), random.nextInt(0, 4)));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} Hz, {1}-frame periods, {2} periods out and {3} back")
    @MethodSource("ratesPeriodsAndLinks")
    void aSineOnTheNodeNullsAgainstTheSameSineOnTheLeadOnceItsLatencyIsDeclared(int rate, int frames, int out,
                                                                                 int back) {
        TwoEngines engines = new TwoEngines(rate, frames, out, back);
        Rig lead = engines.lead;
        Rig node = engines.node;
        node.engine.execute(new EngineCommand.SetClock(ClockRole.FOLLOW, CLOCK_CHANNEL, CLOCK_CHANNEL));
        int remote = node.track(1);
        node.feed(remote, 1, node.generator(GeneratorSpec.sine(997, -12)));
        node.engine.execute(new EngineCommand.SetTransport(true));

        lead.engine.execute(new EngineCommand.SetClock(ClockRole.LEAD, CLOCK_CHANNEL, CLOCK_CHANNEL));
        int local = lead.track(1);
        lead.feed(local, 1, lead.generator(GeneratorSpec.sine(997, -12)));
        int returned = lead.track(2);
        lead.engine.execute(new EngineCommand.SetInput(returned, 0, NodeIds.CAPTURE_ID, 0));
        lead.engine.execute(new EngineCommand.SetInput(returned, 1, NodeIds.CAPTURE_ID, 1));
        lead.engine.execute(new EngineCommand.SetMonitoring(returned, MonitorMode.INPUT));
        lead.engine.execute(new EngineCommand.SetPolarity(returned, new boolean[]{true, true}));
        lead.engine.execute(new EngineCommand.Locate(rate));
        lead.engine.execute(new EngineCommand.SetTransport(true));

        for (int i = 0; i < out + back + 2; i++) {
            engines.period();
        }
        ClockReading reading = lead.engine.clock();
        assertTrue(reading.locked(), "the lead reads the node's echo: " + reading);
        int expected = (out + back + 1) * frames;
        assertEquals(expected, reading.latency(), "a period each way per period in flight, and the lead's own");
        assertTrue(node.engine.clock().locked());
        assertEquals(lead.engine.transport().position() - (long) out * frames, node.engine.transport().position(),
                "the node's transport is the lead's as the clock that reached it left the lead");
        assertTrue(node.engine.transport().rolling());

        lead.engine.execute(new EngineCommand.SetInputLatency(returned, reading.latency()));
        assertEquals(expected, lead.engine.stripLatency(NodeIds.MASTER_ID), "the session waits for the node");
        int settle = Math.max(rate / 10, 2 * expected) / frames + 1;
        for (int i = 0; i < settle; i++) {
            engines.period();
        }
        double peak = -400;
        double reference = -400;
        for (int i = 0; i < rate / frames + 1; i++) {
            float[][] master = engines.period();
            for (float[] channel : master) {
                peak = Math.max(peak, Rig.peakDb(channel, 0, frames));
            }
        }
        lead.engine.execute(new EngineCommand.SetPolarity(returned, new boolean[]{false, false}));
        for (int i = 0; i < settle; i++) {
            engines.period();
        }
        for (int i = 0; i < 4; i++) {
            reference = Math.max(reference, Rig.peakDb(engines.period()[0], 0, frames));
        }
        assertTrue(reference > -12, "the two sines add up when neither is inverted: " + reference);
        assertTrue(peak < -90, "the difference nulls: " + peak + " dBFS");
    }

    @Test
    void aReturnPlacedByTheClockStaysAlignedWhenTheLinkSlowsByAPeriod() {
        int rate = 48_000;
        int frames = 256;
        TwoEngines engines = new TwoEngines(rate, frames, 1, 2);
        Rig lead = engines.lead;
        int returned = noiseOnBoth(engines, 5);
        for (int i = 0; i < 6; i++) {
            engines.period();
        }
        int measured = lead.engine.clock().latency();
        assertEquals(4 * frames, measured);
        int placed = measured + frames;
        placeReturn(lead, returned, placed);
        for (int i = 0; i < rate / 10 / frames; i++) {
            engines.period();
        }
        double before = peakOver(engines, 40);
        engines.fromNode.slowDown(frames);
        double during = peakOver(engines, 3);
        assertEquals(placed, lead.engine.clock().latency(), "the return now arrives a period later");
        assertEquals(1, lead.engine.clock().losses(), "the period that brought nothing");
        double after = peakOver(engines, 40);
        assertTrue(before < -90 && during < -90 && after < -90, "white noise on the node nulls against the lead's"
                + " before, while and after the link slowed: " + before + ", " + during + " and " + after + " dBFS");
    }

    @Test
    void aPeriodTheLinkDropsEitherWayIsCountedLostPlaysAsSilenceAndTheRestStaysAligned() {
        int rate = 44_100;
        int frames = 128;
        TwoEngines engines = new TwoEngines(rate, frames, 1, 1);
        Rig lead = engines.lead;
        int returned = noiseOnBoth(engines, 11);
        for (int i = 0; i < 6; i++) {
            engines.period();
        }
        int placed = lead.engine.clock().latency() + frames;
        placeReturn(lead, returned, placed);
        peakOver(engines, 10);
        double before = peakOver(engines, 40);
        assertEquals(0, lead.engine.clock().lostBlocks(), "nothing lost yet");
        engines.fromNode.repeatOnce();
        double droppedBack = peakOver(engines, 10);
        assertEquals(1, lead.engine.clock().lostBlocks(), "the period lost on the way back");
        double between = peakOver(engines, 40);
        engines.toNode.repeatOnce();
        double droppedThere = peakOver(engines, 10);
        ClockReading reading = lead.engine.clock();
        assertEquals(2, reading.lostBlocks(), "and the one lost on the way to the node, which rendered a period twice");
        double after = peakOver(engines, 40);
        assertEquals(placed - frames, lead.engine.clock().latency(), "the link's latency is unchanged: " + reading);
        assertEquals(0, reading.losses(), "a repeated period still carries a clock");
        assertEquals(0, reading.lateBlocks(), "nothing came late");
        assertTrue(droppedBack > -20 && droppedThere > -20, "the lead's noise plays alone for the lost period: "
                + droppedBack + " and " + droppedThere + " dBFS");
        assertTrue(before < -90 && between < -90 && after < -90, "nulls around the lost periods: " + before + ", "
                + between + " and " + after + " dBFS");
    }

    @Test
    void aLinkThatGoesWhileTheReturnIsPlacedAgainIsStillCountedLost() {
        int frames = 256;
        TwoEngines engines = new TwoEngines(48_000, frames, 1, 1);
        Rig lead = engines.lead;
        int returned = noiseOnBoth(engines, 3);
        for (int i = 0; i < 6; i++) {
            engines.period();
        }
        placeReturn(lead, returned, lead.engine.clock().latency() + frames);
        peakOver(engines, 4);
        assertTrue(lead.engine.clock().locked(), "locked before the link goes");
        engines.fromNode.goDown();
        placeReturn(lead, returned, lead.engine.clock().latency() + 2 * frames);
        assertTrue(lead.engine.clock().locked(), "the clock placing the new return holds the lock it takes over");
        peakOver(engines, 4);
        ClockReading reading = lead.engine.clock();
        assertFalse(reading.locked(), "no clock arrives");
        assertEquals(1, reading.losses(), "the lock the replaced clock held was lost: " + reading);
    }

    @Test
    void blocksThatComeTooLatePlayAsSilenceOnceAndNeverARingLater() {
        int rate = 48_000;
        int frames = 256;
        TwoEngines engines = new TwoEngines(rate, frames, 0, 1);
        Rig lead = engines.lead;
        int returned = noiseOnBoth(engines, 9);
        for (int i = 0; i < 4; i++) {
            engines.period();
        }
        int placed = lead.engine.clock().latency() + frames;
        placeReturn(lead, returned, placed);
        peakOver(engines, 10);
        double before = peakOver(engines, rate / frames);
        engines.fromNode.slowDown(frames);
        engines.fromNode.slowDown(frames);
        double late = peakOver(engines, 20);
        ClockReading reading = lead.engine.clock();
        assertEquals(placed + frames, reading.latency(), "the return now comes two periods later");
        assertEquals(placed + frames, reading.worstLatency(), "the worst of the window");
        assertTrue(reading.lateBlocks() >= 17, "every block after the two that brought nothing came a period too late: "
                + reading);
        assertTrue(late > -20, "the lead's noise plays alone meanwhile: " + late);
        placeReturn(lead, returned, reading.worstLatency() + frames);
        peakOver(engines, 10);
        double after = peakOver(engines, 2 * NodeReturn.RING_FRAMES / frames);
        assertTrue(before < -90 && after < -90, "nulls before the link slowed and, placed again, for two ring lengths"
                + " after (no late block comes back a ring later): " + before + " and " + after + " dBFS");
    }

    /**
     * Shares the clock between the two engines and plays the same white noise (seed {@code seed}) on a track of
     * each; returns the lead's stereo return track, inverted and monitoring its input, which nothing feeds yet.
     */
    private static int noiseOnBoth(TwoEngines engines, long seed) {
        engines.node.engine.execute(new EngineCommand.SetClock(ClockRole.FOLLOW, CLOCK_CHANNEL, CLOCK_CHANNEL));
        engines.node.feed(engines.node.track(1), 1, engines.node.generator(GeneratorSpec.noise(false, -12, seed)));
        engines.lead.engine.execute(new EngineCommand.SetClock(ClockRole.LEAD, CLOCK_CHANNEL, CLOCK_CHANNEL));
        engines.lead.feed(engines.lead.track(1), 1, engines.lead.generator(GeneratorSpec.noise(false, -12, seed)));
        int returned = engines.lead.track(2);
        engines.lead.engine.execute(new EngineCommand.SetMonitoring(returned, MonitorMode.INPUT));
        engines.lead.engine.execute(new EngineCommand.SetPolarity(returned, new boolean[]{true, true}));
        return returned;
    }

    /** Feeds {@code returned} from a new node return on capture channels 0 and 1, {@code latency} samples late. */
    private static void placeReturn(Rig lead, int returned, int latency) {
        int source = lead.id();
        lead.engine.execute(new EngineCommand.CreateNodeReturn(source, new int[]{0, 1}, latency));
        lead.engine.execute(new EngineCommand.SetInput(returned, 0, source, 0));
        lead.engine.execute(new EngineCommand.SetInput(returned, 1, source, 1));
        lead.engine.execute(new EngineCommand.SetInputLatency(returned, latency));
    }

    @Test
    void withoutTheDeclaredLatencyTheSinesDoNotNull() {
        int rate = 48_000;
        int frames = 256;
        TwoEngines engines = new TwoEngines(rate, frames, 1, 1);
        engines.node.engine.execute(new EngineCommand.SetClock(ClockRole.FOLLOW, CLOCK_CHANNEL, CLOCK_CHANNEL));
        int remote = engines.node.track(1);
        engines.node.feed(remote, 1, engines.node.generator(GeneratorSpec.sine(997, -12)));
        engines.lead.engine.execute(new EngineCommand.SetClock(ClockRole.LEAD, CLOCK_CHANNEL, CLOCK_CHANNEL));
        int local = engines.lead.track(1);
        engines.lead.feed(local, 1, engines.lead.generator(GeneratorSpec.sine(997, -12)));
        int returned = engines.lead.track(2);
        engines.lead.engine.execute(new EngineCommand.SetInput(returned, 0, NodeIds.CAPTURE_ID, 0));
        engines.lead.engine.execute(new EngineCommand.SetInput(returned, 1, NodeIds.CAPTURE_ID, 1));
        engines.lead.engine.execute(new EngineCommand.SetMonitoring(returned, MonitorMode.INPUT));
        engines.lead.engine.execute(new EngineCommand.SetPolarity(returned, new boolean[]{true, true}));
        double peak = -400;
        for (int i = 0; i < 200; i++) {
            float[][] master = engines.period();
            if (i > 100) {
                peak = Math.max(peak, Rig.peakDb(master[0], 0, frames));
            }
        }
        assertTrue(peak > -40, "three periods apart, a 997 Hz sine does not cancel: " + peak);
    }

    private static double peakOver(TwoEngines engines, int periods) {
        double peak = -400;
        for (int i = 0; i < periods; i++) {
            for (float[] channel : engines.period()) {
                peak = Math.max(peak, Rig.peakDb(channel, 0, engines.frames));
            }
        }
        return peak;
    }

    @Test
    void aLostClockIsCountedAndTheNodeKeepsItsOwnTimeUntilTheClockReturns() {
        int frames = 128;
        TwoEngines engines = new TwoEngines(48_000, frames, 0, 0);
        engines.node.engine.execute(new EngineCommand.SetClock(ClockRole.FOLLOW, CLOCK_CHANNEL, CLOCK_CHANNEL));
        engines.lead.engine.execute(new EngineCommand.SetClock(ClockRole.LEAD, CLOCK_CHANNEL, CLOCK_CHANNEL));
        engines.lead.engine.execute(new EngineCommand.Locate(480_000));
        for (int i = 0; i < 4; i++) {
            engines.period();
        }
        assertEquals(frames, engines.lead.engine.clock().latency());
        engines.lead.engine.execute(new EngineCommand.SetClock(ClockRole.NONE, 0, 0));
        engines.period();
        engines.period();
        long nodeBefore = engines.node.engine.position();
        engines.period();
        assertFalse(engines.node.engine.clock().locked());
        assertEquals(1, engines.node.engine.clock().losses(), "one loss, however many periods it lasts");
        assertEquals(nodeBefore + frames, engines.node.engine.position(), "the node runs on by itself");
        assertEquals(ClockReading.NONE, engines.lead.engine.clock());

        engines.lead.engine.execute(new EngineCommand.SetClock(ClockRole.LEAD, CLOCK_CHANNEL, CLOCK_CHANNEL));
        engines.period();
        assertTrue(engines.node.engine.clock().locked());
        assertEquals(engines.lead.engine.position(), engines.node.engine.position(),
                "the node takes the lead's position again");
    }

    /** Runs {@code periods} periods of two engines joined directly, a period late each way; allocates nothing itself. */
    private static void runJoined(Engine lead, Engine node, float[][][] buffers, int frames, int periods) {
        float[][] leadCapture = buffers[0];
        float[][] leadPlayback = buffers[1];
        float[][] nodeCapture = buffers[2];
        float[][] nodePlayback = buffers[3];
        for (int i = 0; i < periods; i++) {
            lead.rtProcess(leadCapture, leadPlayback, frames);
            node.rtProcess(nodeCapture, nodePlayback, frames);
            for (int c = 0; c < LINK_CHANNELS; c++) {
                System.arraycopy(leadPlayback[c], 0, nodeCapture[c], 0, frames);
                System.arraycopy(nodePlayback[c], 0, leadCapture[c], 0, frames);
            }
        }
    }

    @Test
    void sharingTheClockAndPlacingTheReturnAllocateNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        int frames = 128;
        Rig lead = new Rig(48_000, LINK_CHANNELS, LINK_CHANNELS);
        Rig node = new Rig(48_000, LINK_CHANNELS, LINK_CHANNELS);
        node.engine.execute(new EngineCommand.SetClock(ClockRole.FOLLOW, CLOCK_CHANNEL, CLOCK_CHANNEL));
        node.feed(node.track(1), 1, node.generator(GeneratorSpec.sine(440, -12)));
        lead.engine.execute(new EngineCommand.SetClock(ClockRole.LEAD, CLOCK_CHANNEL, CLOCK_CHANNEL));
        int returned = lead.track(2);
        int source = lead.id();
        lead.engine.execute(new EngineCommand.CreateNodeReturn(source, new int[]{0, 1}, 3 * frames));
        lead.engine.execute(new EngineCommand.SetInput(returned, 0, source, 0));
        lead.engine.execute(new EngineCommand.SetInput(returned, 1, source, 1));
        lead.engine.execute(new EngineCommand.SetInputLatency(returned, 3 * frames));
        lead.engine.execute(new EngineCommand.SetTransport(true));
        float[][][] buffers = new float[4][LINK_CHANNELS][frames];
        long thread = Thread.currentThread().threadId();
        // As AllocationTest: the JIT resolves a class's constants on the thread whose call compiles it, so the
        // warm-up runs until C2 has had its chance (at least 100,000 periods) and four chunks allocated nothing.
        int quiet = 0;
        for (int chunk = 0; chunk < 80 && (chunk < 20 || quiet < 4); chunk++) {
            long before = threads.getThreadAllocatedBytes(thread);
            runJoined(lead.engine, node.engine, buffers, frames, 5_000);
            quiet = threads.getThreadAllocatedBytes(thread) == before ? quiet + 1 : 0;
        }
        long before = threads.getThreadAllocatedBytes(thread);
        runJoined(lead.engine, node.engine, buffers, frames, 20_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(lead.engine.clock().locked() && node.engine.clock().locked(), "both read a clock");
        assertEquals(2 * frames, lead.engine.clock().latency(), "a period each way");
        assertTrue(Rig.peakDb(buffers[1][0], 0, frames) > -20, "the return plays on the lead's master");
        assertEquals(0, allocated, "bytes allocated by 20,000 periods of both engines");
    }

    @Test
    void audioIsNotMistakenForAClock() {
        Rig node = new Rig(48_000, LINK_CHANNELS, LINK_CHANNELS);
        node.engine.execute(new EngineCommand.SetClock(ClockRole.FOLLOW, CLOCK_CHANNEL, CLOCK_CHANNEL));
        float[][] capture = new float[LINK_CHANNELS][256];
        float[][] playback = new float[LINK_CHANNELS][256];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            for (float[] channel : capture) {
                for (int s = 0; s < channel.length; s++) {
                    channel[s] = (float) random.nextDouble(-1, 1);
                }
            }
            Arrays.fill(capture[CLOCK_CHANNEL], 0, 3, 0f);
            node.engine.rtProcess(capture, playback, 256);
            assertFalse(node.engine.clock().locked());
        }
        assertEquals(100L * 256, node.engine.position());
    }

    @Test
    void badClockAndLatencySettingsAreRefusedInOneLine() {
        Rig rig = new Rig(48_000, LINK_CHANNELS, LINK_CHANNELS);
        int track = rig.track(2);
        EngineException playback = assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.SetClock(ClockRole.LEAD, 0, 7)));
        assertEquals("clock playback channel 7: must be 0..2", playback.getMessage());
        EngineException latency = assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.SetInputLatency(track, -1)));
        assertTrue(latency.getMessage().startsWith("input latency -1: must be 0.."), latency.getMessage());
        assertEquals(ClockReading.NONE, rig.engine.clock());
        assertEquals(0, rig.engine.stripLatency(NodeIds.MASTER_ID));
    }
}
