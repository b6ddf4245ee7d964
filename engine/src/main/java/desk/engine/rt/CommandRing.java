package desk.engine.rt;

import desk.engine.RealTime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer ring of preallocated {@link Command} slots from the control
 * thread to the audio thread. The producer fills a claimed slot and publishes it; the consumer reads slots in
 * order and either releases them or takes them out whole, leaving a spare slot of its own in their place (so
 * a command due later can wait on the audio side without copying). Nothing is allocated after construction.
 * <p>
 * Threads: {@link #claim} and {@link #publish} by one producer at a time (the engine's control lock);
 * {@code rt} methods by the one consumer (the audio thread, or the control thread while no audio thread
 * runs).
 */
public final class CommandRing {
    /** The time of commands that are due as soon as possible. */
    public static final long NOW = Long.MIN_VALUE;

    private final Command[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    /** A ring of {@code capacity} slots (a power of two). */
    public CommandRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity " + capacity + ": must be a power of two");
        }
        slots = new Command[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new Command();
        }
        mask = capacity - 1;
    }

    /** The next free slot to fill, due {@link #NOW} until its time is set, or null when the ring is full. */
    public Command claim() {
        long t = tail.get();
        if (t - head.get() >= slots.length) {
            return null;
        }
        Command slot = slots[(int) (t & mask)];
        slot.time = NOW;
        return slot;
    }

    /** Makes the claimed slot visible to the consumer. */
    public void publish() {
        tail.setRelease(tail.get() + 1);
    }

    /** The oldest unread command, or null. */
    @RealTime
    Command rtPeek() {
        long h = head.getAcquire();
        if (h == tail.getAcquire()) {
            return null;
        }
        return slots[(int) (h & mask)];
    }

    /**
     * Takes the command returned by {@link #rtPeek} out of the ring for good, puts {@code spare} in its place
     * and releases the place; the caller now owns the returned slot.
     */
    @RealTime
    Command rtTake(Command spare) {
        long h = head.getPlain();
        int index = (int) (h & mask);
        Command taken = slots[index];
        slots[index] = spare;
        head.setRelease(h + 1);
        return taken;
    }

    /** Releases the command returned by {@link #rtPeek}, dropping what it referred to. */
    @RealTime
    void rtPop() {
        slots[(int) (head.getPlain() & mask)].rtClear();
        head.setRelease(head.getPlain() + 1);
    }
}
