package desk.engine.control;

import desk.engine.rt.Connection;
import desk.engine.rt.StripNode;

/**
 * A bus's direct out: the path from the bus into a buffer of its own, which the audio side adds onto the
 * playback channels {@code channels}; once turned off it plays on, fading, until engine time {@code until}
 * (-1 while on).
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class DirectOutState {
    final int busId;
    final StripNode port;
    final Connection connection;
    final int[] channels;
    float[] sent;
    long until = -1;

    DirectOutState(int busId, StripNode port, Connection connection, int[] channels) {
        this.busId = busId;
        this.port = port;
        this.connection = connection;
        this.channels = channels;
    }

    /** Whether this direct out writes to playback channel {@code channel}. */
    boolean uses(int channel) {
        for (int used : channels) {
            if (used == channel) {
                return true;
            }
        }
        return false;
    }
}
