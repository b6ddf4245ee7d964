package desk.session;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a long piece of work, such as a bounce's render, on a thread of its own that the operating system runs
 * only when a processor is otherwise idle (Linux's SCHED_IDLE policy; where that is refused, at the lowest
 * priority, nice 19), and waits for it. The desk's audio threads, in this process or in the engine's, are never
 * kept waiting for it. Where neither can be set (not Linux), the thread runs at normal priority.
 * <p>
 * Threads: any thread; it blocks until the work is done.
 */
final class IdleThread {
    /** Linux's SCHED_IDLE scheduling policy. */
    private static final int SCHED_IDLE = 5;
    private static final int PRIO_PROCESS = 0;
    private static final int LOWEST_NICE = 19;

    /** The part of the C library used: the thread's id, its policy and its niceness. */
    private interface LibC extends Library {
        int gettid();

        int sched_setscheduler(int pid, int policy, int[] param);

        int setpriority(int which, int who, int priority);
    }

    private static final LibC LIBC = load();

    private IdleThread() {
    }

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** Runs {@code work} on an idle-priority thread called {@code name} and returns its result, or throws its failure. */
    static <T> T run(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(() -> {
            lowerPriority();
            return work.call();
        });
        Thread thread = new Thread(task, name);
        thread.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new DeskException(name + ": interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new DeskException(name + ": " + e.getCause().getMessage());
        }
    }

    /** Puts the calling thread under SCHED_IDLE, or else at nice 19; leaves it be where neither is possible. */
    private static void lowerPriority() {
        if (LIBC == null) {
            return;
        }
        try {
            int tid = LIBC.gettid();
            if (LIBC.sched_setscheduler(tid, SCHED_IDLE, new int[] {0}) != 0) {
                LIBC.setpriority(PRIO_PROCESS, tid, LOWEST_NICE);
            }
        } catch (UnsatisfiedLinkError e) {
            return;
        }
    }
}
