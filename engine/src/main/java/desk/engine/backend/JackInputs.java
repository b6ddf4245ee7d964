package desk.engine.backend;

import desk.engine.Limits;

import java.util.Arrays;
import java.util.Objects;

/**
 * The tracks' input ports in their places, which are the engine's capture channels, and the buffer of each
 * place (null where no port is) as the engine reads them.
 * <p>
 * Threads: made on the control thread and published whole; the process callback reads it. Never changed.
 */
record JackInputs(JackPort[] ports, float[][] buffers) {
    JackInputs(JackPort[] ports) {
        this(ports, Arrays.stream(ports).map(port -> port == null ? null : port.buffer()).toArray(float[][]::new));
    }

    /**
     * A copy of {@code table} with at least {@code channels} free places: the same length when it has them,
     * otherwise doubled (or grown by what is missing), up to the engine's capture ports.
     */
    static JackPort[] withRoom(JackPort[] table, int channels) {
        long free = Arrays.stream(table).filter(Objects::isNull).count();
        if (free >= channels) {
            return table.clone();
        }
        int length = Math.max(2 * table.length, table.length + channels);
        return Arrays.copyOf(table, Math.min(length, Limits.MAX_CAPTURE_PORTS));
    }
}
