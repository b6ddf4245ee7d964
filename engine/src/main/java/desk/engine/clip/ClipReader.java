package desk.engine.clip;

import desk.engine.Limits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The disk reader thread of clip playback: keeps every track's {@link ClipPlayer} ring filled ahead from
 * the position its audio side asked for. A clip whose file cannot be read plays as silence, and the
 * failure is reported once.
 * <p>
 * Threads: {@link #add}, {@link #problems} and {@link #problemCount} on any thread,
 * {@link #readOnRenderThread} on the control thread; the rest on its own daemon thread, started with the first
 * player.
 */
public final class ClipReader {
    /** Frames rendered into a ring at a time, and most read at once on a render thread: an audio span fits in one. */
    static final int CHUNK = 4096;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<ClipPlayer> players = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private Thread thread;
    private volatile boolean running = true;
    private float[][][] renderThreadDecode;

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

    /**
     * Has {@code player} read its clips on the thread that renders it, an offline render's, from now on: this
     * thread feeds it no more. Every player of one engine renders on the same thread and shares one set of
     * decoding buffers ({@link Buffers#decodeArrays}). Control thread, before the render that reads.
     */
    public synchronized void readOnRenderThread(ClipPlayer player) {
        if (renderThreadDecode == null) {
            renderThreadDecode = Buffers.decodeArrays();
        }
        player.readOnRenderThread(this, renderThreadDecode);
    }

    /** Keeps the failure to read a clip as one line, once. Any thread. */
    void report(Throwable e) {
        String line = "clip playback: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                + "; the clip plays as silence";
        if (!problems.contains(line)) {
            problems.add(line);
        }
    }

    private void run() {
        Buffers buffers = new Buffers();
        while (running) {
            boolean worked = false;
            for (ClipPlayer player : players) {
                try {
                    worked |= player.readerStep(CHUNK, buffers);
                } catch (IOException | RuntimeException e) {
                    report(e);
                }
            }
            if (!worked) {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
    }

    /**
     * What one reading thread decodes and mixes clips through: {@code mix} holds a rendered chunk, one array per
     * track channel; {@code decode[n]} one array per channel for files of {@code n} channels; {@code bytes} a
     * chunk of the widest file, before decoding.
     */
    static final class Buffers {
        final float[][] mix = new float[Limits.MAX_TRACK_CHANNELS][CHUNK];
        final float[][][] decode = decodeArrays();
        final ByteBuffer bytes = ByteBuffer.allocate(CHUNK * Limits.MAX_TRACK_CHANNELS * Double.BYTES);

        /** Arrays to decode a chunk into: element {@code n} has one array per channel of a file of n channels. */
        static float[][][] decodeArrays() {
            float[][][] decode = new float[Limits.MAX_TRACK_CHANNELS + 1][][];
            for (int c = 1; c <= Limits.MAX_TRACK_CHANNELS; c++) {
                decode[c] = new float[c][CHUNK];
            }
            return decode;
        }
    }
}
