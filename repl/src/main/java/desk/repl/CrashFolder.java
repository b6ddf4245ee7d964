package desk.repl;

import desk.engine.insert.NativeCalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder the launcher makes for each Desk process and names in the system property {@value #PROPERTY}: it
 * holds the process's {@link NativeCalls} marks and one line per plugin insert, so that if a plugin's native code
 * crashes the process (an offline render runs plugins in it), the launcher's {@code -XX:OnError} script
 * ({@code repl/src/main/sh/crash-line}) can end the output with one line naming the plugin, beside the JVM's
 * report. The folder is removed when the process ends normally.
 * <p>
 * Threads: {@link #openIfGiven} on the main thread, once, at start.
 */
final class CrashFolder {
    /** The system property the launcher passes the folder in. */
    static final String PROPERTY = "desk.crashFolder";

    private CrashFolder() {
    }

    /** Keeps the marks in the folder the launcher gave, if it gave one, and removes it on a normal exit. */
    static void openIfGiven() {
        String given = System.getProperty(PROPERTY);
        if (given == null || given.isBlank()) {
            return;
        }
        Path folder = Path.of(given);
        try {
            Files.createDirectories(folder);
            NativeCalls.open(folder.resolve(NativeCalls.FILE));
        } catch (IOException e) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(folder), "desk-crash-folder"));
    }

    private static void remove(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A folder left in the temporary directory is the only cost.
        }
    }
}
