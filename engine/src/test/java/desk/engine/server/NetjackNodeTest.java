package desk.engine.server;

import desk.engine.ClockReading;
import desk.engine.ClockRole;
import desk.engine.EngineCommand;
import desk.engine.GeneratorSpec;
import desk.engine.MonitorMode;
import desk.engine.NodeIds;
import desk.engine.StripKind;
import desk.engine.backend.JackServer;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JACK servers on one machine joined by netjack2 over loopback (the main one on the dummy driver with
 * {@code netmanager}, the node on {@code -d net}), an engine process on each: the node follows the main
 * engine's clock, the main engine measures how late the node's returns arrive, and once the return is placed
 * on the timeline a period later than that (as the session places it) and its latency declared on the return
 * track, a sine on the node nulls on the main master against the same sine on the main engine, inverted,
 * wherever the link loses nothing (a period netjack2 drops plays as silence, and the main engine counts it).
 */
class NetjackNodeTest {
    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final String NODE = "stage2";
    private static final int LINK_CHANNELS = 3;
    private static final int NETWORK_CYCLES = 2;
    private static final int TRACK = 2;
    private static final int SINE = 3;
    private static final int RETURN = 4;
    private static final int CLOCK_PORTS = 5;
    private static final int RETURN_SOURCE = 6;

    @Test
    void aTrackOnTheNodeIsSampleAlignedWithOneOnTheMainEngine() throws Exception {
        try (JackServer main = new JackServer(RATE, PERIOD)) {
            try (JackServer nodeServer = main.netNode(NODE, LINK_CHANNELS, NETWORK_CYCLES);
                 RemoteEngineLink lead = RemoteEngineLink.start(main.name(), "desk");
                 RemoteEngineLink node = RemoteEngineLink.start(nodeServer.name(), "desk")) {
                await("the node's ports on the main server", () -> jackPorts(main).contains(NODE + ":from_slave_3"));
                clock(node, ClockRole.FOLLOW, "system:capture_3", "system:playback_3");
                sineTrack(node);
                clock(lead, ClockRole.LEAD, NODE + ":from_slave_3", NODE + ":to_slave_3");
                sineTrack(lead);
                lead.execute(new EngineCommand.CreateStrip(RETURN, StripKind.TRACK, 2));
                lead.addTrack(RETURN, NODE, 2);
                int[] captures = new int[2];
                for (int c = 0; c < 2; c++) {
                    captures[c] = lead.connectInput(RETURN, c, NODE + ":from_slave_" + (c + 1));
                }
                lead.execute(new EngineCommand.SetMonitoring(RETURN, MonitorMode.INPUT));
                lead.execute(new EngineCommand.SetPolarity(RETURN, new boolean[]{true, true}));
                lead.execute(new EngineCommand.SetTransport(true));

                await("the main engine reads the node's echo", () -> lead.clock().locked());
                int latency = steadyLatency(lead);
                long lossesWhileLocking = lead.clock().losses();
                assertEquals(0, latency % PERIOD, "whole periods: " + latency);
                assertTrue(node.clock().locked(), "the node reads the main engine's clock");
                assertTrue(node.transport().rolling(), "the node's transport follows the main engine's");
                int placed = latency + PERIOD;
                lead.execute(new EngineCommand.CreateNodeReturn(RETURN_SOURCE, captures, placed));
                for (int c = 0; c < 2; c++) {
                    lead.execute(new EngineCommand.SetInput(RETURN, c, RETURN_SOURCE, c));
                }
                lead.execute(new EngineCommand.SetInputLatency(RETURN, placed));
                assertEquals(placed, lead.stripLatency(NodeIds.MASTER_ID));

                double nulled = masterPeakWhileTheLinkLosesNothing(lead, placed);
                lead.execute(new EngineCommand.SetPolarity(RETURN, new boolean[]{false, false}));
                double summed = masterPeakWhileTheLinkLosesNothing(lead, placed);
                ClockReading reading = lead.clock();
                System.out.printf("netjack2 node: latency %d samples (%d periods), null %.1f dBFS, sum %.1f dBFS,"
                        + " clock losses while locking %d, blocks lost while measuring %d%n", latency, latency / PERIOD,
                        nulled, summed, lossesWhileLocking, reading.lostBlocks());
                assertTrue(summed > -12, "the two sines add up when neither is inverted: " + summed);
                assertTrue(nulled < -90, "the node's sine nulls against the main one: " + nulled + " dBFS");
            }
        }
    }

    /** Gives the engine its shared clock on ports of its own, reading {@code from} and writing {@code to}. */
    private static void clock(RemoteEngineLink link, ClockRole role, String from, String to) {
        link.addTrack(CLOCK_PORTS, "clock", 1);
        int capture = link.connectInput(CLOCK_PORTS, 0, from);
        int playback = link.addDirectOut(CLOCK_PORTS, "clock", 1)[0];
        link.connectOutput(CLOCK_PORTS, 0, to);
        link.execute(new EngineCommand.SetClock(role, capture, playback));
    }

    private static void sineTrack(RemoteEngineLink link) {
        link.execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 1));
        link.execute(new EngineCommand.CreateGenerator(SINE, GeneratorSpec.sine(997, -12)));
        link.execute(new EngineCommand.SetInput(TRACK, 0, SINE, 0));
    }

    /** The latency the main engine measures, once it reads the same for half a second. */
    private static int steadyLatency(RemoteEngineLink lead) {
        int[] seen = {lead.clock().latency()};
        long[] since = {lead.position()};
        await("a steady latency", () -> {
            int now = lead.clock().latency();
            if (now != seen[0]) {
                seen[0] = now;
                since[0] = lead.position();
            }
            return now > 0 && lead.position() - since[0] > RATE / 2;
        });
        return seen[0];
    }

    /**
     * The highest sample on the main master over the first half second in which the link lost nothing: no block
     * skipped or late, no clock lost (netjack2 on a busy machine drops a period now and then, which plays as
     * silence). A window starts once any loss counted before it has played, {@code placed} samples and a period
     * after it was counted; a window in which the link lost something is measured again, up to 16 times.
     */
    private static double masterPeakWhileTheLinkLosesNothing(RemoteEngineLink lead, int placed) {
        ClockReading before = lead.clock();
        for (int window = 0; window < 16; window++) {
            long settled = lead.position() + Math.max(RATE / 4, placed + 2 * PERIOD);
            await("compensation settles", () -> lead.position() > settled);
            lead.execute(new EngineCommand.ResetMeters(NodeIds.MASTER_ID));
            long end = lead.position() + RATE / 2;
            await("half a second of audio", () -> lead.position() > end);
            double peak = lead.meter(NodeIds.MASTER_ID, MeterPoint.POST_FADER).peakMax();
            ClockReading after = lead.clock();
            if (after.lostBlocks() == before.lostBlocks() && after.lateBlocks() == before.lateBlocks()
                    && after.losses() == before.losses()) {
                return peak;
            }
            before = after;
        }
        throw new AssertionError("the link lost blocks in each of 16 half seconds: " + before);
    }

    private static String jackPorts(JackServer server) {
        try {
            return server.run("jack_lsp");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 5 ms until it holds, failing after 20 s. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }
}
