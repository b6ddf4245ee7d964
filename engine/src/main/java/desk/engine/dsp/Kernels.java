package desk.engine.dsp;

import desk.engine.RealTime;

/**
 * The inner loops of the mixer, written so the JIT can vectorise them. The per-sample loops give results
 * that depend only on the samples, never on how a caller cut them into blocks; the reductions accumulate
 * in a fixed order within one call. Stateless; any thread.
 */
public final class Kernels {
    /** Values smaller than this are flushed to zero where external audio enters the engine. */
    private static final float DENORMAL_GUARD = 1.0e-18f;

    private Kernels() {
    }

    /** {@code out[i] = in[i] * gain}. */
    @RealTime
    public static void rtScale(float[] in, float[] out, int length, float gain) {
        for (int i = 0; i < length; i++) {
            out[i] = in[i] * gain;
        }
    }

    /** {@code out[i] = in[i] * gains[i]}. */
    @RealTime
    public static void rtScale(float[] in, float[] out, int length, float[] gains) {
        for (int i = 0; i < length; i++) {
            out[i] = in[i] * gains[i];
        }
    }

    /** {@code out[i] += in[i] * gain}. */
    @RealTime
    public static void rtMix(float[] in, float[] out, int length, float gain) {
        for (int i = 0; i < length; i++) {
            out[i] += in[i] * gain;
        }
    }

    /** {@code out[i] += in[i] * gains[i]}. */
    @RealTime
    public static void rtMix(float[] in, float[] out, int length, float[] gains) {
        for (int i = 0; i < length; i++) {
            out[i] += in[i] * gains[i];
        }
    }

    /** {@code gains[i] *= factors[i]}. */
    @RealTime
    public static void rtMultiply(float[] gains, float[] factors, int length) {
        for (int i = 0; i < length; i++) {
            gains[i] *= factors[i];
        }
    }

    /**
     * Copies external audio (ports, float files) into the engine, flushing subnormal values to zero so
     * that no later stage is slowed down by them; normal values pass unchanged (to below -300 dBFS).
     */
    @RealTime
    public static void rtCopyFlushingDenormals(float[] in, int inOffset, float[] out, int length) {
        for (int i = 0; i < length; i++) {
            out[i] = (in[inOffset + i] + DENORMAL_GUARD) - DENORMAL_GUARD;
        }
    }

    /**
     * Largest magnitude, sum of squares and sum of magnitudes of {@code x[from..to)}, into {@code result[0]},
     * {@code result[1]} and {@code result[2]}. Plain loops: the JIT vectorises the maximum, and independent
     * chains keep the adders busy.
     */
    @RealTime
    public static void rtPeakSquaresAndMagnitudes(float[] x, int from, int to, double[] result) {
        rtPeakAndSumOfSquares(x, from, to, result);
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        int i = from;
        for (; i + 3 < to; i += 4) {
            a0 += Math.abs(x[i]);
            a1 += Math.abs(x[i + 1]);
            a2 += Math.abs(x[i + 2]);
            a3 += Math.abs(x[i + 3]);
        }
        double sum = ((double) a0 + a1) + ((double) a2 + a3);
        for (; i < to; i++) {
            sum += Math.abs(x[i]);
        }
        result[2] = sum;
    }

    /** How many of {@code x[from..to)} reach full scale once multiplied by {@code gain}: {@code |x[i]| * gain >= 1}. */
    @RealTime
    public static int rtCountFullScale(float[] x, int from, int to, float gain) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (Math.abs(x[i]) * gain >= 1f) {
                count++;
            }
        }
        return count;
    }

    /**
     * Largest magnitude and sum of squares of {@code x[from..to)}, into {@code result[0]} and {@code result[1]}.
     * Two plain loops: the JIT vectorises the maximum, and eight independent chains keep the adders busy.
     */
    @RealTime
    public static void rtPeakAndSumOfSquares(float[] x, int from, int to, double[] result) {
        float peak = 0f;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int i = from;
        for (; i + 7 < to; i += 8) {
            s0 += x[i] * x[i];
            s1 += x[i + 1] * x[i + 1];
            s2 += x[i + 2] * x[i + 2];
            s3 += x[i + 3] * x[i + 3];
            s4 += x[i + 4] * x[i + 4];
            s5 += x[i + 5] * x[i + 5];
            s6 += x[i + 6] * x[i + 6];
            s7 += x[i + 7] * x[i + 7];
        }
        double sum = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
        for (; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        result[0] = peak;
        result[1] = sum;
    }
}
