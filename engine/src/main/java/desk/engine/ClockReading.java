package desk.engine;

/**
 * What an engine's shared clock says (see {@link EngineCommand.SetClock}). Immutable; any thread.
 *
 * @param role         what the engine does with the clock
 * @param locked       whether the last block read a clock: the lead's echo on the lead engine, the lead's clock
 *                     on a node
 * @param latency      on the lead engine, how many samples a node's returns arrive after the lead rendered the
 *                     same sample, as the last echo measured it; -1 until one did, and on a node
 * @param worstLatency on the lead engine, the largest latency measured over the last one to two seconds (65,536
 *                     to 131,072 frames); -1 until an echo was read, and on a node
 * @param losses       how many times a clock that was locked went missing since the role was set
 * @param lateBlocks   how many blocks of the return the lead engine feeds arrived after their samples had played
 *                     (they play as silence)
 * @param lostBlocks   on the lead engine, how many blocks of the node's returns never arrived: the node's echo
 *                     skipped over their positions, as it does when netjack2 drops a period either way or the
 *                     clock is lost (they play as silence); 0 on a node
 */
public record ClockReading(ClockRole role, boolean locked, int latency, int worstLatency, long losses,
                           long lateBlocks, long lostBlocks) {
    /** The reading of an engine without a shared clock. */
    public static final ClockReading NONE = new ClockReading(ClockRole.NONE, false, -1, -1, 0, 0, 0);
}
