package desk.engine.rt;

import desk.engine.RealTime;
import desk.engine.insert.ProcessorBatch;

/**
 * A strip's inserts in the order they run, in a fixed number of places: adding, removing and moving an
 * insert rearranges references without allocating. A removed insert fades to dry, then leaves the chain and
 * goes back to the control side through the {@link ReturnRing}; a moved one fades to dry, moves, and fades
 * back.
 * <p>
 * Threads: built on the control thread; the {@code rt} methods on the audio thread only.
 */
public final class InsertChain {
    /** Most inserts a strip can hold, counting those still fading out. */
    public static final int CAPACITY = 32;

    private final InsertSlot[] slots = new InsertSlot[CAPACITY];
    private final ReturnRing returns;
    private int count;

    /** A chain that hands the inserts it drops to {@code returns}. */
    public InsertChain(ReturnRing returns) {
        this.returns = returns;
    }

    /**
     * Whether the chain has work to do over a span: an insert in it that is not {@linkplain InsertSlot#rtIdle
     * idle}, even one fading out. A strip whose inserts all rest (a frozen track's) skips its chain.
     */
    @RealTime
    boolean rtActive() {
        for (int i = 0; i < count; i++) {
            if (!slots[i].rtIdle()) {
                return true;
            }
        }
        return false;
    }

    /** Places {@code slot} before {@code before} (null: at the end), fading it in unless {@code fade} is false. */
    @RealTime
    void rtAdd(InsertSlot slot, InsertSlot before, boolean fade) {
        if (count == CAPACITY) {
            returns.rtOffer(slot);
            return;
        }
        rtPlace(slot, before);
        slot.rtJoin(fade);
    }

    /** How many inserts are in the chain, counting those fading out. */
    @RealTime
    int rtCount() {
        return count;
    }

    /**
     * Runs the insert in place {@code index} over {@code frames} of {@code io}, or offers it to {@code batch}
     * (see {@link InsertSlot#rtProcess}); every place is run in order, and the batch flushed after each, before
     * {@link #rtSettle}.
     */
    @RealTime
    void rtProcess(int index, float[][] io, int frames, ProcessorBatch batch) {
        slots[index].rtProcess(io, frames, batch);
    }

    /** Drops and moves what has faded out, once every insert has run over the span. */
    @RealTime
    void rtSettle() {
        for (int i = 0; i < count; i++) {
            InsertSlot slot = slots[i];
            if (slot.rtRemoved()) {
                rtTake(i);
                returns.rtOffer(slot);
                i--;
            } else if (slot.rtMoveDue()) {
                InsertSlot before = slot.rtMoveBefore();
                rtTake(i);
                rtPlace(slot, before == slot ? null : before);
                slot.rtMoved();
                i = -1;
            }
        }
    }

    @RealTime
    private void rtPlace(InsertSlot slot, InsertSlot before) {
        int at = count;
        for (int i = 0; i < count; i++) {
            if (slots[i] == before) {
                at = i;
                break;
            }
        }
        System.arraycopy(slots, at, slots, at + 1, count - at);
        slots[at] = slot;
        count++;
    }

    @RealTime
    private void rtTake(int index) {
        System.arraycopy(slots, index + 1, slots, index, count - index - 1);
        count--;
        slots[count] = null;
    }
}
