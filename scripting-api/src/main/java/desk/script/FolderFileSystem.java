package desk.script;

import org.graalvm.polyglot.io.FileSystem;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;

/**
 * The file system scripts see with {@code --allow-io}: the host's, limited to one folder and what is below
 * it. Anything outside, also by way of a symbolic link, is refused with an AccessDeniedException that names
 * the path.
 * <p>
 * Threads: any thread (it holds no state beyond the folder).
 */
final class FolderFileSystem implements FileSystem {
    private final Path root;
    private final FileSystem host = FileSystem.newDefaultFileSystem();

    FolderFileSystem(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The absolute path for {@code path}, refused unless both it and what it really points to (following
     * symbolic links, for the part of it that exists) lie inside the folder.
     */
    private Path inside(Path path) throws IOException {
        Path absolute = (path.isAbsolute() ? path : root.resolve(path)).normalize();
        if (!absolute.startsWith(root) || !real(absolute).startsWith(real(root))) {
            throw new AccessDeniedException(path.toString(), null, "outside the working folder " + root);
        }
        return absolute;
    }

    private static Path real(Path path) throws IOException {
        Path existing = path;
        Path rest = existing.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        return existing == null ? path : existing.toRealPath().resolve(rest).normalize();
    }

    @Override
    public Path parsePath(URI uri) {
        return host.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return host.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        host.checkAccess(inside(path), modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        host.createDirectory(inside(dir), attrs);
    }

    @Override
    public void delete(Path path) throws IOException {
        host.delete(inside(path));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return host.newByteChannel(inside(path), options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        return host.newDirectoryStream(inside(dir), filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : root.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return host.toRealPath(inside(path), linkOptions);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return host.readAttributes(inside(path), attributes, options);
    }
}
