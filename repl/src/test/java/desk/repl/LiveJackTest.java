package desk.repl;

import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Desk as users start it, on a JACK server of the test's own ({@code jackd -d dummy}): a script on the REPL's
 * pipe makes a track and connects it to jack-play's output; jack-record captures the master; the level
 * matches the fader and pan set, and the connections show in {@code jack_lsp -c}. Skipped without the JACK
 * tools, except in CI (CI=true), where that fails.
 */
class LiveJackTest {
    private static final int RATE = 48000;
    private final String server = "desk-repl-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path folder;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : processes.reversed()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aScriptConnectsATrackAndTheMasterCarriesItAtTheLevelSet() throws Exception {
        requireTools("jackd", "jack_wait", "jack_lsp", "jack-play", "jack-record", "sox");
        start("jackd", "--no-realtime", "-n", server, "-d", "dummy", "-r", Integer.toString(RATE), "-p", "256");
        assertEquals(0, run("jack_wait", "-w", "-t", "10").status(), "jackd answers");
        Path tone = folder.resolve("tone.wav");
        assertEquals(0, run("sox", "-n", "-r", Integer.toString(RATE), "-c", "1", "-e", "floating-point", "-b", "32",
                tone.toString(), "synth", "30", "sine", "1000", "vol", "-12dB").status());
        start("env", "JACK_PLAY_CONNECT_TO=nowhere:%d", "jack-play", tone.toString());
        String player = awaitPlayerPort();

        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> desk = CompletableFuture.supplyAsync(() -> Main.run(
                new String[]{"--jack-server", server}, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        type(typing, """
                const vox = session.track("Vox")
                vox.fader = -6
                vox.pan = 0.5
                vox.input = "%s"
                "ready " + session.sampleRate + " " + session.bufferSize
                """.formatted(player));
        awaitOutput(out, "ready 48000 256");

        String connections = run("jack_lsp", "-c").output();
        assertTrue(connections.contains("desk:Vox_in_1\n   " + player), connections);
        assertTrue(connections.contains("desk:master_out_1\n   system:playback_1"), connections);

        Path captured = folder.resolve("master.wav");
        assertEquals(0, run("jack-record", "-p", "desk:master_out_%d", "-n", "2", "-t", "2", captured.toString())
                .status(), "jack-record captured the master");
        AudioFile master = WavReader.read(captured);
        double expectedLeft = -12 - 6 + 20 * Math.log10(Math.cos(1.5 * Math.PI / 4));
        double expectedRight = -12 - 6 + 20 * Math.log10(Math.sin(1.5 * Math.PI / 4));
        assertEquals(expectedLeft, peakOfRms(master.samples()[0]), 0.05, "left");
        assertEquals(expectedRight, peakOfRms(master.samples()[1]), 0.05, "right");

        typing.close();
        assertEquals(0, desk.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        String after = run("jack_lsp").output();
        assertFalse(after.contains("desk:"), "the engine process left the server: " + after);
    }

    private static void requireTools(String... tools) {
        for (String tool : tools) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                String message = tool + " is not installed (on Debian: apt-get install jackd2 jack-tools sox)";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(message + "; CI must run the JACK tests");
                }
                Assumptions.abort(message);
            }
        }
    }

    private Process start(String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JACK_DEFAULT_SERVER", server);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** What a tool printed and its exit status. */
    private record Ran(int status, String output) {
    }

    /** Runs a tool against the test's server to its end. */
    private Ran run(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JACK_DEFAULT_SERVER", server);
        Process process = builder.start();
        processes.add(process);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        return new Ran(process.exitValue(), output);
    }

    private String awaitPlayerPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String ports = run("jack_lsp").output();
            for (String port : ports.lines().toList()) {
                if (port.startsWith("jack-play")) {
                    return port;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("jack-play made no port");
    }

    private static void type(PipedOutputStream typing, String lines) throws IOException {
        typing.write(lines.getBytes(StandardCharsets.UTF_8));
        typing.flush();
    }

    private static void awaitOutput(ByteArrayOutputStream out, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString(StandardCharsets.UTF_8).contains(expected)) {
            assertTrue(System.nanoTime() < deadline, "Desk printed " + out.toString(StandardCharsets.UTF_8));
            Thread.sleep(20);
        }
    }

    /** The peak level (dBFS) of a sine, from the RMS of a steady second in the middle. */
    private static double peakOfRms(float[] samples) {
        int from = samples.length / 4;
        int to = from + RATE;
        assertTrue(to <= samples.length, "captured " + samples.length + " frames");
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return 20 * Math.log10(Math.sqrt(2 * sum / (to - from)));
    }
}
