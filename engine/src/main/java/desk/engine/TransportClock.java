package desk.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The transport as the audio thread runs it: rolling or stopped, and its position in samples, advanced with
 * every processed span while it rolls. The audio thread publishes the state with the engine position once
 * per callback through a sequence lock that never makes it wait; {@link #read()} gives any thread a
 * consistent {@link TransportState}.
 * <p>
 * Threads: {@code rt} methods on the audio thread only; the {@code read} methods on any thread.
 */
final class TransportClock {
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

    @SuppressWarnings("unused")
    private volatile long version;
    private boolean publishedRolling;
    private long publishedPosition;
    private long publishedEnginePosition;

    @RealTime
    boolean rtRolling() {
        return rolling;
    }

    @RealTime
    long rtPosition() {
        return position;
    }

    @RealTime
    void rtSetRolling(boolean rolling) {
        this.rolling = rolling;
    }

    @RealTime
    void rtLocate(long position) {
        this.position = position;
    }

    /** Moves the transport on by a span of {@code frames} if it rolls. */
    @RealTime
    void rtAdvance(int frames) {
        if (rolling) {
            position += frames;
        }
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
        VERSION.setRelease(this, v + 2);
    }

    /** The last published state. */
    TransportState read() {
        long[] state = new long[3];
        read(state);
        return new TransportState(state[0] != 0, state[1], state[2]);
    }

    /**
     * The last published state into {@code into}, allocating nothing: 1 if rolling else 0, the position and
     * the engine position.
     */
    void read(long[] into) {
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1L) == 0L) {
                boolean rollingNow = publishedRolling;
                long positionNow = publishedPosition;
                long engineNow = publishedEnginePosition;
                VarHandle.loadLoadFence();
                if ((long) VERSION.getAcquire(this) == before) {
                    into[0] = rollingNow ? 1 : 0;
                    into[1] = positionNow;
                    into[2] = engineNow;
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }
}
