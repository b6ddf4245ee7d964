package desk.engine.insert;

import desk.engine.RealTime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the engine process is in a plugin's native code, kept in a small file mapped into memory so that it
 * outlives a crash there: the id of the insert whose plugin the audio thread runs now, and that of the insert
 * the control thread is making or saving, and that of the insert whose plugin's background work (its LV2 worker)
 * runs now, each 0 when none. The process that started the engine reads the file
 * once the engine has died, to name the plugin that took it down and leave it out of the replay. A process that runs
 * its engine itself (offline renders) keeps a file too when started with one, and beside it one line per plugin
 * insert saying what it is ({@link #describe}), for the launcher's last words when a plugin crashes the process
 * ({@code -XX:OnError}). Without a file nothing is kept.
 * <p>
 * Threads: {@link #open} once at start; the {@code rt} methods on the audio thread; {@link #enterControl},
 * {@link #leaveControl}, {@link #controlInsert} and {@link #describe} on the control thread; {@link #enterWorker} and
 * {@link #leaveWorker} on a plugin's worker thread; {@link #read} in another process, after this one died.
 */
public final class NativeCalls {
    /** The file's name, beside the engine process's socket. */
    public static final String FILE = "native-calls";
    private static final int BYTES = 12;
    private static final int AUDIO = 0;
    private static final int CONTROL = 4;
    private static final int WORKER = 8;
    private static volatile ByteBuffer marks;
    private static volatile Path folder;
    private static volatile int controlInsert;

    private NativeCalls() {
    }

    /** Maps {@code file} (made or cleared) as this process's marks. */
    public static void open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, BYTES).order(ByteOrder.nativeOrder());
            for (int at = 0; at < BYTES; at += 4) {
                mapped.putInt(at, 0);
            }
            marks = mapped;
            folder = file.toAbsolutePath().getParent();
        }
    }

    /**
     * Notes, beside this process's file (if it has one), what the plugin insert {@code insertId} is, in words
     * ({@code Tone.inserts[0] (lv2:...)}), for a line naming it should it crash the process. Control thread.
     */
    public static void describe(int insertId, String description) {
        Path beside = folder;
        if (beside != null) {
            try {
                Files.writeString(beside.resolve("insert-" + insertId), description + "\n");
            } catch (IOException e) {
                // Only the words of a crash report are lost: the insert itself is unaffected.
            }
        }
    }

    /** Notes that the audio thread enters the plugin of insert {@code insertId}. */
    @RealTime
    public static void rtEnter(int insertId) {
        ByteBuffer mapped = marks;
        if (mapped != null) {
            mapped.putInt(AUDIO, insertId);
        }
    }

    /** Notes that the audio thread has left the plugin it entered. */
    @RealTime
    public static void rtLeave() {
        ByteBuffer mapped = marks;
        if (mapped != null) {
            mapped.putInt(AUDIO, 0);
        }
    }

    /** Notes that the control thread enters the plugin of insert {@code insertId} (making it, saving its state). */
    public static void enterControl(int insertId) {
        controlInsert = insertId;
        ByteBuffer mapped = marks;
        if (mapped != null) {
            mapped.putInt(CONTROL, insertId);
        }
    }

    /** Notes that the control thread has left the plugin it entered. */
    public static void leaveControl() {
        enterControl(0);
    }

    /** The insert whose plugin the control thread is in now (whether or not there is a file), or 0. */
    public static int controlInsert() {
        return controlInsert;
    }

    /** Notes that a worker thread enters the background work of the plugin of insert {@code insertId}. */
    public static void enterWorker(int insertId) {
        ByteBuffer mapped = marks;
        if (mapped != null) {
            mapped.putInt(WORKER, insertId);
        }
    }

    /** Notes that the worker thread has left the plugin's work. */
    public static void leaveWorker() {
        enterWorker(0);
    }

    /**
     * The insert whose plugin a dead engine process was in when it died, from its file: the audio thread's, else
     * the worker thread's, else the control thread's; 0 when none was in one, or the file is missing or short.
     */
    public static int read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < BYTES) {
                return 0;
            }
            ByteBuffer kept = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
            int audio = kept.getInt(AUDIO);
            int worker = kept.getInt(WORKER);
            return audio != 0 ? audio : worker != 0 ? worker : kept.getInt(CONTROL);
        } catch (IOException e) {
            return 0;
        }
    }
}
