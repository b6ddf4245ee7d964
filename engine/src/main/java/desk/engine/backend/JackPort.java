package desk.engine.backend;

/**
 * One of Desk's JACK ports, a track's input or a bus's output: its native handle, its full name and the
 * engine's buffer for it (one span long).
 * <p>
 * Threads: made on the control thread; read by the process callback once published in a table. Immutable.
 */
record JackPort(long handle, String name, float[] buffer) {
    /** The native handles of the ports in {@code table}, skipping its empty places. */
    static long[] handles(JackPort[] table) {
        return java.util.Arrays.stream(table).filter(java.util.Objects::nonNull).mapToLong(JackPort::handle).toArray();
    }
}
