package desk.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer ring of preallocated command slots from the control thread to
 * the audio thread. The producer fills a claimed slot and publishes it; the consumer reads slots in order
 * and either releases them or takes them out whole, leaving a spare slot of its own in their place (so a
 * command due later can wait on the audio side without copying). Nothing is allocated after construction.
 * <p>
 * Threads: {@link #claim} and {@link #publish} by one producer at a time (the engine's control lock);
 * {@code rt} methods by the one consumer (the audio thread, or the control thread while no audio thread runs).
 */
final class CommandRing {
    /** Applies a ramp of gains to {@code target} (a {@link desk.engine.dsp.SmoothedGains}). */
    static final int RAMP = 1;
    /** Installs {@code payload} (a {@link Plan}). */
    static final int SWAP_PLAN = 2;
    /** Feeds channel {@code index} of {@code target} (a {@link Strip}) from channel {@code index2} of {@code payload}. */
    static final int SET_INPUT = 3;
    /** Sets whether {@code target} (a {@link Connection}) picks off before the fader ({@code flag}). */
    static final int SET_PRE_FADER = 4;
    /**
     * Ramps {@code target} (a {@link desk.engine.dsp.SmoothedGains}) to {@code values} over {@code index}
     * samples with the shape {@code payload} (a {@link desk.engine.dsp.SmoothedGains.Shape}).
     */
    static final int SHAPED_RAMP = 5;
    /** Starts ({@code flag}) or stops the transport. */
    static final int TRANSPORT = 6;
    /** Moves the transport to position {@code argument}. */
    static final int LOCATE = 7;
    /** Installs {@code payload} (an {@link Automation} table). */
    static final int SWAP_AUTOMATION = 8;
    /** Makes {@code target} (a {@link Strip}) measure loudness with {@code payload} (a {@link LoudnessTap}, or null). */
    static final int SET_LOUDNESS = 9;

    /** Starts recording the take of {@code payload} (a {@link TakeTap}). */
    static final int START_TAKE = 10;
    /** Ends the take that records. */
    static final int STOP_TAKE = 11;
    /** Gives {@code target} (a {@link Strip}) the clip player {@code payload} (a {@link ClipPlayer}). */
    static final int SET_PLAYER = 12;
    /** Installs the clips {@code payload} (a {@link PlaybackClip} array) in {@code target} (a {@link ClipPlayer}). */
    static final int SET_CLIPS = 13;
    /** Sets the transport's loop range to {@code payload} (a {@link LoopRange}, or null for none). */
    static final int SET_LOOP = 14;

    /** Commands that are due as soon as possible. */
    static final long NOW = Long.MIN_VALUE;

    /** One preallocated command, due at engine sample {@code time} ({@link #NOW}: at once). */
    static final class Slot {
        long time;
        long argument;
        long argument2;
        int kind;
        Object target;
        Object payload;
        int index;
        int index2;
        boolean flag;
        final float[] values = new float[Engine.MAX_TRACK_CHANNELS * 2];
    }

    private final Slot[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    /** A ring of {@code capacity} slots (a power of two). */
    CommandRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity " + capacity + ": must be a power of two");
        }
        slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new Slot();
        }
        mask = capacity - 1;
    }

    /** The next free slot to fill, or null when the ring is full. */
    Slot claim() {
        long t = tail.get();
        if (t - head.get() >= slots.length) {
            return null;
        }
        Slot slot = slots[(int) (t & mask)];
        slot.time = NOW;
        slot.target = null;
        slot.payload = null;
        return slot;
    }

    /** Makes the claimed slot visible to the consumer. */
    void publish() {
        tail.setRelease(tail.get() + 1);
    }

    /** The oldest unread command, or null. */
    @RealTime
    Slot rtPeek() {
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
    Slot rtTake(Slot spare) {
        long h = head.getPlain();
        int index = (int) (h & mask);
        Slot taken = slots[index];
        slots[index] = spare;
        head.setRelease(h + 1);
        return taken;
    }

    /** Releases the command returned by {@link #rtPeek}. */
    @RealTime
    void rtPop() {
        Slot slot = slots[(int) (head.getPlain() & mask)];
        slot.target = null;
        slot.payload = null;
        head.setRelease(head.getPlain() + 1);
    }
}
