package desk.engine;

/**
 * How an automation lane moves from one point to the next. For levels (dB parameters) the names say what
 * is straight: {@link #DB} is a straight line in dB, {@link #GAIN} a straight line in linear gain. For pan
 * and balance both are a straight line. Immutable; any thread.
 */
public enum Interpolation {
    /** A straight line in the parameter's unit (dB for levels); towards or from -inf dB, straight in gain. */
    DB("db"),
    /** A straight line in linear gain (in the parameter's unit for pan and balance). */
    GAIN("gain"),
    /** An S-curve (smoothstep): slow at both ends, in gain for levels and in the unit for pan and balance. */
    S_CURVE("scurve"),
    /** Holds the value until the next point, then jumps (declicked over one control period). */
    STEP("step");

    private final String scriptName;

    Interpolation(String scriptName) {
        this.scriptName = scriptName;
    }

    /** The name scripts use: "db", "gain", "scurve" or "step". */
    public String scriptName() {
        return scriptName;
    }

    /** The interpolation scripts call {@code name}, or null. */
    public static Interpolation byScriptName(String name) {
        for (Interpolation interpolation : values()) {
            if (interpolation.scriptName.equals(name)) {
                return interpolation;
            }
        }
        return null;
    }
}
