package desk.engine.dsp;

import desk.engine.RealTime;

/**
 * Logarithms and powers of two for the audio thread, from the bits of a double and two tables of 1,025
 * values with straight lines between them, instead of the library's {@code log} and {@code exp}: dynamics
 * processors turn levels into decibels and back several thousand times a second per channel, on the critical
 * path of their gain. Over the levels audio uses (1e-30 to 1e30) both are accurate to better than 1e-4 dB
 * (see FastMathTest). The tables are made when the class is loaded, which a processor's {@code prepare}
 * makes happen on the control thread ({@link #load}).
 * <p>
 * Threads: any; pure functions.
 */
public final class FastMath {
    private static final int STEPS = 1024;
    /** log2(1 + i / STEPS), for a mantissa in [1, 2). */
    private static final double[] LOG2 = new double[STEPS + 1];
    /** 2^(i / STEPS), for a fraction in [0, 1). */
    private static final double[] EXP2 = new double[STEPS + 1];
    /** 20 log10(2): decibels per doubling. */
    private static final double DB_PER_OCTAVE = 20 * Math.log10(2);

    static {
        for (int i = 0; i <= STEPS; i++) {
            LOG2[i] = Math.log1p((double) i / STEPS) / Math.log(2);
            EXP2[i] = Math.pow(2, (double) i / STEPS);
        }
    }

    private FastMath() {
    }

    /** Loads the tables, on the thread that calls it (a control thread): nothing else. */
    public static void load() {
        rtLog2(1);
    }

    /** log2 of {@code x} (a positive, normal number). */
    @RealTime
    public static double rtLog2(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int exponent = (int) ((bits >>> 52) & 0x7ff) - 1023;
        double position = (bits & 0x000F_FFFF_FFFF_FFFFL) * (STEPS / (double) (1L << 52));
        int index = (int) position;
        double fraction = position - index;
        return exponent + LOG2[index] + (LOG2[index + 1] - LOG2[index]) * fraction;
    }

    /** 2 to the power {@code y}, for y within -1000..1000. */
    @RealTime
    public static double rtExp2(double y) {
        double whole = Math.floor(y);
        double position = (y - whole) * STEPS;
        int index = Math.min((int) position, STEPS - 1);
        double fraction = position - index;
        double mantissa = EXP2[index] + (EXP2[index + 1] - EXP2[index]) * fraction;
        return mantissa * Double.longBitsToDouble((long) ((int) whole + 1023) << 52);
    }

    /** A level in dB (20 log10) of the magnitude {@code gain} (positive). */
    @RealTime
    public static double rtToDb(double gain) {
        return DB_PER_OCTAVE * rtLog2(gain);
    }

    /** The magnitude of a level of {@code db} dB. */
    @RealTime
    public static double rtFromDb(double db) {
        return rtExp2(db * (1 / DB_PER_OCTAVE));
    }
}
