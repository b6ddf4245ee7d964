package desk.repl;

import desk.engine.backend.JackServer;
import desk.engine.io.WavReader;
import desk.engine.record.TakeFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A take outlives its JACK server: {@code desk run} records a tone for 20 s of audio on {@code jackd -d
 * dummy}, from 10 s on the timeline; jackd is killed once the take holds 8 s and started again 2 s later. The first file is closed
 * valid where the server went, recording goes on in a second file of the same track once Desk is back, both
 * open in sox and in Desk's reader, the second starts on the timeline on the sample after the last of the
 * first (their lengths add up to the transport time recorded: the outage is not in it), and stderr says
 * what happened when it happened. A second run over the session folder lists both takes.
 */
class TakeSurvivesServerLossTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 256;
    private static final Pattern LOST = Pattern.compile(
            "desk: audio lost at 00:(\\d\\d\\.\\d): recording Vox stopped at takes/Vox-001\\.wav\\n");
    private static final Pattern BACK = Pattern.compile(
            "desk: audio back after (\\d+\\.\\d) s: recording Vox resumed in takes/Vox-002\\.wav\\n");

    @TempDir
    Path folder;

    @Test
    void aTakeGoesOnInASecondFileAfterTheServerComesBack() throws Exception {
        JackServer.requireTools("jackd", "jack_wait", "sox");
        JackServer jack = new JackServer(RATE, PERIOD);
        String name = jack.name();
        Path session = folder.resolve("session");
        Path script = Files.writeString(folder.resolve("record.js"), """
                const vox = session.track("Vox");
                vox.input = session.generator("sine", {freq: 440, level: -12});
                vox.armed = true;
                session.locate(10);
                session.record();
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> desk = CompletableFuture.supplyAsync(() -> Main.run(
                new String[]{"--jack-server", name, "run", script.toString(), "--session", session.toString(),
                        "--seconds", "20"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        Path first = session.resolve("takes").resolve("Vox-001.wav");
        Path second = session.resolve("takes").resolve("Vox-002.wav");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (frames(first) < 8L * RATE && System.nanoTime() < deadline && !desk.isDone()) {
                Thread.sleep(20);
            }
            assertTrue(frames(first) >= 8L * RATE, "the take reached 8 s: " + err);
            jack.kill();
            jack.close();
            Thread.sleep(2000);
            jack = new JackServer(name, RATE, PERIOD);
            assertEquals(0, desk.get(120, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        } finally {
            jack.close();
        }
        String said = err.toString(StandardCharsets.UTF_8);
        System.out.print(said);
        Matcher lost = LOST.matcher(said);
        assertTrue(lost.find(), said);
        Matcher back = BACK.matcher(said);
        assertTrue(back.find(), said);
        assertTrue(said.indexOf("audio lost") < said.indexOf("audio back"), said);

        long frames1 = WavReader.probe(first).frames();
        long frames2 = WavReader.probe(second).frames();
        assertEquals(frames1, soxSamples(first), "sox reads " + first + " whole");
        assertEquals(frames2, soxSamples(second), "sox reads " + second + " whole");
        long start1 = TakeFile.timeReference(first);
        long start2 = TakeFile.timeReference(second);
        System.out.printf("take files: %d + %d frames (%.3f s in all), at timeline samples %d and %d; back after"
                + " %s s%n", frames1, frames2, (frames1 + frames2) / (double) RATE, start1, start2, back.group(1));
        assertTrue(Math.abs(start2 - (start1 + frames1)) <= PERIOD, "the second file starts where the first ends:"
                + " first " + start1 + " + " + frames1 + ", second at " + start2);
        assertTrue(frames1 >= 8L * RATE && frames2 > 0, frames1 + " and " + frames2 + " frames");
        double lostAt = Double.parseDouble(lost.group(1));
        assertEquals((start1 + frames1) / (double) RATE, lostAt, 0.3, "the loss is placed where the first file ends,"
                + " give or take the round trip");
        long span = start2 + frames2 - start1;
        assertTrue(Math.abs(frames1 + frames2 - span) <= PERIOD, "the files' lengths add up to the transport"
                + " time they cover (" + span + " frames): " + (frames1 + frames2));
        assertTrue(frames1 + frames2 >= 18L * RATE && frames1 + frames2 <= 20L * RATE + RATE / 2,
                "most of the 20 s the run played, less what played before the session was back: "
                        + (frames1 + frames2) + " frames");

        Path list = Files.writeString(folder.resolve("list.js"),
                "console.log(session.takes.map(t => t.file + \" at \" + t.position).join(\"; \"))\n");
        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[]{"--backend", "offline", "run", list.toString(), "--session",
                        session.toString()}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(listed, true, StandardCharsets.UTF_8), System.err));
        String takes = listed.toString(StandardCharsets.UTF_8);
        assertTrue(takes.contains("takes/Vox-001.wav at ") && takes.contains("takes/Vox-002.wav at "), takes);
    }

    /** The frames a growing take file holds now, or 0 before it exists. */
    private static long frames(Path file) {
        try {
            return Files.exists(file) ? WavReader.probe(file).frames() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long soxSamples(Path file) throws IOException, InterruptedException {
        Process soxi = new ProcessBuilder("sox", "--i", "-s", file.toString()).redirectErrorStream(true).start();
        String samples = new String(soxi.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, soxi.waitFor(), "sox opens " + file + ": " + samples);
        return Long.parseLong(samples);
    }
}
