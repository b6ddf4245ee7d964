package desk.engine.control;

import desk.engine.rt.Automation;
import desk.engine.rt.Connection;

/**
 * The control side's record of a send: its ends, its settings, the lane that drives its level and the gains
 * last sent to its connection.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class SendState {
    final int id;
    final StripState source;
    final StripState destination;
    Connection connection;
    double levelDb;
    boolean preFader;
    double pan = Double.NaN;
    Automation.ClockedLane levelLane;
    float[] sent;

    SendState(int id, StripState source, StripState destination) {
        this.id = id;
        this.source = source;
        this.destination = destination;
    }
}
