package desk.engine;

/**
 * What an engine does with the sample clock it shares with the engines of other machines (see
 * {@link EngineCommand.SetClock}). Immutable; any thread.
 */
public enum ClockRole {
    /** No clock: the engine keeps its own time and writes nothing. */
    NONE,
    /**
     * The main engine: writes its clock to the nodes and reads back what a node echoes, which measures the
     * round trip its returns take.
     */
    LEAD,
    /**
     * A node: takes the lead engine's sample position and transport from the clock it reads, block by block,
     * and echoes its own clock back.
     */
    FOLLOW
}
