package desk.engine.loudness;

import desk.engine.RealTime;
import desk.engine.dsp.Decibels;

/**
 * Streaming true-peak meter per ITU-R BS.1770-4 Annex 2: the signal is oversampled with the Annex's 48-tap,
 * 4-phase polyphase FIR interpolator and the largest absolute value is kept. Oversampling is 4x below
 * 88.2 kHz (44.1 and 48 kHz), 2x (every other phase) from 88.2 to 96 kHz, and none above 96 kHz. The reading is never below the sample
 * peak. The last few samples of the stream are interpolated only when later samples arrive (the filter's
 * delay); their sample peak always counts.
 * <p>
 * Threads: one thread at a time (it is not thread-safe; hand readings to other threads yourself);
 * {@link #add} allocates nothing, takes no lock and throws only for invalid arguments, so it is safe on the
 * audio thread.
 */
public final class TruePeakMeter {
    /** BS.1770-4 Annex 2 Table 1: phase p, tap k multiplies the sample k periods before the newest. */
    static final double[][] PHASES = {
        {0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
            0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500},
        {-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
            0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375},
        {-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000, -0.2003173828125, 0.7797851562500,
            0.4650878906250, -0.1665039062500, 0.0891113281250, -0.0517578125000, 0.0292968750000, -0.0291748046875},
        {-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750, -0.1022949218750, 0.9721679687500,
            0.1373291015625, -0.0594482421875, 0.0332031250000, -0.0196533203125, 0.0109863281250, 0.0017089843750},
    };
    private static final int TAPS = 12;
    /** Samples interpolated per pass; the line holds the previous TAPS - 1 samples before them. */
    private static final int CHUNK = 256;
    private static final float[][] PHASES_FLOAT = new float[4][TAPS];
    /** No interpolated value exceeds this many times the largest magnitude in its window (the largest sum of |taps|). */
    private static final float INTERPOLATION_BOUND;

    static {
        double bound = 0;
        for (int p = 0; p < 4; p++) {
            double sum = 0;
            for (int k = 0; k < TAPS; k++) {
                PHASES_FLOAT[p][k] = (float) PHASES[p][k];
                sum += Math.abs(PHASES[p][k]);
            }
            bound = Math.max(bound, sum);
        }
        INTERPOLATION_BOUND = (float) (bound * 1.001);
    }

    private final int channels;
    private final int factor;
    private final int phaseStep;
    /** Per channel: the last TAPS - 1 samples, then room for a chunk of new ones, oldest first. */
    private final float[][] lines;
    /** One phase of the interpolated chunk. */
    private final float[] interpolated = new float[CHUNK];
    private double maxAbs;

    /**
     * @param sampleRate frames per second, at least 1
     * @param channels   number of channels, at least 1
     */
    public TruePeakMeter(int sampleRate, int channels) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " must be at least 1");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels " + channels + " must be at least 1");
        }
        this.channels = channels;
        this.factor = sampleRate < 88200 ? 4 : (sampleRate <= 96000 ? 2 : 1);
        this.phaseStep = 4 / factor;
        this.lines = new float[channels][TAPS - 1 + CHUNK];
    }

    /** The oversampling factor in use: 4, 2 or 1. */
    public int oversampling() {
        return factor;
    }

    /**
     * Measures {@code frames} frames of {@code samples[channel][offset ...]}. Each phase of the interpolator
     * runs as twelve multiply-adds over a chunk of samples, loops the JIT vectorises; single precision keeps
     * the interpolation error near 1e-7 of full scale. A chunk whose samples are too small for any value
     * between them to pass the peak so far (6 dB under it) is not interpolated at all.
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
        float peak = (float) maxAbs;
        for (int c = 0; c < channels; c++) {
            float[] line = lines[c];
            for (int done = 0; done < frames; done += CHUNK) {
                int n = Math.min(CHUNK, frames - done);
                System.arraycopy(samples[c], offset + done, line, TAPS - 1, n);
                peak = Math.max(peak, maxAbs(line, TAPS - 1, n));
                if (factor > 1 && maxAbs(line, 0, TAPS - 1 + n) * INTERPOLATION_BOUND > peak) {
                    for (int p = 0; p < 4; p += phaseStep) {
                        interpolate(PHASES_FLOAT[p], line, interpolated, n);
                        peak = Math.max(peak, maxAbs(interpolated, 0, n));
                    }
                }
                System.arraycopy(line, n, line, 0, TAPS - 1);
            }
        }
        maxAbs = peak;
    }

    /** {@code out[i] = sum over k of coefficients[k] * line[i + 11 - k]}: tap k takes the sample k periods back. */
    @RealTime
    private static void interpolate(float[] coefficients, float[] line, float[] out, int n) {
        float c = coefficients[0];
        for (int i = 0; i < n; i++) {
            out[i] = c * line[i + TAPS - 1];
        }
        for (int k = 1; k < TAPS; k++) {
            c = coefficients[k];
            int from = TAPS - 1 - k;
            for (int i = 0; i < n; i++) {
                out[i] += c * line[i + from];
            }
        }
    }

    @RealTime
    private static float maxAbs(float[] x, int from, int n) {
        float peak = 0f;
        for (int i = from; i < from + n; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        return peak;
    }

    /** The largest true peak so far in dBTP; negative infinity before any non-zero sample. */
    @RealTime
    public double maxTruePeakDbtp() {
        return Decibels.fromGain(maxAbs);
    }

    /** The largest true peak so far as a linear magnitude. */
    public double maxTruePeak() {
        return maxAbs;
    }

    /** Forgets the peak but not the signal's history: the next reading is the largest true peak from here on. */
    @RealTime
    public void clearPeak() {
        maxAbs = 0.0;
    }

    /** Forgets all history and the peak, as if newly constructed. */
    @RealTime
    public void reset() {
        for (float[] line : lines) {
            java.util.Arrays.fill(line, 0f);
        }
        maxAbs = 0.0;
    }
}
