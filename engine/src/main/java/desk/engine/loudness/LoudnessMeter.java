package desk.engine.loudness;

import desk.engine.RealTime;

import java.util.Arrays;

/**
 * Streaming loudness meter per ITU-R BS.1770-4 and EBU R 128 (Tech 3341 "EBU mode", Tech 3342 loudness
 * range). The input is K-weighted per channel (double precision), squared and summed into 10 ms sub-blocks
 * (the sub-block is {@code round(sampleRate / 100)} frames). From the sub-blocks, on every 10 ms step:
 * <ul>
 * <li>momentary loudness: the last 400 ms (40 sub-blocks);</li>
 * <li>short-term loudness: the last 3 s (300 sub-blocks);</li>
 * <li>their maxima (windows not yet full count the missing time as silence);</li>
 * </ul>
 * every 100 ms: a 400 ms gating block for the integrated loudness (75 % overlap; absolute gate -70 LUFS,
 * relative gate -10 LU) and, once 3 s have passed, a short-term value for the loudness range (absolute gate
 * -70 LUFS, relative gate -20 LU, LRA = 95th minus 10th percentile). Gating uses histograms of 0.01 LU bins
 * from -70 to +30 LUFS, holding counts and exact energy sums, so memory is fixed however long the programme;
 * only the choice of blocks at the relative gate and the percentiles are quantised to 0.01 LU.
 * <p>
 * Channel weights: 1.0 for mono, stereo and 3 channels; 4 channels are taken as L R Ls Rs (1, 1, 1.41, 1.41);
 * 5 as L R C Ls Rs (1, 1, 1, 1.41, 1.41); 6 or more as L R C LFE Ls Rs ... with the LFE (4th channel)
 * excluded, channels 5 and 6 at 1.41 and any further channels at 1.0. Other layouts can pass explicit
 * weights to {@link #LoudnessMeter(int, double[])}.
 * <p>
 * Readings are in LUFS (LU for the range); silence, or too little input, reads
 * {@link Double#NEGATIVE_INFINITY} (the loudness range reads 0 when it has no values).
 * <p>
 * Threads: one thread at a time (the meter is not thread-safe; publish readings to other threads yourself).
 * Everything is allocated in the constructor: {@link #add} allocates nothing, takes no lock and throws only
 * for invalid arguments, so it may run on the audio thread. The readings allocate nothing either.
 */
public final class LoudnessMeter {
    private static final int MOMENTARY_SUBS = 40;
    private static final int SHORT_TERM_SUBS = 300;
    private static final int STEP_SUBS = 10;
    private static final double ABSOLUTE_GATE = -70.0;
    private static final double HIST_MIN = -70.0;
    private static final double HIST_MAX = 30.0;
    private static final double BIN_WIDTH = 0.01;
    private static final int BINS = (int) Math.round((HIST_MAX - HIST_MIN) / BIN_WIDTH);
    /** Flush filter state below this magnitude, to keep subnormals out of the filters. */
    private static final double TINY = 1e-30;
    private static final double LOW_PERCENTILE = 0.10;
    private static final double HIGH_PERCENTILE = 0.95;

    private final int channels;
    private final int subLength;
    private final double[] weights;
    // K-weighting coefficients
    private final double sb0, sb1, sb2, sa1, sa2;
    private final double hb0, hb1, hb2, ha1, ha2;
    // filter state per channel, direct form I: shelf x1 x2 y1 y2, high-pass y1 y2 (its inputs are shelf outputs)
    private final double[] sx1, sx2, sy1, sy2, hy1, hy2;

    /** Weighted energy of each of the last 300 complete sub-blocks (ring). */
    private final double[] subEnergy = new double[SHORT_TERM_SUBS];
    private int subIndex;
    private long subCount;
    private int subFill;
    private double subAccum;

    private double momentaryEnergy;
    private double shortTermEnergy;
    private double maxMomentaryEnergy;
    private double maxShortTermEnergy;

    private final long[] blockCounts = new long[BINS];
    private final double[] blockEnergies = new double[BINS];
    private long blockTotal;
    private double blockEnergyTotal;

    private final long[] stCounts = new long[BINS];
    private long stTotal;
    private double stEnergyTotal;

    /**
     * A meter with the default channel weights for {@code channels} (see the class description).
     *
     * @param sampleRate frames per second, at least 100
     * @param channels   number of channels, at least 1
     */
    public LoudnessMeter(int sampleRate, int channels) {
        this(sampleRate, defaultWeights(channels));
    }

    /**
     * A meter with explicit channel weights (0 excludes a channel, 1.41 for surround channels at ±110°).
     *
     * @param sampleRate     frames per second, at least 100
     * @param channelWeights one non-negative weight per channel; its length is the channel count
     */
    public LoudnessMeter(int sampleRate, double[] channelWeights) {
        if (sampleRate < 100) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " must be at least 100");
        }
        if (channelWeights.length < 1) {
            throw new IllegalArgumentException("at least one channel is needed");
        }
        for (double w : channelWeights) {
            if (!(w >= 0.0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("channel weights must be finite and non-negative");
            }
        }
        this.channels = channelWeights.length;
        this.weights = channelWeights.clone();
        this.subLength = (int) Math.round(sampleRate / 100.0);
        KWeighting k = KWeighting.forSampleRate(sampleRate);
        sb0 = k.shelfB()[0];
        sb1 = k.shelfB()[1];
        sb2 = k.shelfB()[2];
        sa1 = k.shelfA()[0];
        sa2 = k.shelfA()[1];
        hb0 = k.highPassB()[0];
        hb1 = k.highPassB()[1];
        hb2 = k.highPassB()[2];
        ha1 = k.highPassA()[0];
        ha2 = k.highPassA()[1];
        sx1 = new double[channels];
        sx2 = new double[channels];
        sy1 = new double[channels];
        sy2 = new double[channels];
        hy1 = new double[channels];
        hy2 = new double[channels];
    }

    /** The default BS.1770-4 channel weights for a channel count (see the class description). */
    public static double[] defaultWeights(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels " + channels + " must be at least 1");
        }
        double[] w = new double[channels];
        Arrays.fill(w, 1.0);
        if (channels == 4) {
            w[2] = 1.41;
            w[3] = 1.41;
        } else if (channels == 5) {
            w[3] = 1.41;
            w[4] = 1.41;
        } else if (channels >= 6) {
            w[3] = 0.0;
            w[4] = 1.41;
            w[5] = 1.41;
        }
        return w;
    }

    /** Number of channels this meter expects. */
    public int channels() {
        return channels;
    }

    /**
     * Measures {@code frames} frames of {@code samples[channel][offset ...]}.
     *
     * @throws IllegalArgumentException if there are fewer channel arrays than channels or the range is outside
     *                                  an array
     */
    public void add(float[][] samples, int offset, int frames) {
        if (samples.length < channels || offset < 0 || frames < 0) {
            throw new IllegalArgumentException("bad arguments to add");
        }
        for (int c = 0; c < channels; c++) {
            if (samples[c].length - offset < frames) {
                throw new IllegalArgumentException("frame range outside a channel array");
            }
        }
        rtAdd(samples, offset, frames);
    }

    /** As {@link #add}, without checking the arguments: the audio thread's path, whose callers pass whole spans. */
    @RealTime
    public void rtAdd(float[][] samples, int offset, int frames) {
        int done = 0;
        while (done < frames) {
            int n = Math.min(frames - done, subLength - subFill);
            double energy = 0.0;
            for (int c = 0; c < channels; c++) {
                double w = weights[c];
                if (w != 0.0) {
                    energy += w * filterChannel(c, samples[c], offset + done, n);
                }
            }
            subAccum += energy;
            subFill += n;
            done += n;
            if (subFill == subLength) {
                completeSubBlock();
            }
        }
    }

    /** K-weights n samples of channel c and returns their sum of squares. */
    @RealTime
    private double filterChannel(int c, float[] in, int from, int n) {
        double x1 = sx1[c], x2 = sx2[c], y1 = sy1[c], y2 = sy2[c], z1 = hy1[c], z2 = hy2[c];
        double sum = 0.0;
        for (int i = from, end = from + n; i < end; i++) {
            double x = in[i];
            double y = sb0 * x + sb1 * x1 + sb2 * x2 - sa1 * y1 - sa2 * y2;
            double z = hb0 * y + hb1 * y1 + hb2 * y2 - ha1 * z1 - ha2 * z2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            z2 = z1;
            z1 = z;
            sum += z * z;
        }
        sx1[c] = flush(x1);
        sx2[c] = flush(x2);
        sy1[c] = flush(y1);
        sy2[c] = flush(y2);
        hy1[c] = flush(z1);
        hy2[c] = flush(z2);
        return sum;
    }

    @RealTime
    private static double flush(double v) {
        return Math.abs(v) < TINY ? 0.0 : v;
    }

    @RealTime
    private void completeSubBlock() {
        subEnergy[subIndex] = subAccum / subLength;
        subIndex = subIndex + 1 == SHORT_TERM_SUBS ? 0 : subIndex + 1;
        subCount++;
        subAccum = 0.0;
        subFill = 0;

        double m = 0.0;
        double s = 0.0;
        int idx = subIndex;
        for (int i = 0; i < SHORT_TERM_SUBS; i++) {
            idx = idx == 0 ? SHORT_TERM_SUBS - 1 : idx - 1;   // newest first
            double e = subEnergy[idx];
            s += e;
            if (i < MOMENTARY_SUBS) {
                m += e;
            }
        }
        momentaryEnergy = m / MOMENTARY_SUBS;
        shortTermEnergy = s / SHORT_TERM_SUBS;
        if (momentaryEnergy > maxMomentaryEnergy) {
            maxMomentaryEnergy = momentaryEnergy;
        }
        if (shortTermEnergy > maxShortTermEnergy) {
            maxShortTermEnergy = shortTermEnergy;
        }
        if (subCount % STEP_SUBS == 0) {
            if (subCount >= MOMENTARY_SUBS) {
                double l = lufs(momentaryEnergy);
                if (l > ABSOLUTE_GATE) {
                    int b = bin(l);
                    blockCounts[b]++;
                    blockEnergies[b] += momentaryEnergy;
                    blockTotal++;
                    blockEnergyTotal += momentaryEnergy;
                }
            }
            if (subCount >= SHORT_TERM_SUBS) {
                double l = lufs(shortTermEnergy);
                if (l > ABSOLUTE_GATE) {
                    stCounts[bin(l)]++;
                    stTotal++;
                    stEnergyTotal += shortTermEnergy;
                }
            }
        }
    }

    @RealTime
    private static int bin(double lufs) {
        int b = (int) Math.floor((lufs - HIST_MIN) / BIN_WIDTH);
        return b < 0 ? 0 : (b >= BINS ? BINS - 1 : b);
    }

    @RealTime
    private static double binCentre(int b) {
        return HIST_MIN + (b + 0.5) * BIN_WIDTH;
    }

    /** First bin whose values all count as above {@code gate} (the bin holding the gate counts if its centre is). */
    @RealTime
    private static int firstBinAbove(double gate) {
        if (gate < HIST_MIN) {
            return 0;
        }
        int b = bin(gate);
        return binCentre(b) > gate ? b : b + 1;
    }

    @RealTime
    private static double lufs(double meanSquare) {
        return meanSquare <= 0.0 ? Double.NEGATIVE_INFINITY : -0.691 + 10.0 * Math.log10(meanSquare);
    }

    /**
     * How many 100 ms steps have completed: the integrated loudness and the loudness range change only when
     * this count does, so a caller that publishes readings can skip recomputing them in between.
     */
    @RealTime
    public long gatingSteps() {
        return subCount / STEP_SUBS;
    }

    /** Momentary loudness (last 400 ms, as of the last complete 10 ms step), LUFS. */
    @RealTime
    public double momentaryLufs() {
        return lufs(momentaryEnergy);
    }

    /** Short-term loudness (last 3 s, as of the last complete 10 ms step), LUFS. */
    @RealTime
    public double shortTermLufs() {
        return lufs(shortTermEnergy);
    }

    /** Largest momentary loudness so far, evaluated every 10 ms, LUFS. */
    @RealTime
    public double maxMomentaryLufs() {
        return lufs(maxMomentaryEnergy);
    }

    /** Largest short-term loudness so far, evaluated every 10 ms, LUFS. */
    @RealTime
    public double maxShortTermLufs() {
        return lufs(maxShortTermEnergy);
    }

    /** Integrated (gated) loudness of everything so far per BS.1770-4, LUFS. */
    @RealTime
    public double integratedLufs() {
        if (blockTotal == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double relativeGate = lufs(blockEnergyTotal / blockTotal) - 10.0;
        long count = 0;
        double energy = 0.0;
        for (int b = firstBinAbove(relativeGate); b < BINS; b++) {
            count += blockCounts[b];
            energy += blockEnergies[b];
        }
        return count == 0 ? Double.NEGATIVE_INFINITY : lufs(energy / count);
    }

    /** Loudness range per EBU Tech 3342, LU; 0 until there are gated short-term values. */
    @RealTime
    public double loudnessRangeLu() {
        double low = rangePercentile(LOW_PERCENTILE);
        return Double.isNaN(low) ? 0.0 : rangePercentile(HIGH_PERCENTILE) - low;
    }

    /** The low end of the loudness range (the 10th percentile of gated short-term loudness), LUFS; NaN before any. */
    @RealTime
    public double loudnessRangeLowLufs() {
        return rangePercentile(LOW_PERCENTILE);
    }

    /** The high end of the loudness range (the 95th percentile of gated short-term loudness), LUFS; NaN before any. */
    @RealTime
    public double loudnessRangeHighLufs() {
        return rangePercentile(HIGH_PERCENTILE);
    }

    /** The short-term loudness at {@code fraction} of the way up the gated values (Tech 3342), LUFS; NaN before any. */
    @RealTime
    private double rangePercentile(double fraction) {
        if (stTotal == 0) {
            return Double.NaN;
        }
        double relativeGate = lufs(stEnergyTotal / stTotal) - 20.0;
        int first = firstBinAbove(relativeGate);
        long n = 0;
        for (int b = first; b < BINS; b++) {
            n += stCounts[b];
        }
        if (n == 0) {
            return Double.NaN;
        }
        long index = (long) ((n - 1) * fraction + 0.5);
        long seen = 0;
        for (int b = first; b < BINS; b++) {
            seen += stCounts[b];
            if (index < seen) {
                return binCentre(b);
            }
        }
        return Double.NaN;
    }

    /** Forgets all input, filter state and readings, as if newly constructed. */
    @RealTime
    public void reset() {
        Arrays.fill(sx1, 0.0);
        Arrays.fill(sx2, 0.0);
        Arrays.fill(sy1, 0.0);
        Arrays.fill(sy2, 0.0);
        Arrays.fill(hy1, 0.0);
        Arrays.fill(hy2, 0.0);
        Arrays.fill(subEnergy, 0.0);
        subIndex = 0;
        subCount = 0;
        subFill = 0;
        subAccum = 0.0;
        momentaryEnergy = 0.0;
        shortTermEnergy = 0.0;
        maxMomentaryEnergy = 0.0;
        maxShortTermEnergy = 0.0;
        Arrays.fill(blockCounts, 0L);
        Arrays.fill(blockEnergies, 0.0);
        blockTotal = 0;
        blockEnergyTotal = 0.0;
        Arrays.fill(stCounts, 0L);
        stTotal = 0;
        stEnergyTotal = 0.0;
    }
}
