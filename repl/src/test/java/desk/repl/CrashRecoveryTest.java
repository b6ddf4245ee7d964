package desk.repl;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A desk killed outright (SIGKILL) while a script edits the session every 100 ms: the folder's copy of the
 * unsaved changes holds every edit made up to a second before the kill, opening the folder says the copy is
 * there, and --recover opens it.
 */
class CrashRecoveryTest {
    private static final int KILL_AFTER_EDITS = 30;

    @TempDir
    Path folder;

    @Test
    void editsUpToASecondBeforeAKillAreRecovered() throws Exception {
        Path sessionFolder = folder.resolve("song");
        Path script = folder.resolve("edit.js");
        Files.writeString(script, """
                const track = session.track("T");
                let edits = 0;
                session.play();
                every(0.1, () => {
                  edits++;
                  track.fader = -edits / 10;
                  print(edits);
                });
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process desk = new ProcessBuilder(java, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--backend", "dummy",
                "run", script.toString(), "--session", sessionFolder.toString(), "--seconds", "120")
                .redirectErrorStream(true).start();
        int seen = 0;
        List<String> printed = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(desk.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null && seen < KILL_AFTER_EDITS; line = lines.readLine()) {
                printed.add(line);
                if (line.matches("\\d+")) {
                    seen = Integer.parseInt(line);
                }
            }
            desk.destroyForcibly();
            assertTrue(desk.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, desk.exitValue(), "killed with SIGKILL: " + printed);
        assertFalse(Files.exists(sessionFolder.resolve("session.json")), "nothing was saved");

        Session opened = new Session(new LocalEngineLink(new Engine(48000, 2)));
        List<String> notices = new ArrayList<>();
        opened.onNotice(notices::add);
        opened.open(sessionFolder, false);
        assertTrue(opened.tracks().isEmpty(), "the saved session (none) is what opens without --recover");
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.getFirst().contains("unsaved changes from ") && notices.getFirst().contains("--recover opens them"),
                notices.getFirst());

        Session recovered = new Session(new LocalEngineLink(new Engine(48000, 2)));
        recovered.open(sessionFolder, false, true);
        int edits = (int) Math.round(-recovered.find("T").fader() * 10);
        assertTrue(edits >= KILL_AFTER_EDITS - 10, "edits up to a second before the kill are there: " + edits
                + " of at least " + KILL_AFTER_EDITS);
        assertTrue(recovered.unsaved(), "a recovered session is unsaved until saved");
        recovered.save();
        recovered.flushAutosave();
        assertFalse(Files.exists(sessionFolder.resolve("session.autosave.json")), "saving discards the copy");
        System.out.printf("killed after edit %d; the copy held edit %d%n", seen, edits);
    }
}
