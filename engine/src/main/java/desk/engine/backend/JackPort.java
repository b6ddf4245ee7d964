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

    /** The engine's playback channels that direct-out port places {@code slots} carry. */
    static int[] playbackChannels(int[] slots) {
        int[] channels = new int[slots.length];
        for (int c = 0; c < slots.length; c++) {
            channels[c] = desk.engine.Limits.FIRST_DIRECT_OUT + slots[c];
        }
        return channels;
    }

    /** The short name of channel {@code channel} (from 0) of strip {@code stripName}'s ports: {@code <strip><infix><n>}. */
    static String shortName(String stripName, String infix, int channel) {
        return stripName.replace(':', '_') + infix + (channel + 1);
    }

    /** Writes {@code span} frames of silence into the buffers of the ports in {@code table}. */
    @desk.engine.RealTime
    static void silence(JackPort[] table, int span) {
        for (JackPort port : table) {
            if (port != null) {
                java.util.Arrays.fill(port.buffer(), 0, span, 0f);
            }
        }
    }
}
