package desk.engine;

/**
 * A consistent snapshot of the transport: whether it rolls, its position in samples, and the engine sample
 * position at which that was true. Immutable; any thread.
 */
public record TransportState(boolean rolling, long position, long enginePosition) {
    /** The transport position at engine sample {@code engineTime}, assuming nothing changes meanwhile. */
    public long positionAt(long engineTime) {
        return rolling ? position + (engineTime - enginePosition) : position;
    }

    /** The engine sample at which the transport reaches {@code transportTime}, if it keeps rolling. */
    public long engineTimeOf(long transportTime) {
        return enginePosition + (transportTime - position);
    }
}
