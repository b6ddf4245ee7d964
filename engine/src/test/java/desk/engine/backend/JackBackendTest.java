package desk.engine.backend;

import desk.engine.AudioInterface;
import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on a real JACK server ({@code jackd -d dummy} under its own name), fed and tapped by independent
 * JACK clients: jack-play plays a known tone into a track, jack-record captures the master.
 */
class JackBackendTest {
    private static final int RATE = 48000;
    private static final int TRACK = 2;
    private static final int BUS = 3;

    @TempDir
    Path folder;
    private JackServer server;
    private JackBackend<Engine> backend;

    @BeforeEach
    void startServer() throws Exception {
        JackServer.requireTools("jack-play", "jack-record", "sox");
        server = new JackServer(RATE, 256);
        backend = JackBackend.open("desk", server.name(), null, Engine::new);
    }

    @AfterEach
    void stopServer() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void takesTheServersRateAndBufferAndConnectsTheMasterToThePlaybackPorts() throws Exception {
        assertEquals(RATE, backend.engine().sampleRate());
        assertEquals(256, backend.bufferFrames());
        AudioInterface.Latency latency = backend.latency();
        assertEquals(256, latency.bufferFrames());
        assertTrue(latency.roundTripFrames() >= 256, "a round trip is at least a period: " + latency);
        assertEquals(List.of(List.of("system:playback_1"), List.of("system:playback_2")),
                backend.connections(NodeIds.MASTER_ID));
        assertEquals(List.of("desk:master_out_1", "desk:master_out_2"), backend.busPorts(NodeIds.MASTER_ID));
        assertEquals(List.of("system:capture_1", "system:capture_2"), backend.inputs());
        String listing = server.run("jack_lsp", "-c");
        assertTrue(listing.contains("desk:master_out_1\n   system:playback_1"), listing);
        assertTrue(listing.contains("desk:master_out_2\n   system:playback_2"), listing);
    }

    @Test
    void theInsertsLatencyShowsOnDesksPortsAsJackClientsSeeIt() throws Exception {
        backend.engine().execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 1));
        backend.addTrack(TRACK, "Vox", 1);
        backend.engine().execute(new EngineCommand.AddInsert(90, NodeIds.MASTER_ID, "limiter", -1, Map.of(), false));
        backend.refreshLatency();
        int latency = backend.engine().processingLatency();
        assertTrue(latency > 0, "the limiter's lookahead");
        String listing = server.run("jack_lsp", "-l", "desk:master_out_1");
        assertTrue(listing.contains("port capture latency = [ " + latency + " " + latency + " ]"), listing);
        String input = server.run("jack_lsp", "-l", "desk:Vox_in_1");
        String playback = server.run("jack_lsp", "-l", "system:playback_1");
        int physical = Integer.parseInt(playback.replaceAll("(?s).*port playback latency = \\[ \\d+ (\\d+) \\].*", "$1"));
        assertTrue(input.contains("port playback latency = [ " + (physical + latency) + " " + (physical + latency) + " ]"),
                input + " with the physical playback latency " + physical);
    }

    @Test
    void aTrackHasItsOwnPortsAndConnectionsMadeThroughTheApiShowOnTheServer() throws Exception {
        backend.engine().execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 2));
        backend.addTrack(TRACK, "Vox", 2);
        assertEquals(List.of("desk:Vox_in_1", "desk:Vox_in_2"), backend.trackPortNames(TRACK));
        backend.connectInput(TRACK, 0, "system:capture_2");
        backend.connectInput(TRACK, 1, "system:capture_1");
        String listing = server.run("jack_lsp", "-c");
        assertTrue(listing.contains("desk:Vox_in_1\n   system:capture_2"), listing);
        assertTrue(listing.contains("desk:Vox_in_2\n   system:capture_1"), listing);

        backend.connectInput(TRACK, 0, null);
        backend.renameTrack(TRACK, "Lead");
        listing = server.run("jack_lsp", "-c");
        assertTrue(listing.contains("desk:Lead_in_1\ndesk:Lead_in_2\n   system:capture_1"), listing);

        EngineException refused = assertThrows(EngineException.class,
                () -> backend.connectInput(TRACK, 0, "system:capture_9"));
        assertEquals("input port \"system:capture_9\": the JACK server has no such output port; it has"
                + " system:capture_1, system:capture_2", refused.getMessage());
        assertTrue(server.run("jack_lsp", "-c").contains("desk:Lead_in_2\n   system:capture_1"),
                "a refusal changes nothing");

        backend.removeTrack(TRACK);
        assertTrue(!server.run("jack_lsp").contains("Lead_in"), "the ports go with the track");
    }

    @Test
    void aBusDirectOutHasPortsOfItsOwnThatConnectAndFollowTheBusAndTheMastersConnectionsChange() throws Exception {
        Engine engine = backend.engine();
        engine.execute(new EngineCommand.CreateStrip(BUS, StripKind.GROUP_BUS, 2));
        int[] channels = backend.addDirectOut(BUS, "Drums", 2);
        assertArrayEquals(new int[]{Limits.FIRST_DIRECT_OUT, Limits.FIRST_DIRECT_OUT + 1}, channels);
        engine.execute(new EngineCommand.SetDirectOut(BUS, channels));
        assertEquals(List.of("desk:Drums_out_1", "desk:Drums_out_2"), backend.busPorts(BUS));
        backend.connectOutput(BUS, 0, "system:playback_2");
        backend.connectOutput(BUS, 1, "system:playback_1");
        backend.connectOutput(BUS, 1, "system:playback_2");
        backend.connectOutput(BUS, 1, "system:playback_2");
        assertEquals(List.of(List.of("system:playback_2"), List.of("system:playback_1", "system:playback_2")),
                backend.connections(BUS));
        String listing = server.run("jack_lsp", "-c");
        assertTrue(listing.contains("desk:Drums_out_1\n   system:playback_2\ndesk:Drums_out_2\n   system:playback_1\n"
                + "   system:playback_2\n"), listing);

        EngineException missing = assertThrows(EngineException.class,
                () -> backend.connectOutput(BUS, 0, "system:playback_9"));
        assertEquals("output port \"system:playback_9\": the JACK server has no such input port; it has"
                + " system:playback_1, system:playback_2", missing.getMessage());
        EngineException own = assertThrows(EngineException.class, () -> backend.checkOutput("desk:Drums_out_1"));
        assertEquals("output port \"desk:Drums_out_1\" is one of Desk's own ports: route inside the session, with"
                + " outputs and sends", own.getMessage());

        backend.renameDirectOut(BUS, "Kit");
        backend.disconnectOutput(BUS, 1, "system:playback_1");
        backend.disconnectOutput(BUS, 0, null);
        backend.disconnectOutput(NodeIds.MASTER_ID, 1, "system:playback_2");
        backend.connectOutput(NodeIds.MASTER_ID, 1, "system:playback_1");
        listing = server.run("jack_lsp", "-c");
        assertTrue(listing.contains("desk:Kit_out_1\ndesk:Kit_out_2\n   system:playback_2\n"), listing);
        assertEquals(List.of(List.of("system:playback_1"), List.of("system:playback_1")),
                backend.connections(NodeIds.MASTER_ID));

        engine.execute(new EngineCommand.SetDirectOut(BUS, null));
        long asked = System.nanoTime();
        backend.removeDirectOut(BUS);
        long tookMillis = (System.nanoTime() - asked) / 1_000_000;
        assertTrue(!server.run("jack_lsp").contains("Kit_out"), "the ports go with the direct out");
        assertEquals(List.of(), backend.busPorts(BUS));
        assertArrayEquals(channels, backend.addDirectOut(BUS, "Kit", 2), "the places are free again");
        System.out.printf("a direct out's ports went %d ms after it was turned off%n", tookMillis);
    }

    @Test
    void aToneFedIntoATrackReachesTheMasterAtTheGainAndPanSet() throws Exception {
        double toneDb = -12;
        double faderDb = -6;
        double pan = 0.5;
        Path tone = folder.resolve("tone.wav");
        Path captured = folder.resolve("master.wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", Integer.toString(RATE), "-c", "1", "-e", "floating-point",
                "-b", "32", tone.toString(), "synth", "6", "sine", "1000", "vol", toneDb + "dB")
                .redirectErrorStream(true).start();
        assertTrue(sox.waitFor(20, TimeUnit.SECONDS) && sox.exitValue() == 0, "sox made the tone");

        Engine engine = backend.engine();
        engine.execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.SetParameter(TRACK, Parameter.FADER, faderDb));
        engine.execute(new EngineCommand.SetParameter(TRACK, Parameter.PAN, pan));
        backend.addTrack(TRACK, "Vox", 1);
        server.tool(Map.of("JACK_PLAY_CONNECT_TO", "nowhere:%d"), "jack-play", tone.toString());
        String player = awaitPort("jack-play");
        int channel = backend.connectInput(TRACK, 0, player);
        engine.execute(new EngineCommand.SetInput(TRACK, 0, NodeIds.CAPTURE_ID, channel));

        Process record = server.tool("jack-record", "-p", "desk:master_out_%d", "-n", "2", "-t", "2", captured.toString());
        assertTrue(record.waitFor(20, TimeUnit.SECONDS) && record.exitValue() == 0, "jack-record captured the master");

        AudioFile master = WavReader.read(captured);
        double expectedLeft = toneDb + faderDb + 20 * Math.log10(Math.cos((pan + 1) * Math.PI / 4));
        double expectedRight = toneDb + faderDb + 20 * Math.log10(Math.sin((pan + 1) * Math.PI / 4));
        double left = JackServer.sinePeakDb(master.samples()[0], RATE);
        double right = JackServer.sinePeakDb(master.samples()[1], RATE);
        assertEquals(expectedLeft, left, 0.05, "left");
        assertEquals(expectedRight, right, 0.05, "right");
        System.out.printf("JACK level: left %.3f dBFS (expected %.3f), right %.3f dBFS (expected %.3f)%n",
                left, expectedLeft, right, expectedRight);
    }

    /**
     * JACK refuses to connect ports of a client that has made them but is not active yet, the moment every
     * player or recorder goes through after it starts: the connection waits for it, briefly.
     */
    @Test
    void anInputFromAClientStillBecomingActiveIsConnectedOnceItIs() throws Exception {
        JackClient late = Jack.getInstance().openClient("late", EnumSet.of(JackOptions.JackNoStartServer), null);
        try {
            late.registerPort("out", org.jaudiolibs.jnajack.JackPortType.AUDIO,
                    EnumSet.of(org.jaudiolibs.jnajack.JackPortFlags.JackPortIsOutput));
            backend.engine().execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 1));
            backend.addTrack(TRACK, "Vox", 1);
            Thread activation = Thread.ofPlatform().start(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                try {
                    late.activate();
                } catch (org.jaudiolibs.jnajack.JackException e) {
                    throw new IllegalStateException(e);
                }
            });
            backend.connectInput(TRACK, 0, "late:out");
            activation.join();
            assertTrue(server.run("jack_lsp", "-c", "desk:Vox_in_1").contains("late:out"), "connected");
        } finally {
            late.deactivate();
            late.close();
        }
    }

    @Test
    void followsAChangeOfBufferSizeOnTheServer() throws Exception {
        java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(1);
        backend.onEvent(message -> {
            if (message.equals("JACK buffer size is now 512 frames")) {
                changed.countDown();
            }
        });
        server.run("jack_bufsize", "512");
        assertTrue(changed.await(10, TimeUnit.SECONDS), "the backend heard of the change");
        assertEquals(512, backend.bufferFrames());
        assertEquals(512, backend.latency().bufferFrames());
        long position = backend.engine().position();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend.engine().position() < position + 10 * 512 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(backend.engine().position() >= position + 10 * 512, "the engine keeps playing");
        assertEquals(0, backend.engine().position() % 256, "whole periods");
        assertEquals(0, backend.engine().failures());
    }

    /**
     * A client that overruns every tenth period makes the server report xruns to every client. The engine
     * counts them on libjack's notification thread, which stays attached to the JVM once the first xrun has
     * attached it: were it attached afresh for each xrun, as JNA does unless told otherwise, every xrun would
     * start a Java thread and waste the thread's first allocation buffer, enough garbage to make the engine
     * process collect.
     */
    @Test
    void xrunsAreCountedOnOneThreadThatStaysAttached() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        JackClient hog = Jack.getInstance().openClient("hog", EnumSet.of(JackOptions.JackNoStartServer), null);
        AtomicLong cycles = new AtomicLong();
        AtomicBoolean slow = new AtomicBoolean(true);
        hog.setProcessCallback((client, frames) -> {
            if (cycles.incrementAndGet() % 10 == 0 && slow.get()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(15));
            }
            return true;
        });
        hog.activate();
        awaitXruns(backend.xruns() + 5);
        long xrunsBefore = backend.xruns();
        long threadsBefore = threads.getTotalStartedThreadCount();
        awaitXruns(xrunsBefore + 20);
        long started = threads.getTotalStartedThreadCount() - threadsBefore;
        long xruns = backend.xruns() - xrunsBefore;
        quiesce(hog, slow, cycles);
        assertTrue(xruns >= 20, "xruns reported: " + xruns);
        assertEquals(0, started, "Java threads started during " + xruns + " xruns");
    }

    /**
     * Deactivates and closes the hog once a whole quick cycle has run: libjack cancels a client's process
     * thread on deactivation, and one cancelled in its slow callback, in Java, would be lost to the JVM.
     */
    private static void quiesce(JackClient hog, AtomicBoolean slow, AtomicLong cycles) {
        slow.set(false);
        long seen = cycles.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cycles.get() < seen + 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        hog.deactivate();
        hog.close();
    }

    private void awaitXruns(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (backend.xruns() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** The first output port whose client name starts with {@code client}, once it exists. */
    private String awaitPort(String client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String port : backend.inputs()) {
                if (port.startsWith(client)) {
                    return port;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(client + " made no port: " + backend.inputs());
    }
}
