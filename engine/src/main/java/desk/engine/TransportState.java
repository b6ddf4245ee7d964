package desk.engine;

/**
 * A consistent snapshot of the transport: whether it rolls, its position in samples, the engine sample
 * position at which that was true, the loop range it goes round (null: none), and the engine sample of its
 * latest jump back to the loop start ({@link #NEVER} if it has not jumped). Immutable; any thread.
 */
public record TransportState(boolean rolling, long position, long enginePosition, LoopRange loop, long lastWrap) {
    /** {@link #lastWrap()} of a transport that has never gone round a loop. */
    public static final long NEVER = Long.MIN_VALUE;

    /** A state without a loop range. */
    public TransportState(boolean rolling, long position, long enginePosition) {
        this(rolling, position, enginePosition, null, NEVER);
    }

    /** The transport position at engine sample {@code engineTime}, assuming nothing changes meanwhile. */
    public long positionAt(long engineTime) {
        if (!rolling) {
            return position;
        }
        long frames = engineTime - enginePosition;
        return loop == null || frames < 0 ? position + frames : loop.advance(position, frames);
    }

    /**
     * The engine sample at which the transport reaches {@code transportTime}, if it keeps rolling, going
     * round the loop; for a time it has passed, the engine sample it would have been there at without a
     * loop; {@link Long#MAX_VALUE} for a time the loop never lets it reach.
     */
    public long engineTimeOf(long transportTime) {
        if (loop == null || transportTime < position && position >= loop.end()) {
            return enginePosition + (transportTime - position);
        }
        long distance = loop.distance(position, transportTime);
        if (distance >= 0) {
            return enginePosition + distance;
        }
        return transportTime < position ? enginePosition + (transportTime - position) : Long.MAX_VALUE;
    }

    /** The engine sample at which the rolling transport next jumps back to the loop start, or {@link Long#MAX_VALUE}. */
    public long nextWrap() {
        if (!rolling || loop == null || position >= loop.end()) {
            return Long.MAX_VALUE;
        }
        return enginePosition + (loop.end() - position);
    }

    /** The state just after the next wrap: at the loop start on engine sample {@link #nextWrap()}. */
    public TransportState afterWrap() {
        return new TransportState(true, loop.start(), nextWrap(), loop, nextWrap());
    }
}
