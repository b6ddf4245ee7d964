package desk.engine.meter;

/**
 * Where on a strip a meter picks off the signal. Immutable; any thread.
 */
public enum MeterPoint {
    /** The input, before trim and polarity (a bus: what was summed into it). */
    INPUT,
    /** After trim, polarity and inserts, before the fader. */
    PRE_FADER,
    /** After the fader (before pan). */
    POST_FADER
}
