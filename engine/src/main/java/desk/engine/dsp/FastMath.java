package desk.engine.dsp;

import desk.engine.RealTime;

/**
 * Logarithms and powers of two for the audio thread, from the bits of a double and short polynomials
 * instead of the library's {@code log} and {@code exp}: dynamics processors turn levels into decibels and
 * back several thousand times a second per channel. Over the levels audio uses (1e-30 to 1e30) both are
 * accurate to better than 1e-4 dB (see FastMathTest).
 * <p>
 * Threads: any; pure functions.
 */
public final class FastMath {
    private static final double SQRT_2 = Math.sqrt(2);
    private static final double LOG2_E = 1 / Math.log(2);
    private static final double LN_2 = Math.log(2);
    /** 20 log10(2): decibels per doubling. */
    private static final double DB_PER_OCTAVE = 20 * Math.log10(2);

    private FastMath() {
    }

    /** log2 of {@code x} (a positive, normal number). */
    @RealTime
    public static double rtLog2(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int exponent = (int) ((bits >>> 52) & 0x7ff) - 1023;
        double mantissa = Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (mantissa > SQRT_2) {
            mantissa *= 0.5;
            exponent++;
        }
        double t = (mantissa - 1) / (mantissa + 1);
        double t2 = t * t;
        double ln = 2 * t * (1 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9)))));
        return exponent + ln * LOG2_E;
    }

    /** 2 to the power {@code y}, for y within -1000..1000. */
    @RealTime
    public static double rtExp2(double y) {
        double whole = Math.floor(y);
        double f = (y - whole) * LN_2;
        double p = 1 + f * (1 + f * (1.0 / 2 + f * (1.0 / 6 + f * (1.0 / 24 + f * (1.0 / 120 + f * (1.0 / 720
                + f * (1.0 / 5040 + f * (1.0 / 40320))))))));
        return p * Double.longBitsToDouble((long) ((int) whole + 1023) << 52);
    }

    /** A level in dB (20 log10) of the magnitude {@code gain} (positive). */
    @RealTime
    public static double rtToDb(double gain) {
        return DB_PER_OCTAVE * rtLog2(gain);
    }

    /** The magnitude of a level of {@code db} dB. */
    @RealTime
    public static double rtFromDb(double db) {
        return rtExp2(db / DB_PER_OCTAVE);
    }
}
