package desk.engine.rt;

import desk.engine.LoopRange;
import desk.engine.RealTime;
import desk.engine.TransportState;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The transport as the audio thread runs it: rolling or stopped, its position in samples, advanced with
 * every processed span while it rolls, and the loop range it goes round. The engine ends a span where the
 * transport reaches the loop end ({@link #rtFramesToWrap}), so the jump back to the loop start falls on an
 * exact sample. The audio thread publishes the state with the engine position once
 * per callback through a sequence lock that never makes it wait; {@link #read()} gives any thread a
 * consistent {@link TransportState}.
 * <p>
 * Threads: {@code rt} methods on the audio thread only; the {@code read} methods on any thread.
 */
final class TransportClock {
    /** How many figures {@link #read(long[])} writes. */
    static final int FIGURES = 7;
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(TransportClock.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private boolean rolling;
    private long position;
    private LoopRange loop;
    private long lastWrap = TransportState.NEVER;

    @SuppressWarnings("unused")
    private volatile long version;
    private boolean publishedRolling;
    private long publishedPosition;
    private long publishedEnginePosition;
    private LoopRange publishedLoop;
    private long publishedLastWrap = TransportState.NEVER;

    @RealTime
    boolean rtRolling() {
        return rolling;
    }

    @RealTime
    long rtPosition() {
        return position;
    }

    @RealTime
    LoopRange rtLoop() {
        return loop;
    }

    @RealTime
    void rtSetRolling(boolean rolling) {
        this.rolling = rolling;
    }

    @RealTime
    void rtLocate(long position) {
        this.position = position;
    }

    /** Sets the loop range the transport goes round from now on, or none (null). */
    @RealTime
    void rtSetLoop(LoopRange loop) {
        this.loop = loop;
    }

    /**
     * Frames until the rolling transport reaches the loop end and jumps back; {@link Integer#MAX_VALUE} when it
     * is stopped, has no loop range or is at or past its end.
     */
    @RealTime
    int rtFramesToWrap() {
        if (!rolling || loop == null || position >= loop.end()) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.min(Integer.MAX_VALUE, loop.end() - position);
    }

    /**
     * Moves the transport on by a span of {@code frames} that ends on engine sample {@code engineEnd}, if it
     * rolls, jumping back to the loop start when the span ends on the loop end; returns whether it jumped. A
     * span never goes past the loop end.
     */
    @RealTime
    boolean rtAdvance(int frames, long engineEnd) {
        if (!rolling) {
            return false;
        }
        boolean inside = loop != null && position < loop.end();
        position += frames;
        if (inside && position == loop.end()) {
            position = loop.start();
            lastWrap = engineEnd;
            return true;
        }
        return false;
    }

    /** Publishes the state as of engine sample {@code enginePosition}. */
    @RealTime
    void rtPublish(long enginePosition) {
        long v = (long) VERSION.getOpaque(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        publishedRolling = rolling;
        publishedPosition = position;
        publishedEnginePosition = enginePosition;
        publishedLoop = loop;
        publishedLastWrap = lastWrap;
        VERSION.setRelease(this, v + 2);
    }

    /** The last published state. */
    TransportState read() {
        long[] state = new long[FIGURES];
        read(state);
        return new TransportState(state[0] != 0, state[1], state[2],
                state[3] != 0 ? new LoopRange(state[4], state[5]) : null, state[6]);
    }

    /**
     * The last published state into the first {@link #FIGURES} elements of {@code into}, allocating nothing:
     * 1 if rolling else 0, the position, the engine position, 1 if it has a loop range else 0, the loop start
     * and end (0 without a range), and the engine sample of the latest jump round the loop.
     */
    void read(long[] into) {
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1L) == 0L) {
                boolean rollingNow = publishedRolling;
                long positionNow = publishedPosition;
                long engineNow = publishedEnginePosition;
                LoopRange loopNow = publishedLoop;
                long lastWrapNow = publishedLastWrap;
                VarHandle.loadLoadFence();
                if ((long) VERSION.getAcquire(this) == before) {
                    into[0] = rollingNow ? 1 : 0;
                    into[1] = positionNow;
                    into[2] = engineNow;
                    into[3] = loopNow != null ? 1 : 0;
                    into[4] = loopNow != null ? loopNow.start() : 0;
                    into[5] = loopNow != null ? loopNow.end() : 0;
                    into[6] = lastWrapNow;
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }
}
