package desk.engine.clip;

import desk.engine.Limits;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The disk reader thread of clip playback: keeps every track's {@link ClipPlayer} ring filled ahead from
 * the position its audio side asked for. A clip whose file cannot be read plays as silence, and the
 * failure is reported once.
 * <p>
 * Threads: {@link #add}, {@link #problems} and {@link #problemCount} on any thread; the rest on its own
 * daemon thread, started with the first player.
 */
public final class ClipReader {
    /** Frames rendered into a ring at a time. */
    static final int CHUNK = 4096;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<ClipPlayer> players = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private Thread thread;
    private volatile boolean running = true;

    /** Starts keeping {@code player} filled. */
    public synchronized void add(ClipPlayer player) {
        players.add(player);
        if (thread == null && running) {
            thread = new Thread(this::run, "desk-clip-reader");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Reading failures so far, one line each. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** How many reading failures there were so far. */
    public int problemCount() {
        return problems.size();
    }

    /** Stops the reader thread and waits for it to end; players are fed no more. Any thread. */
    public void close() {
        Thread started;
        synchronized (this) {
            running = false;
            started = thread;
        }
        if (started != null) {
            LockSupport.unpark(started);
            boolean interrupted = false;
            while (started.isAlive()) {
                try {
                    started.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        float[][] scratch = new float[Limits.MAX_TRACK_CHANNELS][CHUNK];
        float[][][] decode = new float[Limits.MAX_TRACK_CHANNELS + 1][][];
        for (int c = 1; c <= Limits.MAX_TRACK_CHANNELS; c++) {
            decode[c] = new float[c][CHUNK];
        }
        while (running) {
            boolean worked = false;
            for (ClipPlayer player : players) {
                try {
                    worked |= player.readerStep(CHUNK, scratch, decode);
                } catch (IOException | RuntimeException e) {
                    String line = "clip playback: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                            + "; the clip plays as silence";
                    if (!problems.contains(line)) {
                        problems.add(line);
                    }
                }
            }
            if (!worked) {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
    }
}
