package desk.repl;

import desk.engine.backend.JackServer;
import desk.engine.backend.JavaSoundBackend;
import desk.engine.backend.VirtualLine;
import desk.engine.backend.VirtualSoundCard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which backend the desk plays on: Java Sound when asked for, a JACK server when one runs, the embedded default
 * with and without an output device when no JACK server answers, and the refusals, with the virtual sound cards of the engine's tests
 * standing in for devices.
 */
class LiveDeskTest {
    private static final String NO_SERVER = "desk-test-none-" + ProcessHandle.current().pid();
    private static final AudioFormat PCM_16 = VirtualSoundCard.stereo(AudioFormat.Encoding.PCM_SIGNED, 16,
            AudioSystem.NOT_SPECIFIED);
    private static final String NO_DEVICE = "Java Sound has no output device named by "
            + JavaSoundBackend.DEVICE_PROPERTY + "=" + System.getProperty(JavaSoundBackend.DEVICE_PROPERTY)
            + " (looked for one playing stereo at 48000 Hz in 32-bit float or 24- or 16-bit little-endian PCM)";

    private VirtualSoundCard card;

    @AfterEach
    void unplug() {
        if (card != null) {
            card.unplug();
        }
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void javaSoundAskedForPlaysOnTheDeviceAndReleasesItWhenClosed() throws Exception {
        card = VirtualSoundCard.plugIn("Speakers", 1, 0, PCM_16);
        VirtualLine line;
        try (LiveDesk desk = LiveDesk.start(LiveDesk.Backend.JAVASOUND, null, 48000, 256)) {
            assertNull(desk.notice());
            assertEquals("Java Sound output \"Speakers\" (16-bit PCM) at 48000 Hz, 256-frame periods,"
                    + " 1024-frame buffer", desk.session().audio().describe());
            assertEquals(1024, desk.session().latency().playbackMax(), "the line's buffer");
            assertEquals(256, desk.session().bufferSize());
            desk.playFor(0.1);
            line = card.lines().getFirst();
            assertTrue(line.isRunning());
            assertTrue(line.bytesWritten() >= 4 * 4800, "a tenth of a second reached the line: "
                    + line.bytesWritten());
        }
        assertFalse(line.isOpen(), "closing the desk releases the line");
    }

    @Test
    void withNoJackServerTheDefaultPlaysOnJavaSoundWhenADeviceIsThereElseOnTheDummyClock() throws Exception {
        String noJack = "No JACK server answered (no JACK server \"" + NO_SERVER + "\" is running)";
        card = VirtualSoundCard.plugIn("Speakers", AudioSystem.NOT_SPECIFIED, 0, PCM_16);
        try (LiveDesk desk = LiveDesk.start(null, NO_SERVER, 48000, 256)) {
            assertEquals(noJack + ": playing on Java Sound output \"Speakers\".", desk.notice());
            assertTrue(desk.session().audio().describe().startsWith("Java Sound output \"Speakers\""),
                    desk.session().audio().describe());
            desk.playFor(0.05);
        }
        card.unplug();
        try (LiveDesk desk = LiveDesk.start(null, NO_SERVER, 48000, 256)) {
            assertEquals(noJack + "; " + NO_DEVICE + ": playing on the built-in dummy backend, without sound.",
                    desk.notice());
            assertEquals("the dummy backend (no JACK server needed) at 48000 Hz, 256-frame periods",
                    desk.session().audio().describe());
            desk.playFor(0.05);
        }
    }

    @Test
    void withAJackServerRunningTheDefaultPlaysOnIt() throws Exception {
        JackServer.requireTools("jackd", "jack_wait");
        try (JackServer server = new JackServer(48000, 256);
             LiveDesk desk = LiveDesk.start(null, server.name(), 48000, 256)) {
            assertNull(desk.notice());
            assertTrue(desk.session().audio().describe().contains("JACK server \"" + server.name() + "\""),
                    desk.session().audio().describe());
            assertEquals(256, desk.session().bufferSize());
        }
    }

    @Test
    void javaSoundAskedForWithNoDeviceAndUnknownBackendsAreRefusedInOneLine() {
        Result none = run("--backend", "javasound");
        assertEquals(1, none.status());
        assertEquals("desk: --backend javasound: " + NO_DEVICE + "; --backend dummy plays without a device, jack on"
                + " a JACK server, offline renders to files\n", none.err());
        Result unknown = run("--backend", "alsa");
        assertEquals(1, unknown.status());
        assertEquals("desk: --backend alsa: must be jack, dummy, javasound or offline\n", unknown.err());
    }

    @Test
    void aLiveRunStopsWithTheDevicesLineWhenTheDeviceGoesAway(@TempDir Path folder) throws Exception {
        card = VirtualSoundCard.plugIn("Speakers", 1, 0, PCM_16);
        Path script = Files.writeString(folder.resolve("tone.js"),
                "session.track(\"Tone\").input = session.generator(\"sine\", {level: -20});\n");
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(
                () -> run("--backend", "javasound", "run", script.toString(), "--seconds", "60"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (card.lines().isEmpty() || card.lines().getFirst().bytesWritten() < 48000 * 4 / 10) {
            assertTrue(System.nanoTime() < deadline && !run.isDone(), "the run plays on the card");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        card.unplug();
        Result result = run.get(30, TimeUnit.SECONDS);
        assertEquals(1, result.status());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("desk: Java Sound output \"Speakers\" failed (it took "), result.err());
        assertTrue(result.err().endsWith("): the engine stands still; the session is kept\n"), result.err());
    }
}
