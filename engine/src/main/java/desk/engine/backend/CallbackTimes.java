package desk.engine.backend;

import desk.engine.RealTime;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * What a real-time backend's callbacks cost while a measurement is on: the time each callback took and the
 * bytes our code allocated inside it (read from the audio thread's allocation counter around the work), in
 * preallocated storage. Between measurements nothing is recorded.
 * <p>
 * Threads: {@link #start}, {@link #stop} and the readers on one control thread; {@code rt} methods on the
 * audio thread only. Read the results after {@link #stop}.
 */
public final class CallbackTimes {
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final long[] nanos;
    private volatile boolean on;
    private volatile Thread audioThread;
    private int count;
    private long ownBytes;
    private long startNanos;
    private long startBytes;

    /** Room for {@code capacity} callbacks; later ones are counted in allocation only. */
    public CallbackTimes(int capacity) {
        nanos = new long[capacity];
    }

    /** Clears the results and starts measuring. */
    public void start() {
        on = false;
        count = 0;
        ownBytes = 0;
        on = true;
    }

    /** Stops measuring. */
    public void stop() {
        on = false;
    }

    /** Marks the start of a callback's work. */
    @RealTime
    void rtBegin() {
        if (audioThread == null) {
            audioThread = Thread.currentThread();
        }
        startNanos = System.nanoTime();
        startBytes = threads.getCurrentThreadAllocatedBytes();
    }

    /** Marks the end of a callback's work. */
    @RealTime
    void rtEnd() {
        long bytes = threads.getCurrentThreadAllocatedBytes() - startBytes;
        long took = System.nanoTime() - startNanos;
        if (!on) {
            return;
        }
        ownBytes += bytes;
        if (count < nanos.length) {
            nanos[count] = took;
        }
        count++;
    }

    /** The audio thread, once a callback has run. */
    public Thread audioThread() {
        return audioThread;
    }

    /** Bytes allocated by the audio thread in all, as the JVM counts them (our code and the binding's). */
    public long audioThreadAllocatedBytes() {
        Thread thread = audioThread;
        return thread == null ? 0 : threads.getThreadAllocatedBytes(thread.threadId());
    }

    /** Callbacks measured. */
    public int count() {
        return count;
    }

    /** Bytes our code allocated inside the measured callbacks. */
    public long ownBytes() {
        return ownBytes;
    }

    /** The callback times measured, in nanoseconds, sorted. */
    public long[] sortedNanos() {
        long[] sorted = Arrays.copyOf(nanos, Math.min(count, nanos.length));
        Arrays.sort(sorted);
        return sorted;
    }
}
