package desk.engine.fx;

import desk.engine.RealTime;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of {@link EqKernels} run on as many channels side by side as the processor's widest vector of
 * doubles holds (eight with AVX-512, four with AVX2), one channel per lane, with the JDK's vector API. The
 * arithmetic is {@link EqKernels}'s, operation for operation, multiplications and additions rounded apart as
 * Java rounds them, so every lane's samples are those the channel would get alone, bit for bit.
 * <p>
 * The samples are interleaved, lane by lane, frame after frame, in doubles that hold floats: after each group
 * of four sections (or single section) they are rounded to float again, as {@link EqKernels} stores them. The
 * coefficients are laid out section by section, five to a section (b0, b1, b2, a1, a2), each a row of
 * {@link #LANES}; the states two to a section (s1, s2).
 * <p>
 * The loops call the vector API directly, through no helper of their own: every vector call has to be inlined
 * into the loop for the compiler to keep the vectors in registers, and a loop of four sections is near the
 * compiler's inlining budget; past it, a vector is boxed, and allocated, on every frame.
 * <p>
 * Threads: the audio thread, and the control thread while {@link EqBatch} gets the loops compiled; loaded only
 * where the {@code jdk.incubator.vector} module is.
 */
@RealTime
final class EqLanes {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** Channels side by side. */
    static final int LANES = DOUBLES.length();
    /** Coefficients per section. */
    static final int COEFFICIENTS = 5;

    private EqLanes() {
    }

    /**
     * Runs {@code count} sections in series over {@code frames} interleaved frames of {@code samples}: four at a
     * time (the short form where bit {@code q} of {@code peakQuads} says quad {@code q} is four peaking bands),
     * then one at a time.
     */
    @RealTime
    static void rtRun(double[] samples, int frames, double[] coefficients, double[] states, int count, int peakQuads) {
        int first = 0;
        for (int quad = 0; count - first >= 4; quad++, first += 4) {
            if ((peakQuads & (1 << quad)) != 0) {
                rtFourPeaks(samples, frames, coefficients, states, first);
            } else {
                rtFour(samples, frames, coefficients, states, first);
            }
            rtRound(samples, frames * LANES);
        }
        for (; first < count; first++) {
            rtOne(samples, frames, coefficients, states, first);
            rtRound(samples, frames * LANES);
        }
    }

    private static DoubleVector coefficient(double[] coefficients, int section, int which) {
        return DoubleVector.fromArray(DOUBLES, coefficients, (section * COEFFICIENTS + which) * LANES);
    }

    private static DoubleVector state(double[] states, int section, int which) {
        return DoubleVector.fromArray(DOUBLES, states, (section * 2 + which) * LANES);
    }

    /** Rounds every sample to float, as {@link EqKernels} stores its samples after each group of sections. */
    private static void rtRound(double[] samples, int length) {
        for (int i = 0; i < length; i++) {
            samples[i] = (float) samples[i];
        }
    }

    @RealTime
    private static void rtOne(double[] samples, int frames, double[] coefficients, double[] states, int k) {
        DoubleVector b0 = coefficient(coefficients, k, 0);
        DoubleVector b1 = coefficient(coefficients, k, 1);
        DoubleVector b2 = coefficient(coefficients, k, 2);
        DoubleVector a1 = coefficient(coefficients, k, 3);
        DoubleVector a2 = coefficient(coefficients, k, 4);
        DoubleVector s1 = state(states, k, 0);
        DoubleVector s2 = state(states, k, 1);
        for (int i = 0; i < frames; i++) {
            DoubleVector x = DoubleVector.fromArray(DOUBLES, samples, i * LANES);
            DoubleVector y = b0.mul(x).add(s1);
            s1 = b1.mul(x).sub(a1.mul(y)).add(s2);
            s2 = b2.mul(x).sub(a2.mul(y));
            y.intoArray(samples, i * LANES);
        }
        s1.intoArray(states, (k * 2) * LANES);
        s2.intoArray(states, (k * 2 + 1) * LANES);
    }

    @RealTime
    private static void rtFour(double[] samples, int frames, double[] coefficients, double[] states, int k) {
        DoubleVector ab0 = coefficient(coefficients, k, 0), ab1 = coefficient(coefficients, k, 1);
        DoubleVector ab2 = coefficient(coefficients, k, 2), aa1 = coefficient(coefficients, k, 3);
        DoubleVector aa2 = coefficient(coefficients, k, 4);
        DoubleVector bb0 = coefficient(coefficients, k + 1, 0), bb1 = coefficient(coefficients, k + 1, 1);
        DoubleVector bb2 = coefficient(coefficients, k + 1, 2), ba1 = coefficient(coefficients, k + 1, 3);
        DoubleVector ba2 = coefficient(coefficients, k + 1, 4);
        DoubleVector db0 = coefficient(coefficients, k + 2, 0), db1 = coefficient(coefficients, k + 2, 1);
        DoubleVector db2 = coefficient(coefficients, k + 2, 2), da1 = coefficient(coefficients, k + 2, 3);
        DoubleVector da2 = coefficient(coefficients, k + 2, 4);
        DoubleVector eb0 = coefficient(coefficients, k + 3, 0), eb1 = coefficient(coefficients, k + 3, 1);
        DoubleVector eb2 = coefficient(coefficients, k + 3, 2), ea1 = coefficient(coefficients, k + 3, 3);
        DoubleVector ea2 = coefficient(coefficients, k + 3, 4);
        DoubleVector as1 = state(states, k, 0), as2 = state(states, k, 1);
        DoubleVector bs1 = state(states, k + 1, 0), bs2 = state(states, k + 1, 1);
        DoubleVector ds1 = state(states, k + 2, 0), ds2 = state(states, k + 2, 1);
        DoubleVector es1 = state(states, k + 3, 0), es2 = state(states, k + 3, 1);
        for (int i = 0; i < frames; i++) {
            DoubleVector in = DoubleVector.fromArray(DOUBLES, samples, i * LANES);
            DoubleVector ya = ab0.mul(in).add(as1);
            as1 = ab1.mul(in).sub(aa1.mul(ya)).add(as2);
            as2 = ab2.mul(in).sub(aa2.mul(ya));
            DoubleVector yb = bb0.mul(ya).add(bs1);
            bs1 = bb1.mul(ya).sub(ba1.mul(yb)).add(bs2);
            bs2 = bb2.mul(ya).sub(ba2.mul(yb));
            DoubleVector yd = db0.mul(yb).add(ds1);
            ds1 = db1.mul(yb).sub(da1.mul(yd)).add(ds2);
            ds2 = db2.mul(yb).sub(da2.mul(yd));
            DoubleVector ye = eb0.mul(yd).add(es1);
            es1 = eb1.mul(yd).sub(ea1.mul(ye)).add(es2);
            es2 = eb2.mul(yd).sub(ea2.mul(ye));
            ye.intoArray(samples, i * LANES);
        }
        as1.intoArray(states, (k * 2) * LANES);
        as2.intoArray(states, (k * 2 + 1) * LANES);
        bs1.intoArray(states, (k * 2 + 2) * LANES);
        bs2.intoArray(states, (k * 2 + 3) * LANES);
        ds1.intoArray(states, (k * 2 + 4) * LANES);
        ds2.intoArray(states, (k * 2 + 5) * LANES);
        es1.intoArray(states, (k * 2 + 6) * LANES);
        es2.intoArray(states, (k * 2 + 7) * LANES);
    }

    /** As {@link #rtFour} for four peaking bands, as {@link EqKernels#rtRun4Peaks} runs them. */
    @RealTime
    private static void rtFourPeaks(double[] samples, int frames, double[] coefficients, double[] states, int k) {
        DoubleVector ab0 = coefficient(coefficients, k, 0), ab2 = coefficient(coefficients, k, 2);
        DoubleVector aa1 = coefficient(coefficients, k, 3), aa2 = coefficient(coefficients, k, 4);
        DoubleVector bb0 = coefficient(coefficients, k + 1, 0), bb2 = coefficient(coefficients, k + 1, 2);
        DoubleVector ba1 = coefficient(coefficients, k + 1, 3), ba2 = coefficient(coefficients, k + 1, 4);
        DoubleVector db0 = coefficient(coefficients, k + 2, 0), db2 = coefficient(coefficients, k + 2, 2);
        DoubleVector da1 = coefficient(coefficients, k + 2, 3), da2 = coefficient(coefficients, k + 2, 4);
        DoubleVector eb0 = coefficient(coefficients, k + 3, 0), eb2 = coefficient(coefficients, k + 3, 2);
        DoubleVector ea1 = coefficient(coefficients, k + 3, 3), ea2 = coefficient(coefficients, k + 3, 4);
        DoubleVector as1 = state(states, k, 0), as2 = state(states, k, 1);
        DoubleVector bs1 = state(states, k + 1, 0), bs2 = state(states, k + 1, 1);
        DoubleVector ds1 = state(states, k + 2, 0), ds2 = state(states, k + 2, 1);
        DoubleVector es1 = state(states, k + 3, 0), es2 = state(states, k + 3, 1);
        for (int i = 0; i < frames; i++) {
            DoubleVector in = DoubleVector.fromArray(DOUBLES, samples, i * LANES);
            DoubleVector ya = ab0.mul(in).add(as1);
            as1 = aa1.mul(in.sub(ya)).add(as2);
            as2 = ab2.mul(in).sub(aa2.mul(ya));
            DoubleVector yb = bb0.mul(ya).add(bs1);
            bs1 = ba1.mul(ya.sub(yb)).add(bs2);
            bs2 = bb2.mul(ya).sub(ba2.mul(yb));
            DoubleVector yd = db0.mul(yb).add(ds1);
            ds1 = da1.mul(yb.sub(yd)).add(ds2);
            ds2 = db2.mul(yb).sub(da2.mul(yd));
            DoubleVector ye = eb0.mul(yd).add(es1);
            es1 = ea1.mul(yd.sub(ye)).add(es2);
            es2 = eb2.mul(yd).sub(ea2.mul(ye));
            ye.intoArray(samples, i * LANES);
        }
        as1.intoArray(states, (k * 2) * LANES);
        as2.intoArray(states, (k * 2 + 1) * LANES);
        bs1.intoArray(states, (k * 2 + 2) * LANES);
        bs2.intoArray(states, (k * 2 + 3) * LANES);
        ds1.intoArray(states, (k * 2 + 4) * LANES);
        ds2.intoArray(states, (k * 2 + 5) * LANES);
        es1.intoArray(states, (k * 2 + 6) * LANES);
        es2.intoArray(states, (k * 2 + 7) * LANES);
    }
}
