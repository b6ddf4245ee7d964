package desk.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a session document to its file so that a crash leaves the old file or the new one, never a part:
 * into a new file beside it, forced to disk, the old one kept as {@code <file>.bak} if asked (a second name
 * for it where the file system allows, else a copy), then renamed over it, and the folder forced too. The
 * backup it replaces is renamed {@code .<file>.discarded} and deleted on a thread of its own.
 * <p>
 * A large file goes to disk as it is written: each time another {@value #SYNC_BYTES} bytes are written, a
 * thread of its own forces what is written so far (unless the last such force is still going), so the disk
 * writes while the numbers are formatted and the final force has only the end left.
 * <p>
 * Threads: any one thread per file.
 */
final class AtomicFile {
    /** How many bytes are written between two forces made while writing. */
    static final int SYNC_BYTES = 8 << 20;
    /** The buffer for the document's structure; lanes' texts larger than it go to the file as they are. */
    private static final int BUFFER_BYTES = 64 << 10;

    private AtomicFile() {
    }

    /** Writes {@code document} to {@code file}, keeping the old file as {@code <file>.bak} if {@code keepBackup}. */
    static void write(Path file, JsonNode document, boolean keepBackup) throws IOException {
        write(file, document, keepBackup, SYNC_BYTES);
    }

    /** As {@link #write(Path, JsonNode, boolean)}, forcing what is written every {@code syncBytes} bytes. */
    static void write(Path file, JsonNode document, boolean keepBackup, int syncBytes) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path fresh = folder.resolve(file.getFileName() + ".new");
        try (FileChannel channel = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            SyncingStream syncing = new SyncingStream(channel, syncBytes);
            OutputStream out = new BufferedOutputStream(syncing, BUFFER_BYTES);
            SessionJson.write(document, out);
            out.flush();
            syncing.awaitSync();
            channel.force(true);
        }
        if (keepBackup && Files.exists(file)) {
            Path backup = folder.resolve(file.getFileName() + ".bak");
            discard(backup, folder.resolve("." + file.getFileName() + ".discarded"));
            try {
                Files.createLink(backup, file);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /**
     * Takes {@code backup} out of the way by renaming it to {@code discarded}, which a thread of its own then
     * deletes: freeing a large file's blocks takes the file system a while, and the save need not wait for it.
     * A {@code discarded} left by a process that ended before its deletion is deleted too.
     */
    private static void discard(Path backup, Path discarded) throws IOException {
        if (Files.exists(backup)) {
            Files.move(backup, discarded, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(discarded)) {
            return;
        }
        Thread.ofPlatform().daemon().name("desk-session-discard").start(() -> {
            try {
                Files.deleteIfExists(discarded);
            } catch (IOException e) {
                // Left for the next save, which discards it again.
            }
        });
    }

    /** Writes to a channel, starting a force of what is written each {@code syncBytes} bytes. */
    private static final class SyncingStream extends OutputStream {
        private final FileChannel channel;
        private final int syncBytes;
        private long unsynced;
        private Thread sync;
        private volatile IOException syncFailure;

        SyncingStream(FileChannel channel, int syncBytes) {
            this.channel = channel;
            this.syncBytes = syncBytes;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            unsynced += length;
            if (unsynced >= syncBytes && (sync == null || !sync.isAlive())) {
                unsynced = 0;
                sync = Thread.ofPlatform().daemon().name("desk-session-sync").start(this::force);
            }
        }

        private void force() {
            try {
                channel.force(false);
            } catch (IOException e) {
                syncFailure = e;
            }
        }

        /** Waits for the force under way, if any; a failed one is thrown here. */
        void awaitSync() throws IOException {
            if (sync != null) {
                try {
                    sync.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the file went to disk", e);
                }
            }
            if (syncFailure != null) {
                throw syncFailure;
            }
        }
    }
}
