package desk.repl;

import desk.engine.backend.JackServer;
import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Desk as users start it, on a JACK server of the test's own ({@code jackd -d dummy}): a script on the REPL's
 * pipe makes a track and connects it to jack-play's output; jack-record captures the master, or a bus's
 * direct out; the levels match the faders and pan set, the connections show in {@code jack_lsp -c}, and they
 * are made again when the engine process is replaced. Skipped without the JACK tools, except in CI
 * (CI=true), where that fails.
 */
class LiveJackTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 256;
    private final String server = "desk-repl-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = java.util.Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path folder;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : List.copyOf(processes).reversed()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aScriptConnectsATrackAndTheMasterCarriesItAtTheLevelSet() throws Exception {
        String player = serverAndPlayer(List.of("-p", "256"), "tone.wav", "30", "sine", "1000");

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
        assertEquals(expectedLeft, JackServer.sinePeakDb(master.samples()[0], RATE), 0.05, "left");
        assertEquals(expectedRight, JackServer.sinePeakDb(master.samples()[1], RATE), 0.05, "right");

        typing.close();
        assertEquals(0, desk.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        String after = run("jack_lsp").output();
        assertFalse(after.contains("desk:"), "the engine process left the server: " + after);
    }

    /**
     * A tone through a track panned into a bus comes out of the bus's direct out at the level the track's pan
     * and the bus's fader set, whatever the bus's balance and the master do, as jack-record captures it; the
     * direct out's and the master's connections made by the script show in {@code jack_lsp -c}; after
     * {@code :reconnect} (a fresh engine process, the session replayed) every port and connection is as it was
     * and the direct out plays at the same level; turning it off takes its ports away.
     */
    @Test
    void aBusDirectOutCarriesTheBusAfterItsFaderAndItsConnectionsSurviveAReconnect() throws Exception {
        String player = serverAndPlayer(List.of("-p", Integer.toString(PERIOD), "-P", "4"), "tone.wav", "120", "sine",
                "1000");

        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> desk = CompletableFuture.supplyAsync(() -> Main.run(
                new String[]{"--jack-server", server}, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        type(typing, """
                const kick = session.track("Kick")
                kick.input = "%s"
                kick.pan = 0.5
                const drums = session.bus("Drums")
                kick.output = drums
                drums.fader = -4
                drums.balance = -0.5
                session.master.fader = -30
                drums.directOut = true
                drums.connectOut(["system:playback_3", "system:playback_4"])
                session.master.disconnectOut("system:playback_2")
                session.master.connectOut([null, "system:playback_1"])
                "ready " + drums.ports.join(",") + " " + session.master.connections.map(c => c.join("+")).join("/")
                """.formatted(player));
        awaitOutput(out, "ready desk:Drums_out_1,desk:Drums_out_2 system:playback_1/system:playback_1");

        String ports = desksPorts();
        assertTrue(ports.contains("desk:Drums_out_1\n   system:playback_3\n"), ports);
        assertTrue(ports.contains("desk:Drums_out_2\n   system:playback_4\n"), ports);
        assertTrue(ports.contains("desk:master_out_1\n   system:playback_1\ndesk:master_out_2\n   system:playback_1\n"),
                ports);
        double expectedLeft = -12 + 20 * Math.log10(Math.cos(1.5 * Math.PI / 4)) - 4;
        double expectedRight = -12 + 20 * Math.log10(Math.sin(1.5 * Math.PI / 4)) - 4;
        double[] before = directOutLevels(folder.resolve("before.wav"));
        assertEquals(expectedLeft, before[0], 0.05, "left: the track's pan and the bus's fader, not its balance");
        assertEquals(expectedRight, before[1], 0.05, "right");

        type(typing, ":reconnect\n");
        awaitOutput(out, "reconnected to JACK server \"" + server + "\"");
        assertEquals(ports, desksPorts(), "every port and connection as it was");
        double[] after = directOutLevels(folder.resolve("after.wav"));
        assertEquals(before[0], after[0], 0.05, "left after the reconnection");
        assertEquals(before[1], after[1], 0.05, "right after the reconnection");

        type(typing, """
                drums.directOut = false
                "off " + drums.ports.length + " " + drums.connections.length
                """);
        awaitOutput(out, "off 0 0");
        assertFalse(run("jack_lsp").output().contains("Drums_out"), "the direct out's ports went");
        typing.close();
        assertEquals(0, desk.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        String notices = err.toString(StandardCharsets.UTF_8);
        assertTrue(notices.contains("session replayed") && !notices.contains("refused"), notices);
        System.out.printf("direct out through JACK: left %.3f dBFS (expected %.3f), right %.3f dBFS (expected %.3f);"
                + " after the reconnection %.3f and %.3f%n", before[0], expectedLeft, before[1], expectedRight,
                after[0], after[1]);
    }

    /** Desk's ports and their connections, as {@code jack_lsp -c} lists them. */
    private String desksPorts() throws IOException, InterruptedException {
        StringBuilder ours = new StringBuilder();
        boolean inOurs = false;
        for (String line : run("jack_lsp", "-c").output().lines().toList()) {
            if (!line.startsWith(" ")) {
                inOurs = line.startsWith("desk:");
            }
            if (inOurs) {
                ours.append(line).append('\n');
            }
        }
        return ours.toString();
    }

    /** The peak levels (from the RMS) of the Drums direct out's two channels, as jack-record captures them. */
    private double[] directOutLevels(Path file) throws IOException, InterruptedException {
        assertEquals(0, run("jack-record", "-b", "262144", "-p", "desk:Drums_out_%d", "-n", "2", "-t", "2",
                file.toString()).status(), "jack-record captured the direct out");
        AudioFile captured = WavReader.read(file);
        return new double[]{JackServer.sinePeakDb(captured.samples()[0], RATE),
                JackServer.sinePeakDb(captured.samples()[1], RATE)};
    }

    /**
     * Another JACK client (jack-play) sends noise into a track's input port while jack-record taps the same
     * port; the track is armed and records 10 s into the session folder; the take holds exactly the samples
     * the client sent, as the independent tap saw them (jack-play resamples its file, so the tap, not the
     * file, is the reference). On a loaded machine either client may lose periods: each period of the take
     * must be one the player sent (its alignment with the tap may move when the tap, which is not real-time
     * safe, loses data), except at most one period per xrun the engine reported.
     */
    @Test
    void aTrackFedByAnotherJackClientRecordsWhatItSent() throws Exception {
        String player = serverAndPlayer(List.of("-p", Integer.toString(PERIOD)), "noise.wav", "90", "whitenoise");

        Path sessionFolder = folder.resolve("session");
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> desk = CompletableFuture.supplyAsync(() -> Main.run(
                new String[]{"--jack-server", server, "--session", sessionFolder.toString()}, stdin,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        type(typing, """
                session.recordFormat = "32f"
                const vox = session.track("Vox")
                vox.input = "%s"
                vox.armed = true
                "armed"
                """.formatted(player));
        awaitOutput(out, "armed");
        Path tapped = folder.resolve("tap.wav");
        CompletableFuture<Ran> tap = CompletableFuture.supplyAsync(() -> {
            try {
                return run("jack-record", "-p", player, "-n", "1", "-t", "30", tapped.toString());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, task -> new Thread(task, "jack-record").start());
        awaitConnection(player, "jack-record");
        type(typing, """
                session.record()
                "recording"
                """);
        awaitOutput(out, "recording");
        Path take = sessionFolder.resolve("takes").resolve("Vox-001.wav");
        awaitFrames(take, 10 * RATE + RATE / 5);
        type(typing, """
                session.stop()
                "takes " + session.takes.length + ", xruns " + session.xruns
                """);
        awaitOutput(out, "takes 1, xruns ");
        typing.close();
        assertEquals(0, desk.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, tap.get(60, TimeUnit.SECONDS).status(), "jack-record tapped the player");
        java.util.regex.Matcher xrunsLine = java.util.regex.Pattern.compile("xruns (\\d+)")
                .matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(xrunsLine.find());
        long xruns = Long.parseLong(xrunsLine.group(1));

        float[] recorded = WavReader.read(take).samples()[0];
        float[] sent = WavReader.read(tapped).samples()[0];
        assertTrue(recorded.length >= 10 * RATE, "recorded " + recorded.length + " frames");
        int offset = find(sent, recorded, 0, 256);
        assertTrue(offset >= 0, "the take's first samples are in what the tap saw the player send");
        assertTrue(offset + recorded.length < sent.length - 64 * PERIOD, "the tap covers the take");
        int periodsAmiss = 0;
        for (int i = 0; i + PERIOD <= recorded.length; i += PERIOD) {
            if (matches(sent, offset + i, recorded, i)) {
                continue;
            }
            int resumed = find(sent, java.util.Arrays.copyOfRange(recorded, i, i + PERIOD), 0, PERIOD);
            if (resumed < 0) {
                periodsAmiss++;
                continue;
            }
            int jump = resumed - (offset + i);
            if (jump > 0) {
                periodsAmiss += (jump + PERIOD - 1) / PERIOD;
            }
            offset += jump;
        }
        assertTrue(periodsAmiss <= xruns, periodsAmiss + " periods of the take are not what the player sent,"
                + " but only " + xruns + " xruns reported");
    }

    private static boolean matches(float[] sent, int at, float[] recorded, int from) {
        if (at < 0 || at + PERIOD > sent.length) {
            return false;
        }
        for (int j = 0; j < PERIOD; j++) {
            if (sent[at + j] != recorded[from + j]) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the WAV file {@code file} holds at least {@code frames} frames of mono float. */
    private static void awaitFrames(Path file, long frames) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (framesIn(file) < frames) {
            assertTrue(System.nanoTime() < deadline, "the take did not grow to " + frames + " frames");
            Thread.sleep(50);
        }
    }

    /** The frames a WAV file being written holds so far (0 before its header is readable). */
    private static long framesIn(Path file) {
        try {
            return WavReader.probe(file).frames();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Waits until a port of {@code client} is connected to {@code port}. */
    private void awaitConnection(String port, String client) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!run("jack_lsp", "-c", port).output().contains(client)) {
            assertTrue(System.nanoTime() < deadline, client + " never connected to " + port);
            Thread.sleep(20);
        }
    }

    /** Where {@code part}'s first {@code length} samples start in {@code whole}, from {@code from} on, or -1. */
    private static int find(float[] whole, float[] part, int from, int length) {
        for (int start = from; start + length <= whole.length; start++) {
            int i = 0;
            while (i < length && i < part.length && whole[start + i] == part[i]) {
                i++;
            }
            if (i == Math.min(length, part.length)) {
                return start;
            }
        }
        return -1;
    }


    /**
     * Starts the test's JACK server (dummy driver at RATE with {@code periodOptions}), makes {@code file}, a
     * {@code seconds}-long sox {@code synth} signal at -12 dBFS (seeded, so noise is the same every run), plays
     * it with jack-play connected nowhere and returns the player's port.
     */
    private String serverAndPlayer(List<String> periodOptions, String file, String seconds, String... synth)
            throws Exception {
        JackServer.requireTools("jackd", "jack_wait", "jack_lsp", "jack-play", "jack-record", "sox");
        List<String> jackd = new ArrayList<>(List.of("jackd", "--no-realtime", "-n", server, "-d", "dummy", "-r",
                Integer.toString(RATE)));
        jackd.addAll(periodOptions);
        start(jackd.toArray(String[]::new));
        assertEquals(0, run("jack_wait", "-w", "-t", "10").status(), "jackd answers");
        Path signal = folder.resolve(file);
        List<String> sox = new ArrayList<>(List.of("sox", "-R", "-n", "-r", Integer.toString(RATE), "-c", "1", "-e",
                "floating-point", "-b", "32", signal.toString(), "synth", seconds));
        sox.addAll(List.of(synth));
        sox.addAll(List.of("vol", "-12dB"));
        assertEquals(0, run(sox.toArray(String[]::new)).status(), "sox made " + file);
        start("env", "JACK_PLAY_CONNECT_TO=nowhere:%d", "jack-play", signal.toString());
        return awaitPlayerPort();
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

    /** Runs a tool against the test's server to its end; fails, having stopped it, if it runs over 90 s. */
    private Ran run(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JACK_DEFAULT_SERVER", server);
        Process process = builder.start();
        processes.add(process);
        FutureTask<byte[]> output = new FutureTask<>(() -> process.getInputStream().readAllBytes());
        Thread.ofPlatform().daemon().name("tool-output").start(output);
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertTrue(ended, String.join(" ", command) + " hung");
        return new Ran(process.exitValue(), new String(outputOf(output), StandardCharsets.UTF_8));
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

    /** What a finished tool printed (nothing if its output could not be read). */
    private static byte[] outputOf(FutureTask<byte[]> output) throws InterruptedException {
        try {
            return output.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new byte[0];
        }
    }
}
