package desk.engine;

/**
 * What a strip is: a track (fed by inputs), a group or aux bus (fed by other strips), or the master.
 * Immutable; any thread.
 */
public enum StripKind {
    /** A track: mono, stereo or up to 8 channels, fed by sources. */
    TRACK,
    /** A group bus: sums tracks (or other buses) routed to it by their outputs or sends. */
    GROUP_BUS,
    /** An aux (return) bus: sums the sends aimed at it, typically for a shared effect. */
    AUX_BUS,
    /** The stereo master bus, which feeds the interface's playback ports. */
    MASTER;

    /** True for the kinds other strips can route into. */
    public boolean isBus() {
        return this != TRACK;
    }
}
