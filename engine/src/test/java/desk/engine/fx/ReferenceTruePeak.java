package desk.engine.fx;

import java.util.Arrays;

/**
 * Test support: a signal's true peak read by a finer reconstruction than the ones under test. The signal is
 * oversampled sixteen times with a Kaiser-windowed sinc (cutoff at the Nyquist frequency, beta 10) of 64 taps
 * per phase, each phase scaled to a DC gain of 1. It reads a sine within 1e-5 of its amplitude up to 0.45 of
 * the sample rate, where BS.1770-4's interpolator reads as little as 0.79 of it and a 32-tap windowed sinc of
 * cutoff 0.97 of the Nyquist frequency 0.87. Silence is assumed before and after the signal, so its edges are
 * read as well.
 */
final class ReferenceTruePeak {
    private static final int PHASE_COUNT = 16;
    private static final int TAPS = 64;
    private static final int CENTRE = TAPS / 2;
    private static final double KAISER_BETA = 10;
    /**
     * Phase p, tap k multiplies the sample k periods before the newest; the phase's value lies p/16 of a period
     * after the sample CENTRE periods before the newest.
     */
    private static final double[][] PHASES = phases();

    private ReferenceTruePeak() {
    }

    /** The largest magnitude among the samples of {@code signal} and the values between them, in dBTP. */
    static double dbtp(float[][] signal) {
        double largest = 0;
        for (float[] channel : signal) {
            largest = Math.max(largest, largestMagnitude(channel));
        }
        return 20 * Math.log10(largest);
    }

    private static double largestMagnitude(float[] channel) {
        int length = channel.length;
        double[] padded = new double[length + 2 * TAPS];
        for (int i = 0; i < length; i++) {
            padded[TAPS + i] = channel[i];
        }
        int outputs = length + TAPS;
        double[] values = new double[outputs];
        double largest = 0;
        for (float sample : channel) {
            largest = Math.max(largest, Math.abs(sample));
        }
        for (double[] phase : PHASES) {
            Arrays.fill(values, 0);
            for (int k = 0; k < TAPS; k++) {
                double tap = phase[k];
                int from = TAPS - k;
                for (int i = 0; i < outputs; i++) {
                    values[i] += tap * padded[from + i];
                }
            }
            for (double value : values) {
                largest = Math.max(largest, Math.abs(value));
            }
        }
        return largest;
    }

    private static double[][] phases() {
        double[][] phases = new double[PHASE_COUNT][TAPS];
        for (int p = 0; p < PHASE_COUNT; p++) {
            double sum = 0;
            for (int k = 0; k < TAPS; k++) {
                double distance = CENTRE - k - (double) p / PHASE_COUNT;
                double x = Math.PI * distance;
                double reach = distance / CENTRE;
                phases[p][k] = (x == 0 ? 1 : Math.sin(x) / x)
                        * besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - reach * reach)));
                sum += phases[p][k];
            }
            for (int k = 0; k < TAPS; k++) {
                phases[p][k] /= sum;
            }
        }
        return phases;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        for (int k = 1; term > 1e-17 * sum; k++) {
            double half = x / (2 * k);
            term *= half * half;
            sum += term;
        }
        return sum;
    }
}
