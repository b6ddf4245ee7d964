package desk.engine;

import desk.engine.dsp.PanLaw;

/**
 * The continuous and switch parameters of strips and sends, with their units and allowed ranges. The
 * session model and the engine check values against the same definitions. Immutable; any thread.
 */
public enum Parameter {
    /** Input trim of a strip, dB. */
    TRIM("trim", "dB", -24, 24, false, true),
    /** Fader of a strip, dB; -inf silences. */
    FADER("fader", "dB", -144, 12, true, true),
    /** Pan of a mono strip into a stereo destination, -1 (hard left) .. +1 (hard right). */
    PAN("pan", "", -1, 1, false, true),
    /** Balance of a stereo (or wider) strip, -1 (left only) .. +1 (right only). */
    BALANCE("balance", "", -1, 1, false, true),
    /** Pan law of a strip: the level at the centre, one of 0, -3, -4.5, -6 dB. */
    PAN_LAW("panLaw", "dB", -6, 0, false, true),
    /** Mute switch of a strip, 0 or 1. */
    MUTE("mute", "", 0, 1, false, false),
    /** Solo switch of a strip, 0 or 1. */
    SOLO("solo", "", 0, 1, false, false),
    /** Solo-safe switch of a strip (never muted by others' solo), 0 or 1. */
    SOLO_SAFE("soloSafe", "", 0, 1, false, false),
    /** Level of a send, dB; -inf silences. */
    SEND_LEVEL("level", "dB", -144, 6, true, true),
    /** Whether a send picks off before the fader, 0 or 1. */
    SEND_PRE_FADER("pre", "", 0, 1, false, false),
    /** Pan (mono source) or balance (wider source) of a send, -1..+1; NaN follows the source strip. */
    SEND_PAN("pan", "", -1, 1, false, true);

    private final String scriptName;
    private final String unit;
    private final double min;
    private final double max;
    private final boolean negativeInfinityAllowed;
    private final boolean continuous;

    Parameter(String scriptName, String unit, double min, double max, boolean negativeInfinityAllowed,
              boolean continuous) {
        this.scriptName = scriptName;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.negativeInfinityAllowed = negativeInfinityAllowed;
        this.continuous = continuous;
    }

    /** The member name scripts use for it. */
    public String scriptName() {
        return scriptName;
    }

    /** The lowest finite value allowed. */
    public double min() {
        return min;
    }

    /** The highest value allowed. */
    public double max() {
        return max;
    }

    /** True for parameters of a send, false for parameters of a strip. */
    public boolean ofSend() {
        return this == SEND_LEVEL || this == SEND_PRE_FADER || this == SEND_PAN;
    }

    /** What the parameter accepts, in words, e.g. "-inf or -144..12 dB". */
    public String allowed() {
        if (this == PAN_LAW) {
            return "0, -3, -4.5 or -6 (dB at the centre)";
        }
        if (!continuous) {
            return "true or false";
        }
        String range = format(min) + ".." + format(max) + (unit.isEmpty() ? "" : " " + unit);
        if (this == SEND_PAN) {
            return range + ", or null to follow the source";
        }
        return negativeInfinityAllowed ? "-inf or " + range : range;
    }

    /** Null when {@code value} is allowed, else why not (without the parameter's name). */
    public String check(double value) {
        if (this == SEND_PAN && Double.isNaN(value)) {
            return null;
        }
        if (this == PAN_LAW) {
            return PanLaw.ofCentreDb(value) != null ? null : "must be " + allowed();
        }
        if (!continuous) {
            return value == 0 || value == 1 ? null : "must be " + allowed();
        }
        if (Double.isNaN(value)) {
            return "is not a number: must be " + allowed();
        }
        if (value == Double.NEGATIVE_INFINITY && negativeInfinityAllowed) {
            return null;
        }
        if (value < min || value > max) {
            return "is out of range: must be " + allowed();
        }
        return null;
    }

    /** A value as users write it: "-inf", "12", "-4.5". */
    public static String format(double value) {
        if (value == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (value == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
