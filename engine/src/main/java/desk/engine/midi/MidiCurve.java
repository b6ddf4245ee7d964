package desk.engine.midi;

import desk.engine.RealTime;

/**
 * How a control's travel, 0 to 1, spreads over a parameter's range: evenly, or like a console fader, even in
 * the fourth root of amplitude, so the top of the travel is fine around unity and the bottom falls away fast
 * (with a range of -60..+6 dB, 0 dB sits at 81% of the travel and -20 dB at 38%).
 * <p>
 * Threads: any thread; allocation-free, so the audio thread may call it.
 */
public enum MidiCurve {
    /** The value moves evenly with the control. */
    LINEAR("linear") {
        @Override
        @RealTime
        public double value(double position, double min, double max) {
            return min + position * (max - min);
        }

        @Override
        @RealTime
        public double position(double value, double min, double max) {
            return clamp((value - min) / (max - min));
        }
    },
    /** For levels in dB: even in the fourth root of amplitude, as a console fader's scale is. */
    FADER("fader") {
        @Override
        @RealTime
        public double value(double position, double min, double max) {
            double low = root(min);
            return 80.0 * Math.log10(low + position * (root(max) - low));
        }

        @Override
        @RealTime
        public double position(double value, double min, double max) {
            double low = root(min);
            return clamp((root(value) - low) / (root(max) - low));
        }
    };

    private final String scriptName;

    MidiCurve(String scriptName) {
        this.scriptName = scriptName;
    }

    /** The name scripts use: {@code linear} or {@code fader}. */
    public String scriptName() {
        return scriptName;
    }

    /** The parameter value at {@code position} (0..1) of the control's travel, for the range {@code min..max}. */
    @RealTime
    public abstract double value(double position, double min, double max);

    /** Where on the control's travel (0..1) {@code value} sits, for the range {@code min..max}; clamped. */
    @RealTime
    public abstract double position(double value, double min, double max);

    /** The curve scripts call {@code name}, or null. */
    public static MidiCurve ofScriptName(String name) {
        for (MidiCurve curve : values()) {
            if (curve.scriptName.equals(name)) {
                return curve;
            }
        }
        return null;
    }

    @RealTime
    private static double root(double db) {
        return Math.pow(10.0, db / 80.0);
    }

    @RealTime
    private static double clamp(double position) {
        return position <= 0 ? 0 : Math.min(1, position);
    }
}
