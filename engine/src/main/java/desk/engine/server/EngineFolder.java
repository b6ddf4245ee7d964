package desk.engine.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The private folder of one {@link RemoteEngineLink}, for the engine processes' socket and logs: made in the
 * temporary-file folder as {@code desk-engine-*}, holding a file {@code pid} with the id of the process that
 * owns it, and removed with everything in it when the link closes. A process killed before it could close
 * leaves its folder behind; the next link to start removes every folder whose {@code pid} names a process
 * that is gone, and leaves alone those of live processes and anything without a readable {@code pid} file.
 * <p>
 * Threads: one thread at a time per folder; sweeping is safe beside other processes making, using and
 * sweeping folders of their own.
 */
final class EngineFolder {
    /** How the names of these folders begin. */
    static final String PREFIX = "desk-engine-";
    /** The file in each folder that names its owner's process id. */
    static final String OWNER_FILE = "pid";

    private final Path path;

    private EngineFolder(Path path) {
        this.path = path;
    }

    /**
     * Removes the folders left in {@code root} by processes that are gone, then makes a new folder there owned
     * by this process.
     */
    static EngineFolder create(Path root) throws IOException {
        sweep(root);
        Path path = Files.createTempDirectory(root, PREFIX);
        Files.writeString(path.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        return new EngineFolder(path);
    }

    /** The folder in the JVM's temporary-file folder ({@code java.io.tmpdir}). */
    static EngineFolder create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** The folder's path. */
    Path path() {
        return path;
    }

    /** Removes the folder and the files in it. */
    void delete() throws IOException {
        removeFolder(path);
    }

    /**
     * Removes the folders {@code desk-engine-*} in {@code root} whose owner process is gone; returns how many.
     * One that cannot be removed is left for a later sweep.
     */
    static int sweep(Path root) {
        int removed = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path folder : folders) {
                if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) && ownerIsGone(folder)) {
                    try {
                        removeFolder(folder);
                        removed++;
                    } catch (IOException e) {
                        // another process sweeping at the same time, or a folder that is not ours to remove
                    }
                }
            }
        } catch (IOException e) {
            // an unreadable temporary-file folder: nothing to sweep
        }
        return removed;
    }

    /** True when {@code folder}'s {@code pid} file names a process that no longer exists. */
    private static boolean ownerIsGone(Path folder) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(folder.resolve(OWNER_FILE)).strip());
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return ProcessHandle.of(pid).isEmpty();
    }

    /**
     * Removes the files in {@code folder} (it holds no folders), the {@code pid} file last so that a folder
     * only partly removed is still recognised as Desk's, then the folder itself.
     */
    private static void removeFolder(Path folder) throws IOException {
        Path owner = folder.resolve(OWNER_FILE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (!file.equals(owner)) {
                    Files.deleteIfExists(file);
                }
            }
        }
        Files.deleteIfExists(owner);
        Files.deleteIfExists(folder);
    }
}
