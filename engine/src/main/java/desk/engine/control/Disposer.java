package desk.engine.control;

import desk.engine.rt.ReturnRing;

/**
 * Releases, off the audio thread, what the audio thread handed back through its {@link ReturnRing}: objects
 * holding resources beyond memory ({@link AutoCloseable} ones) are closed here; the rest are simply dropped,
 * so the last reference to a replaced plan never goes away on the audio thread.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
public final class Disposer {
    private final ReturnRing returns;
    private long released;

    /** A disposer of what comes back through {@code returns}. */
    public Disposer(ReturnRing returns) {
        this.returns = returns;
    }

    /** Releases everything handed back so far; allocates nothing when nothing holds resources. */
    public void releaseReturned() {
        for (Object returned = returns.poll(); returned != null; returned = returns.poll()) {
            if (returned instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // A resource that fails to close has nothing left to release; the audio path is unaffected.
                }
            }
            released++;
        }
    }

    /** How many objects were handed back and released so far. */
    public long released() {
        return released;
    }
}
