package desk.engine.dsp;

import desk.engine.RealTime;

/**
 * Conversions between decibels and linear gain. Pure functions; any thread, including the audio thread.
 */
@RealTime
public final class Decibels {
    private Decibels() {
    }

    /** Linear gain for a level in dB; negative infinity gives exactly 0. */
    public static double toGain(double db) {
        if (db == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        return Math.pow(10.0, db / 20.0);
    }

    /** Level in dB of a linear gain or amplitude (its magnitude); 0 gives negative infinity. */
    public static double fromGain(double gain) {
        double magnitude = Math.abs(gain);
        return magnitude == 0.0 ? Double.NEGATIVE_INFINITY : 20.0 * Math.log10(magnitude);
    }

    /** Level in dB of a mean square (power) value; 0 gives negative infinity. */
    public static double fromPower(double meanSquare) {
        return meanSquare <= 0.0 ? Double.NEGATIVE_INFINITY : 10.0 * Math.log10(meanSquare);
    }
}
