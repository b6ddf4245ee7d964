package desk.engine.backend;

import java.util.concurrent.CountDownLatch;

/**
 * What the backends that clock the engine themselves (the dummy clock, Java Sound) do alike with their audio
 * thread: start it, and wait for it to stop. Threads: the backends' control thread.
 */
final class AudioThreads {
    private AudioThreads() {
    }

    /** Starts {@code body} on a daemon thread of the highest priority called {@code name}, and returns it. */
    static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
        return thread;
    }

    /**
     * Waits until {@code stopped} opens. An interrupt while waiting does not cut the wait short (the engine
     * must know its audio thread has stopped); it is kept for the caller.
     */
    static void awaitStop(CountDownLatch stopped) {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
