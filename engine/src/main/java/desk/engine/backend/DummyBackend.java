package desk.engine.backend;

import desk.engine.Limits;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A backend with no device: a thread clocked at real time that runs the engine one period at a time and
 * discards the output. A period that starts more than one period late counts as an xrun.
 * <p>
 * Threads: {@link #start} and {@link #close} on the control thread; the clock thread is the engine's audio
 * thread; the counters on any thread.
 */
public final class DummyBackend implements AutoCloseable {
    private final AudioCallback engine;
    private final int periodFrames;
    private final float[][] capture = new float[0][];
    private final float[][] playback = new float[2][];
    private volatile boolean running;
    private volatile long periods;
    private volatile long xruns;
    private Thread thread;
    private CountDownLatch stopped;

    /** A dummy device running {@code engine} in periods of {@code periodFrames} frames. */
    public DummyBackend(AudioCallback engine, int periodFrames) {
        if (periodFrames < 1 || periodFrames > Limits.MAX_PERIOD) {
            throw new IllegalArgumentException("period " + periodFrames + " frames: must be 1.." + Limits.MAX_PERIOD);
        }
        this.engine = engine;
        this.periodFrames = periodFrames;
        playback[0] = new float[periodFrames];
        playback[1] = new float[periodFrames];
    }

    /** Starts the clock thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        stopped = new CountDownLatch(1);
        engine.setAudioThreadRunning(true);
        CountDownLatch latch = stopped;
        thread = AudioThreads.start("desk-dummy-audio", () -> run(latch));
    }

    /** Periods processed so far. */
    public long periods() {
        return periods;
    }

    /** Periods that started more than one period late. */
    public long xruns() {
        return xruns;
    }

    /** The period size in frames. */
    public int periodFrames() {
        return periodFrames;
    }

    private void run(CountDownLatch latch) {
        long periodNanos = TimeUnit.SECONDS.toNanos(periodFrames) / engine.sampleRate();
        long deadline = System.nanoTime();
        try {
            while (running) {
                long now = System.nanoTime();
                if (now - deadline > periodNanos) {
                    xruns = xruns + 1;
                    deadline = now;
                }
                engine.rtProcess(capture, playback, periodFrames);
                engine.rtMidiOut().rtClearOutgoing();
                periods = periods + 1;
                deadline += periodNanos;
                long wait = deadline - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } finally {
            latch.countDown();
        }
    }

    /**
     * Stops the clock thread and waits for it to finish its period. An interrupt while waiting does not cut
     * the wait short (the engine must know the audio thread has stopped); it is kept for the caller.
     */
    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        running = false;
        AudioThreads.awaitStop(stopped);
        engine.setAudioThreadRunning(false);
        thread = null;
    }
}
