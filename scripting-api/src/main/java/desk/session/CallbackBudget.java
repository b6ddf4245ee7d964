package desk.session;

import desk.engine.Parameter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long one scheduled function or meter-watch callback may run before it is stopped: a budget in
 * milliseconds (default {@value #DEFAULT_MILLISECONDS} ms, 1..{@value #MAX_MILLISECONDS}) of the script
 * thread's processor time, so that a busy machine, which makes a callback take longer on the clock, does not
 * count against it, while a loop that never ends does. The session runs every callback through {@link #run},
 * which notes what runs and from what processor time; a watchdog on another thread asks {@link #overran} and,
 * on true, interrupts the scripts. A callback that fails, overrun or not, comes out as a
 * {@link CallbackFailure} that names it.
 * <p>
 * Threads: {@link #run} on the session's control thread; {@link #overran} on the watchdog's; the budget
 * on any thread.
 */
public final class CallbackBudget {
    /** The budget when none is set, ms. */
    public static final int DEFAULT_MILLISECONDS = 100;
    /** The largest budget, ms. */
    public static final int MAX_MILLISECONDS = 60_000;

    private volatile int milliseconds = DEFAULT_MILLISECONDS;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final AtomicLong runs = new AtomicLong();
    private volatile String running;
    private volatile long runningThread;
    private volatile long startedCpuNanos;
    private volatile long startedNanos;
    private volatile long stoppedRun = -1;

    /** The budget, ms. */
    public int milliseconds() {
        return milliseconds;
    }

    /** Sets the budget: 1..60000 ms. */
    public void milliseconds(double value) {
        if (!(value >= 1 && value <= MAX_MILLISECONDS) || value != Math.rint(value)) {
            throw new DeskException("session.callbackBudget " + Parameter.format(value)
                    + ": must be a whole number of milliseconds, 1.." + MAX_MILLISECONDS);
        }
        milliseconds = (int) value;
    }

    /**
     * Runs {@code callback}, described as {@code description} ("every 1 beat"); a failure comes out as a
     * {@link CallbackFailure} naming it, marked as an overrun when the watchdog stopped it. Stopping a script
     * may leave the thread's interrupt flag set; it is cleared after, so the session's own waits and I/O go on.
     * The session's control thread.
     */
    public void run(String description, Runnable callback) {
        runningThread = Thread.currentThread().threadId();
        startedCpuNanos = THREADS.getCurrentThreadCpuTime();
        startedNanos = System.nanoTime();
        running = description;
        long run = runs.incrementAndGet();
        try {
            callback.run();
        } catch (RuntimeException failure) {
            throw new CallbackFailure(description, stoppedRun == run ? milliseconds : 0, failure);
        } finally {
            running = null;
            Thread.interrupted();
        }
    }

    /**
     * True, once per run, when the callback running now has run past the budget: the caller then stops it.
     * Any thread.
     */
    public boolean overran() {
        long run = runs.get();
        if (running == null || stoppedRun == run || used() < milliseconds * 1_000_000L) {
            return false;
        }
        stoppedRun = run;
        return true;
    }

    /** Processor time the callback running now has used, ns (clock time where the JVM cannot tell). */
    private long used() {
        long cpu = THREADS.getThreadCpuTime(runningThread);
        return cpu >= 0 && startedCpuNanos >= 0 ? cpu - startedCpuNanos : System.nanoTime() - startedNanos;
    }
}
