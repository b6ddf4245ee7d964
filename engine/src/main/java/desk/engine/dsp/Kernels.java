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

    /** Largest magnitude in {@code x[from..to)}. */
    @RealTime
    public static float rtPeak(float[] x, int from, int to) {
        float m0 = 0f;
        float m1 = 0f;
        float m2 = 0f;
        float m3 = 0f;
        int i = from;
        for (; i + 3 < to; i += 4) {
            m0 = Math.max(m0, Math.abs(x[i]));
            m1 = Math.max(m1, Math.abs(x[i + 1]));
            m2 = Math.max(m2, Math.abs(x[i + 2]));
            m3 = Math.max(m3, Math.abs(x[i + 3]));
        }
        for (; i < to; i++) {
            m0 = Math.max(m0, Math.abs(x[i]));
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** Sum of squares of {@code x[from..to)}, accumulated in a fixed order. */
    @RealTime
    public static double rtSumOfSquares(float[] x, int from, int to) {
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
        return sum;
    }
}
