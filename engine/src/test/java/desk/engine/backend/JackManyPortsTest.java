package desk.engine.backend;

import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input ports are made as tracks ask for them, up to what the JACK server allows: a thousand and more on a
 * server's default limit, and on a small server a refusal that says how many ports it holds, undoes what it
 * made and leaves the engine playing.
 */
class JackManyPortsTest {
    private static final int RATE = 48000;
    private static final int FIRST_TRACK = 100;

    @TempDir
    Path folder;
    private JackServer server;
    private JackBackend<Engine> backend;

    @AfterEach
    void stop() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aThousandAndTwentyFourTracksHaveAnInputPortEachAndTheLastOneIsHeard() throws Exception {
        JackServer.requireTools("jack-play", "jack-record", "sox");
        server = new JackServer(RATE, 256);
        backend = JackBackend.open("desk", server.name(), null, Engine::new);
        Engine engine = backend.engine();
        int tracks = 1024;
        long start = System.nanoTime();
        for (int t = 0; t < tracks; t++) {
            engine.execute(new EngineCommand.CreateStrip(FIRST_TRACK + t, StripKind.TRACK, 1));
            backend.addTrack(FIRST_TRACK + t, "T" + (t + 1), 1);
        }
        long madeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long inputPorts = Arrays.stream(server.run("jack_lsp").split("\n")).filter(p -> p.matches("desk:T\\d+_in_1")).count();
        assertEquals(tracks, inputPorts, "every track's port is on the server");

        int last = FIRST_TRACK + tracks - 1;
        Path tone = folder.resolve("tone.wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", Integer.toString(RATE), "-c", "1", "-e", "floating-point",
                "-b", "32", tone.toString(), "synth", "6", "sine", "1000", "vol", "-12dB").redirectErrorStream(true).start();
        assertTrue(sox.waitFor(20, TimeUnit.SECONDS) && sox.exitValue() == 0, "sox made the tone");
        engine.execute(new EngineCommand.SetParameter(last, Parameter.FADER, -6));
        server.tool(Map.of("JACK_PLAY_CONNECT_TO", "nowhere:%d"), "jack-play", tone.toString());
        String player = awaitPlayer();
        int channel = backend.connectInput(last, 0, player);
        assertEquals(tracks - 1, channel, "the last track reads the last capture channel");
        engine.execute(new EngineCommand.SetInput(last, 0, NodeIds.CAPTURE_ID, channel));

        Path captured = folder.resolve("master.wav");
        Process record = server.tool("jack-record", "-p", "desk:master_out_%d", "-n", "2", "-t", "2", captured.toString());
        assertTrue(record.waitFor(30, TimeUnit.SECONDS) && record.exitValue() == 0, "jack-record captured the master");
        AudioFile master = WavReader.read(captured);
        double expected = -12 - 6 + 20 * Math.log10(Math.cos(Math.PI / 4));
        double left = JackServer.sinePeakDb(master.samples()[0], RATE);
        double right = JackServer.sinePeakDb(master.samples()[1], RATE);
        assertEquals(expected, left, 0.05, "left");
        assertEquals(expected, right, 0.05, "right");
        assertEquals(0, engine.failures(), "no block failed");
        System.out.printf("%d input ports made in %d ms; the last track's tone on the master: %.3f / %.3f dBFS"
                + " (expected %.3f)%n", tracks, madeMillis, left, right, expected);
    }

    @Test
    void aServerOutOfPortsRefusesATrackInOneLineAndUndoesWhatItMade() throws Exception {
        server = JackServer.withPortMax(64, RATE, 256);
        backend = JackBackend.open("desk", server.name(), null, Engine::new);
        Engine engine = backend.engine();
        int made = 0;
        EngineException refusal = null;
        while (refusal == null && made < 64) {
            int id = FIRST_TRACK + made;
            engine.execute(new EngineCommand.CreateStrip(id, StripKind.TRACK, 1));
            long portsBefore = serverPorts();
            long deskBefore = deskPorts();
            try {
                backend.addTrack(id, "T" + (made + 1), 1);
                made++;
            } catch (EngineException e) {
                refusal = e;
                assertEquals("track T" + (made + 1) + ": JACK server \"" + server.name() + "\" refused to make port desk:T"
                        + (made + 1) + "_in_1: it holds " + portsBefore + " audio ports, " + deskBefore
                        + " of them Desk's, and takes no more (start jackd with a larger --port-max; one client may"
                        + " hold at most what libjack was built for, 2048 in jackd2)", e.getMessage());
            }
        }
        assertTrue(refusal != null && made > 40, "the server's limit was met after " + made + " tracks");

        backend.removeTrack(FIRST_TRACK);
        long deskBefore = deskPorts();
        engine.execute(new EngineCommand.CreateStrip(FIRST_TRACK + 1000, StripKind.TRACK, 2));
        assertThrows(EngineException.class, () -> backend.addTrack(FIRST_TRACK + 1000, "Wide", 2),
                "one free port is not room for a stereo track");
        assertEquals(deskBefore, deskPorts(), "the stereo track's first port was taken back");
        backend.addTrack(FIRST_TRACK + 1001, "Narrow", 1);

        long position = engine.position();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.position() < position + 10 * 256 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(engine.position() >= position + 10 * 256, "the engine keeps playing");
        System.out.printf("a 64-port server took %d tracks; then: %s%n", made, refusal.getMessage());
    }

    private long serverPorts() throws Exception {
        return Arrays.stream(server.run("jack_lsp").split("\n")).filter(p -> !p.isBlank()).count();
    }

    private long deskPorts() throws Exception {
        return Arrays.stream(server.run("jack_lsp").split("\n")).filter(p -> p.startsWith("desk:")).count();
    }

    private String awaitPlayer() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String port : backend.inputs()) {
                if (port.startsWith("jack-play")) {
                    return port;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("jack-play made no port: " + backend.inputs());
    }
}
