package desk.repl;

import desk.engine.backend.JavaSoundBackend;
import desk.engine.backend.VirtualSoundCards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static desk.repl.TmuxPane.lastLine;
import static desk.repl.TmuxPane.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REPL with a session folder, in a real terminal (tmux): the prompt names the session and marks unsaved
 * edits, :save clears the mark, and the first Ctrl-D with unsaved edits says so instead of leaving.
 */
class SessionPromptTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration ANSWER = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    @Test
    void thePromptMarksUnsavedEditsAndTheFirstQuitWithThemAsksToSave() throws Exception {
        TmuxPane.requireTmux("SessionPromptTest");
        Path song = temp.resolve("ballad");
        List<String> command = TmuxPane.deskCommand(
                List.of("-D" + JavaSoundBackend.DEVICE_PROPERTY + "=" + VirtualSoundCards.class.getName()),
                "--session", song.toString());
        TmuxPane pane = new TmuxPane(Files.createDirectories(temp.resolve("tmux")),
                List.of("XDG_STATE_HOME=" + Files.createDirectories(temp.resolve("state"))), command);
        try {
            pane.awaitScreen(screen -> lastLine(screen).equals("ballad js>"), START);
            pane.enter("session.track('Vox').fader = -3");
            pane.awaitScreen(screen -> lastLine(screen).equals("ballad* js>"), ANSWER);
            pane.press("C-d");
            String warned = pane.awaitScreen(screen -> lines(screen).stream().anyMatch(line -> line.startsWith(
                    "The session has unsaved changes: :save keeps them")) && lastLine(screen).equals("ballad* js>"), ANSWER);
            assertTrue(!pane.dead(), "the first Ctrl-D stays:\n" + warned);
            pane.enter(":save");
            String saved = pane.awaitScreen(screen -> lastLine(screen).equals("ballad js>"), ANSWER);
            assertTrue(lines(saved).contains("saved " + song.toAbsolutePath().normalize().resolve("session.json")), saved);
            assertTrue(Files.readString(song.resolve("session.json")).contains("\"name\": \"Vox\""));
            pane.press("C-d");
            pane.awaitScreen(screen -> pane.dead(), ANSWER);
            assertEquals("0", pane.exitStatus().strip(), "no unsaved edits: it leaves at once");
        } finally {
            pane.kill();
        }
    }
}
