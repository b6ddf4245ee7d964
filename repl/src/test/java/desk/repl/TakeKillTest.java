package desk.repl;

import desk.engine.backend.JavaSoundBackend;
import desk.engine.backend.VirtualSoundCards;
import desk.engine.io.AudioFile;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A take survives the engine being killed: {@code desk run} records eight tracks live on the dummy backend
 * into a session folder and is killed with SIGKILL once every file holds 60 s; every file then opens in
 * sox, in ffprobe and in Desk's reader and holds at least 59 s of the signal, and a new run over the same
 * folder lists the eight takes.
 */
class TakeKillTest {
    private static final int RATE = 48_000;
    private static final int TRACKS = 8;
    private static final long BYTES_PER_SECOND = 3L * RATE;

    @TempDir
    Path folder;

    @Test
    void killedWhileRecordingEightTracksEveryFileHoldsAtLeast59SecondsAndIsListedAfterARestart() throws Exception {
        Path session = folder.resolve("session");
        Path script = folder.resolve("record.js");
        Files.writeString(script, """
                for (let t = 1; t <= 8; t++) {
                  const track = session.track("Mic " + t);
                  track.input = session.generator("sine", {freq: 100 * t, level: -6});
                  track.monitoring = "auto";
                  track.armed = true;
                }
                session.record();
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process desk = new ProcessBuilder(java, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-D" + JavaSoundBackend.DEVICE_PROPERTY + "=" + VirtualSoundCards.class.getName(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--sample-rate", String.valueOf(RATE), "run", script.toString(), "--session", session.toString(),
                "--seconds", "600")
                .redirectErrorStream(true).redirectOutput(folder.resolve("desk.log").toFile()).start();
        Path takes = session.resolve("takes");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!allHold(takes, 60.2) && System.nanoTime() < deadline) {
                assertTrue(desk.isAlive(), "desk is still running: " + Files.readString(folder.resolve("desk.log")));
                Thread.sleep(100);
            }
            assertTrue(allHold(takes, 60.2), "eight files of 60 s were written: " + sizes(takes));
        } finally {
            desk.destroyForcibly();
            assertTrue(desk.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, desk.exitValue(), "killed with SIGKILL");

        List<Path> files = takeFiles(takes);
        assertEquals(TRACKS, files.size(), files.toString());
        for (Path file : files) {
            Process soxi = new ProcessBuilder("sox", "--i", "-D", file.toString()).redirectErrorStream(true).start();
            String seconds = new String(soxi.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, soxi.waitFor(), "sox opens " + file + ": " + seconds);
            assertTrue(Double.parseDouble(seconds) >= 59, file + " holds " + seconds + " s by sox");
            Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration",
                    "-of", "default=noprint_wrappers=1:nokey=1", file.toString()).redirectErrorStream(true).start();
            String probed = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, ffprobe.waitFor(), "ffprobe opens " + file + ": " + probed);
            assertTrue(Double.parseDouble(probed) >= 59, file + " holds " + probed + " s by ffprobe");
            AudioFile audio = WavReader.read(file);
            assertTrue(audio.frames() >= 59L * RATE, file + " holds " + audio.frames() + " frames");
            assertEquals(0, TakeFile.timeReference(file), "recorded from the start of the timeline");
            float peak = 0;
            for (float sample : audio.samples()[0]) {
                peak = Math.max(peak, Math.abs(sample));
            }
            assertEquals(Math.pow(10, -6 / 20.0), peak, 1e-4, file + " holds the -6 dBFS sine");
        }

        Path list = folder.resolve("list.js");
        Files.writeString(list, "print(session.takes.map(t => t.track + ' ' + t.file + ' ' + (t.length >= 59)).join('\\n'))");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[]{"run", list.toString(), "--offline", "--session", session.toString()},
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        List<String> expected = new ArrayList<>();
        for (int t = 1; t <= TRACKS; t++) {
            expected.add("Mic " + t + " takes/Mic " + t + "-001.wav true");
        }
        assertEquals(String.join("\n", expected) + "\n", out.toString(StandardCharsets.UTF_8));
    }

    private static List<Path> takeFiles(Path takes) throws IOException {
        if (!Files.isDirectory(takes)) {
            return List.of();
        }
        try (var files = Files.list(takes)) {
            return files.sorted().toList();
        }
    }

    private static boolean allHold(Path takes, double seconds) throws IOException {
        List<Path> files = takeFiles(takes);
        if (files.size() < TRACKS) {
            return false;
        }
        for (Path file : files) {
            if (Files.size(file) - TakeFile.HEADER_BYTES < seconds * BYTES_PER_SECOND) {
                return false;
            }
        }
        return true;
    }

    private static String sizes(Path takes) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path file : takeFiles(takes)) {
            text.append(file.getFileName()).append('=').append(Files.size(file)).append(' ');
        }
        return text.toString();
    }
}
