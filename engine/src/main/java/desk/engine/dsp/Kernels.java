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
     * {@code result[1]} and {@code result[2]}. Two plain loops: the JIT vectorises the maximum, and eight
     * independent chains each for the squares and the magnitudes keep the adders busy on one load per sample.
     */
    @RealTime
    public static void rtPeakSquaresAndMagnitudes(float[] x, int from, int to, double[] result) {
        float peak = 0f;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        float m0 = 0f, m1 = 0f, m2 = 0f, m3 = 0f, m4 = 0f, m5 = 0f, m6 = 0f, m7 = 0f;
        int i = from;
        for (; i + 7 < to; i += 8) {
            float x0 = x[i], x1 = x[i + 1], x2 = x[i + 2], x3 = x[i + 3];
            float x4 = x[i + 4], x5 = x[i + 5], x6 = x[i + 6], x7 = x[i + 7];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
            s4 += x4 * x4;
            s5 += x5 * x5;
            s6 += x6 * x6;
            s7 += x7 * x7;
            m0 += Math.abs(x0);
            m1 += Math.abs(x1);
            m2 += Math.abs(x2);
            m3 += Math.abs(x3);
            m4 += Math.abs(x4);
            m5 += Math.abs(x5);
            m6 += Math.abs(x6);
            m7 += Math.abs(x7);
        }
        double squares = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
        double magnitudes = ((double) m0 + m1) + ((double) m2 + m3) + ((double) m4 + m5) + ((double) m6 + m7);
        for (; i < to; i++) {
            squares += (double) x[i] * x[i];
            magnitudes += Math.abs(x[i]);
        }
        result[0] = peak;
        result[1] = squares;
        result[2] = magnitudes;
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
     * Replaces the NaN and infinite values of {@code x[0..length)} by 0 and returns how many there were. A
     * first pass only looks (an OR of the exponent bits, which the JIT vectorises); a span of finite samples,
     * the usual case, is never written.
     */
    @RealTime
    public static int rtReplaceNonFinite(float[] x, int length) {
        int exponentAllOnes = 0;
        for (int i = 0; i < length; i++) {
            exponentAllOnes |= (Float.floatToRawIntBits(x[i]) & 0x7F80_0000) + 0x0080_0000;
        }
        if (exponentAllOnes >= 0) {
            return 0;
        }
        int count = 0;
        for (int i = 0; i < length; i++) {
            if (!(Math.abs(x[i]) <= Float.MAX_VALUE)) {
                x[i] = 0f;
                count++;
            }
        }
        return count;
    }
}
