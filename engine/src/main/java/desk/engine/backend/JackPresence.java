package desk.engine.backend;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a JACK server could answer a client at all, told in a moment from the files a server leaves where
 * its clients look for it, without loading libjack or starting a process: on Linux, JACK 2 listens on sockets
 * named {@code jack_<server>_<uid>_<n>} in {@code /dev/shm}, JACK 1 keeps a folder {@code jack-<uid>} there,
 * and PipeWire, whose libjack stands in for JACK's on many desktops, listens on {@code pipewire-0} in its
 * runtime folder. When none of them is there, no server can answer. Anything unclear counts as a server that
 * may answer: another system, a folder that cannot be read, a socket left behind by a server that died (the
 * client that looks for it finds out). JACK's semaphores, its metadata database and its registry of shared
 * memory stay behind when a server ends, so they do not count.
 * <p>
 * Threads: any.
 */
public final class JackPresence {
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");
    private static final String PIPEWIRE_SOCKET = "pipewire-0";

    private JackPresence() {
    }

    /**
     * The name of the JACK server {@code serverName}: itself, or for null the default (JACK_DEFAULT_SERVER, else
     * "default").
     */
    public static String serverLabel(String serverName) {
        return serverName != null ? serverName : System.getenv().getOrDefault("JACK_DEFAULT_SERVER", "default");
    }

    /** The line that says no JACK server called {@code serverLabel} is running. */
    public static String noServerRunning(String serverLabel) {
        return "no JACK server \"" + serverLabel + "\" is running";
    }

    /** False only when no JACK server, nor PipeWire standing in for one, can be running here. */
    public static boolean serverMayAnswer() {
        return serverMayAnswer(System.getProperty("os.name", ""), SHARED_MEMORY, System.getenv());
    }

    /**
     * As {@link #serverMayAnswer()} on a system called {@code osName}, whose shared memory is the folder
     * {@code sharedMemory}, in the environment {@code environment}.
     */
    static boolean serverMayAnswer(String osName, Path sharedMemory, Map<String, String> environment) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux") || environment.containsKey("PIPEWIRE_REMOTE")) {
            return true;
        }
        for (String folder : new String[] {environment.get("PIPEWIRE_RUNTIME_DIR"), environment.get("XDG_RUNTIME_DIR"),
                "/run/pipewire"}) {
            if (folder != null && !folder.isEmpty() && Files.exists(Path.of(folder, PIPEWIRE_SOCKET))) {
                return true;
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sharedMemory)) {
            for (Path entry : entries) {
                if (jackServerFile(entry.getFileName().toString())) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Whether a file of {@code /dev/shm} called {@code name} is a JACK server's, or a client's of a live one. */
    private static boolean jackServerFile(String name) {
        return name.startsWith("jack_") && !name.startsWith("jack_sem.") && !name.startsWith("jack_db-")
                || name.startsWith("jack-") && !name.equals("jack-shm-registry");
    }
}
