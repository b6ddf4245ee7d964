package desk.engine.server;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.GeneratorSpec;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.backend.JackServer;
import desk.engine.io.WavReader;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine in a process of its own on a real JACK server: commands and port changes cross the socket; the
 * server can die and come back, the engine process can crash, and each time the session's current state is
 * replayed, on the control thread, into the fresh engine, and the link puts back the connections of the
 * master's and the direct outs' ports. The session here is the test's own: it was built through a history of
 * renames and direct outs turned on, off and on again (so their ports take other places), and its replay
 * sends only where that history ended.
 */
class RemoteEngineLinkTest {
    private static final int RATE = 48000;
    private static final int VOX = 2;
    private static final int KEYS = 3;
    private static final int TONE = 4;
    private static final int DRUMS = 5;
    private static final int FX = 6;
    private static final int VERB = 7;
    private static final double TONE_DB = -12;
    private static final double FADER_DB = -6;

    private JackServer server;
    private RemoteEngineLink link;
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final AtomicInteger replays = new AtomicInteger();
    private ScheduledExecutorService controlLoop;

    @BeforeEach
    void start() throws Exception {
        server = new JackServer(RATE, 256);
        link = RemoteEngineLink.start(server.name(), "desk");
        link.onEvent(events::add);
        buildSession();
        link.onReconnect(this::replay);
        controlLoop = Executors.newSingleThreadScheduledExecutor();
        controlLoop.scheduleAtFixedRate(link::maintain, 5, 5, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (controlLoop != null) {
            controlLoop.shutdownNow();
            controlLoop.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (link != null) {
            link.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A track on a capture port and a stereo track playing a tone at a known level into the master. */
    private void buildSession() {
        tracks("Vox");
        link.execute(new EngineCommand.SetParameter(KEYS, Parameter.FADER, -20));
        link.execute(new EngineCommand.SetParameter(KEYS, Parameter.FADER, FADER_DB));
        link.renameTrack(VOX, "Lead");

        link.execute(new EngineCommand.CreateStrip(DRUMS, StripKind.GROUP_BUS, 2));
        link.execute(new EngineCommand.SetOutput(KEYS, DRUMS));
        directOut(DRUMS, "Drums", 2);
        link.execute(new EngineCommand.CreateStrip(FX, StripKind.AUX_BUS, 1));
        directOut(FX, "FX", 1);
        link.execute(new EngineCommand.SetDirectOut(DRUMS, null));
        link.removeDirectOut(DRUMS);
        link.execute(new EngineCommand.CreateStrip(VERB, StripKind.AUX_BUS, 1));
        directOut(VERB, "Verb", 1);
        directOut(DRUMS, "Drums", 2);
        link.renameDirectOut(DRUMS, "Kit");
        link.connectOutput(DRUMS, 0, "system:playback_1");
        link.connectOutput(DRUMS, 1, "system:playback_1");
        link.disconnectOutput(DRUMS, 1, null);
        link.connectOutput(DRUMS, 1, "system:playback_2");
        link.connectOutput(FX, 0, "system:playback_2");
        link.disconnectOutput(FX, 0, "system:playback_2");
        link.disconnectOutput(NodeIds.MASTER_ID, 1, "system:playback_2");
        link.connectOutput(NodeIds.MASTER_ID, 1, "system:playback_1");
    }

    /** The voice track (called {@code voxName}) on a capture port, and the keys on a capture port and a tone. */
    private void tracks(String voxName) {
        link.execute(new EngineCommand.CreateStrip(VOX, StripKind.TRACK, 1));
        link.addTrack(VOX, voxName, 1);
        int capture = link.connectInput(VOX, 0, "system:capture_2");
        link.execute(new EngineCommand.SetInput(VOX, 0, NodeIds.CAPTURE_ID, capture));
        link.execute(new EngineCommand.CreateStrip(KEYS, StripKind.TRACK, 2));
        link.addTrack(KEYS, "Keys", 2);
        link.connectInput(KEYS, 1, "system:capture_1");
        link.execute(new EngineCommand.CreateGenerator(TONE, GeneratorSpec.sine(1000, TONE_DB)));
        link.execute(new EngineCommand.SetInput(KEYS, 0, TONE, 0));
    }

    /** The session as the history of {@link #buildSession} left it, for a fresh engine: the state, not the history. */
    private void replay() {
        replays.incrementAndGet();
        tracks("Lead");
        link.execute(new EngineCommand.SetParameter(KEYS, Parameter.FADER, FADER_DB));
        link.execute(new EngineCommand.CreateStrip(DRUMS, StripKind.GROUP_BUS, 2));
        link.execute(new EngineCommand.SetOutput(KEYS, DRUMS));
        link.execute(new EngineCommand.CreateStrip(FX, StripKind.AUX_BUS, 1));
        directOut(FX, "FX", 1);
        link.execute(new EngineCommand.CreateStrip(VERB, StripKind.AUX_BUS, 1));
        directOut(VERB, "Verb", 1);
        directOut(DRUMS, "Kit", 2);
    }

    /** Turns a bus's direct out on: its ports, then the engine's path onto the playback channels they carry. */
    private void directOut(int bus, String name, int channels) {
        link.execute(new EngineCommand.SetDirectOut(bus, link.addDirectOut(bus, name, channels)));
    }

    /**
     * What the server shows of the session: Desk's ports and their connections, as jack_lsp -c lists them, by
     * port name (the server lists ports in the order of the places they took, which a fresh engine may give
     * out differently).
     */
    private Map<String, List<String>> ports() throws Exception {
        String listing = server.run("jack_lsp", "-c");
        Map<String, List<String>> ours = new TreeMap<>();
        String port = null;
        for (String line : listing.lines().toList()) {
            if (!line.startsWith(" ")) {
                port = line.startsWith("desk:") ? line : null;
                if (port != null) {
                    ours.put(port, new ArrayList<>());
                }
            } else if (port != null) {
                ours.get(port).add(line.strip());
            }
        }
        ours.values().forEach(java.util.Collections::sort);
        return ours;
    }

    /**
     * The master's RMS level once it has settled: two readings 100 ms apart by the engine's clock agree (so a
     * server that stalls under load cannot pass for a settled one), dBFS.
     */
    private double masterLevel() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double previous = Double.NEGATIVE_INFINITY;
        while (System.nanoTime() < deadline) {
            long until = link.position() + RATE / 10;
            while (link.position() < until && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            double level = link.meter(NodeIds.MASTER_ID, MeterPoint.POST_FADER).rms();
            if (level > -60 && Math.abs(level - previous) < 0.005) {
                return level;
            }
            previous = level;
        }
        return previous;
    }

    @Test
    void theEngineRunsInItsOwnProcessAndPlaysTheSession() throws Exception {
        assertNotEquals(ProcessHandle.current().pid(), link.enginePid());
        assertTrue(ProcessHandle.of(link.enginePid()).isPresent(), "the engine process is running");
        assertEquals(RATE, link.sampleRate());
        Map<String, List<String>> expectedPorts = new TreeMap<>(Map.of(
                "desk:Lead_in_1", List.of("system:capture_2"), "desk:Keys_in_1", List.of(),
                "desk:Keys_in_2", List.of("system:capture_1"), "desk:master_out_1", List.of("system:playback_1"),
                "desk:master_out_2", List.of("system:playback_1"), "desk:Kit_out_1", List.of("system:playback_1"),
                "desk:Kit_out_2", List.of("system:playback_2"), "desk:FX_out_1", List.of(),
                "desk:Verb_out_1", List.of()));
        assertEquals(expectedPorts, ports());
        assertEquals(List.of(List.of("system:playback_1"), List.of("system:playback_2")), link.connections(DRUMS));
        assertEquals(List.of("desk:Kit_out_1", "desk:Kit_out_2"), link.busPorts(DRUMS));
        double expected = TONE_DB + FADER_DB + 20 * Math.log10(Math.sqrt(0.5));
        assertEquals(expected, masterLevel(), 0.05, "the tone's RMS at the fader's level, balance centred");
        EngineException refused = assertThrows(EngineException.class,
                () -> link.execute(new EngineCommand.SetParameter(KEYS, Parameter.PAN, 0)));
        assertEquals("pan applies to mono strips; strip 3 has 2 channels: use balance", refused.getMessage());
    }

    @Test
    void directOutsCarryTheirOwnBusesOnTheirOwnPortsBeforeAndAfterTheEngineRestarts(@TempDir Path folder)
            throws Exception {
        JackServer.requireTools("jack-record");
        double[] before = directOutPeaks(folder.resolve("before"));
        String restarted = link.reconnect(20_000);
        assertTrue(restarted.startsWith("reconnected to JACK server"), restarted);
        double[] after = directOutPeaks(folder.resolve("after"));
        double expected = TONE_DB + FADER_DB;
        assertEquals(expected, before[0], 0.05, "Kit_out_1 carries the keys' tone after their fader");
        assertArrayEquals(new double[]{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                java.util.Arrays.copyOfRange(before, 1, 4), "Kit_out_2, FX_out_1 and Verb_out_1 are silent");
        assertEquals(before[0], after[0], 0.05, "the same after the restart");
        assertArrayEquals(java.util.Arrays.copyOfRange(before, 1, 4), java.util.Arrays.copyOfRange(after, 1, 4));
    }

    /** The peak levels (dBFS) jack-record captures from Kit_out_1, Kit_out_2, FX_out_1 and Verb_out_1. */
    private double[] directOutPeaks(Path prefix) throws Exception {
        double[] peaks = new double[4];
        String[][] captures = {{"desk:Kit_out_%d", "2"}, {"desk:FX_out_%d", "1"}, {"desk:Verb_out_%d", "1"}};
        int at = 0;
        for (int i = 0; i < captures.length; i++) {
            Path file = Path.of(prefix + "-" + i + ".wav");
            String printed = server.run("jack-record", "-b", "262144", "-p", captures[i][0], "-n", captures[i][1],
                    "-t", "1", file.toString());
            float[][] samples = WavReader.read(file).samples();
            assertTrue(samples[0].length > RATE / 2, "jack-record captured " + captures[i][0] + ": " + printed);
            for (float[] channel : samples) {
                double peak = 0;
                for (int j = channel.length / 4; j < channel.length; j++) {
                    peak = Math.max(peak, Math.abs(channel[j]));
                }
                peaks[at++] = 20 * Math.log10(peak);
            }
        }
        return peaks;
    }

    @Test
    void survivesTheServerDyingTwentyTimesAndRestoresTheSessionEachTime() throws Exception {
        Map<String, List<String>> portsBefore = ports();
        double levelBefore = masterLevel();
        long slowestAnswer = 0;
        long slowestReconnect = 0;
        List<Long> reconnects = new ArrayList<>();
        for (int trial = 1; trial <= 20; trial++) {
            events.clear();
            server.kill();
            String lost = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(lost, "trial " + trial + ": the loss is reported");
            assertTrue(lost.startsWith("JACK server \"" + server.name() + "\" stopped"), lost);
            long asked = System.nanoTime();
            link.execute(new EngineCommand.SetParameter(KEYS, Parameter.FADER, FADER_DB - trial));
            link.execute(new EngineCommand.SetParameter(KEYS, Parameter.FADER, FADER_DB));
            assertEquals(RATE, link.sampleRate());
            slowestAnswer = Math.max(slowestAnswer, System.nanoTime() - asked);
            assertTrue(!link.connected(), "trial " + trial + ": no engine while the server is gone");

            server.close();
            server = new JackServer(server.name(), RATE, 256);
            long back = System.nanoTime();
            String reconnected = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(reconnected, "trial " + trial + ": reconnected");
            assertTrue(reconnected.startsWith("reconnected to JACK server"), reconnected);
            slowestReconnect = Math.max(slowestReconnect, System.nanoTime() - back);
            reconnects.add(System.nanoTime() - back);
            assertEquals(portsBefore, ports(), "trial " + trial + ": every port connection restored");
            assertEquals(levelBefore, masterLevel(), 0.05, "trial " + trial + ": the mix is the same");
        }
        long median = reconnects.stream().sorted().toList().get(reconnects.size() / 2);
        System.out.printf("server killed 20 times: slowest answer while gone %.1f ms, reconnection after the server"
                + " answered again: median %.0f ms, slowest %.0f ms%n", slowestAnswer / 1e6, median / 1e6,
                slowestReconnect / 1e6);
        assertTrue(median <= TimeUnit.SECONDS.toNanos(1), "reconnected within 1 s of the server (median): "
                + median / 1_000_000 + " ms");
        assertTrue(slowestReconnect <= TimeUnit.MILLISECONDS.toNanos(2500), "reconnected within 2.5 s of the server"
                + " each time: " + slowestReconnect / 1_000_000 + " ms");
    }

    @Test
    void restartsACrashedEngineProcessAndReplaysTheSession() throws Exception {
        Map<String, List<String>> portsBefore = ports();
        double levelBefore = masterLevel();
        long crashed = link.enginePid();
        ProcessHandle.of(crashed).orElseThrow().destroyForcibly();
        long killed = System.nanoTime();
        String lost = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(lost);
        assertTrue(lost.startsWith("the engine process stopped unexpectedly"), lost);
        String reconnected = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(reconnected, "the engine was restarted");
        assertTrue(reconnected.startsWith("reconnected to JACK server"), reconnected);
        long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.printf("engine process killed: the session was back %d ms after%n", backMillis);
        assertTrue(backMillis <= 2000, "back within 2 s of the kill: " + backMillis + " ms");
        assertNotEquals(crashed, link.enginePid());
        assertEquals(portsBefore, ports());
        assertEquals(levelBefore, masterLevel(), 0.05);
        List<String> rest = events.stream().collect(Collectors.toList());
        assertEquals(List.of(), rest, "one message each way");
        assertEquals(1, replays.get(), "the session was replayed once, on the control loop's turn");
    }
}
