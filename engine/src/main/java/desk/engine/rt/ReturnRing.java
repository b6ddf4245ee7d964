package desk.engine.rt;

import desk.engine.RealTime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded single-producer single-consumer ring from the audio thread back to the control side, for the
 * objects the audio thread lets go of (replaced plans, automation tables, finished take taps): the control
 * side releases them, so nothing is freed, closed or finalised on the audio thread. Should the ring ever be
 * full the object is left to the garbage collector and counted in {@link #overflows()}.
 * <p>
 * Threads: {@link #rtOffer} by the audio thread (or the control thread while no audio thread runs);
 * {@link #poll} by the control thread, under the engine's lock.
 */
public final class ReturnRing {
    private final AtomicReferenceArray<Object> slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private volatile long overflows;

    /** A ring of {@code capacity} places (a power of two). */
    public ReturnRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity " + capacity + ": must be a power of two");
        }
        slots = new AtomicReferenceArray<>(capacity);
        mask = capacity - 1;
    }

    /** Hands {@code released} back to the control side; null is ignored. */
    @RealTime
    void rtOffer(Object released) {
        if (released == null) {
            return;
        }
        long t = tail.getPlain();
        if (t - head.getAcquire() >= slots.length()) {
            overflows = overflows + 1;
            return;
        }
        slots.setPlain((int) (t & mask), released);
        tail.setRelease(t + 1);
    }

    /** The oldest object handed back, or null when there is none. */
    public Object poll() {
        long h = head.getPlain();
        if (h == tail.getAcquire()) {
            return null;
        }
        int index = (int) (h & mask);
        Object released = slots.getPlain(index);
        slots.setPlain(index, null);
        head.setRelease(h + 1);
        return released;
    }

    /** How many objects found the ring full and were left to the garbage collector. Any thread. */
    public long overflows() {
        return overflows;
    }
}
