package desk.repl;

import desk.engine.backend.JackServer;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live set outlives its JACK server: a script changes a setting on every beat while a tone plays; after the
 * set has run a while, jackd is killed and started again (the first beat, due as the transport starts, runs at
 * the present sample; the grid is checked from the second on). Desk is back within 5 s of the server, with the same
 * level on the master; the replay is the session's state, so its size does not grow with the time the set has
 * run; and the scheduled changes go on landing exactly on their beats. The set runs for
 * {@code DESK_RECONNECT_SECONDS} seconds before the kill (20 by default; 600 measures the ten-minute case).
 */
class ReconnectTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 256;
    private static final int BEAT = RATE / 2;
    private static final Pattern BEATS = Pattern.compile("beats (\\d+) \\[([0-9,]*)]");
    private static final Pattern REPLAYED = Pattern.compile("session replayed \\((\\d+) requests\\)");

    private JackServer jack;
    private PipedOutputStream typing;
    private CompletableFuture<Integer> desk;

    @TempDir
    Path folder;

    /** Ends Desk (its input closes, so it quits and stops its engine process), then the server. */
    @AfterEach
    void stopDeskAndServer() throws Exception {
        if (typing != null) {
            typing.close();
        }
        if (desk != null) {
            desk.get(60, TimeUnit.SECONDS);
        }
        if (jack != null) {
            jack.close();
        }
    }

    @Test
    void aLiveSetComesBackOnItsBeatsAfterTheServerDies() throws Exception {
        JackServer.requireTools("jackd", "jack_wait", "jack_lsp", "jack-record");
        long runSeconds = Long.parseLong(System.getenv().getOrDefault("DESK_RECONNECT_SECONDS", "20"));
        jack = new JackServer(RATE, PERIOD);
        String name = jack.name();

        typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        desk = CompletableFuture.supplyAsync(() -> Main.run(
                new String[]{"--jack-server", name}, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        type(typing, """
                const tone = session.generator("sine", {freq: 1000, level: -12})
                const lead = session.track("Lead")
                lead.input = tone
                lead.fader = -6
                const marker = session.track("Marker")
                marker.output = null
                const beats = []
                every("1 beat", () => {
                    beats.push(Math.round(session.position * session.sampleRate))
                    marker.fader = beats.length % 2 ? -10 : -20
                })
                session.play()
                "playing"
                """);
        awaitText(out, "playing");
        Thread.sleep(TimeUnit.SECONDS.toMillis(runSeconds));
        double levelBefore = masterLevel("before.wav");
        List<Long> before = beats(typing, out, 1);

        jack.kill();
        awaitText(err, "stopped");
        jack.close();
        jack = new JackServer(name, RATE, PERIOD);
        long restarted = System.nanoTime();
        awaitText(err, "reconnected to JACK server");
        long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
        List<Long> after = beats(typing, out, before.size() + 3);
        double levelAfter = masterLevel("after.wav");

        typing.close();
        assertEquals(0, desk.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        Matcher replayed = REPLAYED.matcher(err.toString(StandardCharsets.UTF_8));
        assertTrue(replayed.find(), err.toString(StandardCharsets.UTF_8));
        int requests = Integer.parseInt(replayed.group(1));
        long lastBefore = before.getLast();
        List<Long> resumed = after.subList(before.size(), after.size());
        System.out.printf("live set of %d s: back %d ms after the server; replay of %d requests; %d beats before,"
                + " the last at transport sample %d; the next after the reconnection at %s; master %.3f dBFS before,"
                + " %.3f after%n", runSeconds, backMillis, requests, before.size(), lastBefore, resumed,
                levelBefore, levelAfter);

        assertTrue(backMillis <= 5000, "back within 5 s of the server: " + backMillis + " ms");
        assertEquals(levelBefore, levelAfter, 0.1, "the same level on the master");
        assertTrue(requests < 60, "the replay is the session's state, not its history: " + requests + " requests");
        for (long position : after.subList(1, after.size())) {
            assertEquals(0, position % BEAT, "every change on a beat: transport sample " + position);
        }
        assertTrue(resumed.getFirst() > lastBefore, "the beats go on after the reconnection from where they were");
        for (int i = 1; i < resumed.size(); i++) {
            assertEquals(BEAT, resumed.get(i) - resumed.get(i - 1), "one beat apart: " + resumed);
        }
    }

    /** The transport samples the beat function ran at, once it has run at least {@code count} times. */
    private static List<Long> beats(PipedOutputStream typing, ByteArrayOutputStream out, int count)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            int seen = out.size();
            type(typing, "\"beats \" + beats.length + \" [\" + beats.join(\",\") + \"]\"\n");
            Matcher matcher = BEATS.matcher(awaitText(out, seen, "beats "));
            if (matcher.find() && Integer.parseInt(matcher.group(1)) >= count) {
                return Arrays.stream(matcher.group(2).split(",")).map(Long::parseLong).toList();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the beat function did not run " + count + " times");
    }

    /**
     * The master's level as jack-record captures it for two seconds: the sine's peak, from its RMS, dBFS. A
     * capture that does not end (the server may stop calling a client that was late, on a loaded machine) is
     * stopped and made again, three times at most.
     */
    private double masterLevel(String file) throws Exception {
        Path captured = folder.resolve(file);
        for (int attempt = 1; attempt <= 3; attempt++) {
            Files.deleteIfExists(captured);
            Process record = jack.tool("jack-record", "-b", "262144", "-p", "desk:master_out_%d", "-n", "2", "-t", "2",
                    captured.toString());
            if (record.waitFor(20, TimeUnit.SECONDS) && record.exitValue() == 0) {
                float[][] samples = WavReader.read(captured).samples();
                if (samples[0].length > RATE) {
                    return JackServer.sinePeakDb(samples[0], RATE);
                }
            }
            record.destroyForcibly();
            record.waitFor(5, TimeUnit.SECONDS);
        }
        throw new AssertionError("jack-record could not capture two seconds of the master in three tries");
    }

    private static void type(PipedOutputStream typing, String lines) throws IOException {
        typing.write(lines.getBytes(StandardCharsets.UTF_8));
        typing.flush();
    }

    private static void awaitText(ByteArrayOutputStream stream, String expected) throws InterruptedException {
        awaitText(stream, 0, expected);
    }

    /** Waits until {@code expected} appears in what {@code stream} holds from byte {@code from}; that text. */
    private static String awaitText(ByteArrayOutputStream stream, int from, String expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String text = stream.toString(StandardCharsets.UTF_8);
            String fresh = text.substring(Math.min(from, text.length()));
            if (fresh.contains(expected)) {
                return fresh;
            }
            assertTrue(System.nanoTime() < deadline, "waited for \"" + expected + "\"; got: " + text);
            Thread.sleep(20);
        }
    }
}
