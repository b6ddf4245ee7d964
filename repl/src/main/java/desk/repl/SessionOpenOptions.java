package desk.repl;

import desk.session.Session;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * How {@code --session DIR} opens the folder's saved session, for the REPL and {@code desk run} alike:
 * {@code --missing-media refuse|offline} and {@code --recover}.
 * <p>
 * Threads: set by picocli on the main thread; read on the session's control thread.
 */
final class SessionOpenOptions {
    @Option(names = "--missing-media", paramLabel = "refuse|offline", description = "With --session: a saved session"
            + " whose clips or files are missing is refused (the default), or opened with them left out (offline).",
            defaultValue = "refuse")
    String missingMedia;

    @Option(names = "--recover", description = "With --session: open the unsaved changes Desk kept in the folder"
            + " (session.autosave.json) instead of the saved session.")
    boolean recover;

    /** Opens the session saved in {@code folder} into {@code session} (a missing folder is made). */
    void open(Session session, Path folder) {
        if (!missingMedia.equals("refuse") && !missingMedia.equals("offline")) {
            throw new IllegalArgumentException("--missing-media " + missingMedia + ": must be refuse or offline");
        }
        session.open(folder, missingMedia.equals("offline"), recover);
    }
}
