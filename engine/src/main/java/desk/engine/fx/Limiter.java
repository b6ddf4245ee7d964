package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.Arrays;
import java.util.List;

/**
 * The limiter insert: a stereo-linked, true-peak brickwall limiter with lookahead, the last stage of a master.
 * Its output never passes the ceiling as a BS.1770-4 true-peak meter reads it (Desk's own), nor as
 * libebur128 reads it: its interpolator lets more of the band near Nyquist through and reads a limited
 * signal up to 0.2 dB higher.
 * <p>
 * The input, raised by {@code input_gain}, is oversampled two ways: four times with the BS.1770-4 Annex 2
 * interpolator, and as libebur128 does (a 49-tap Hann-windowed sinc, by four below 96 kHz and by two up to
 * 192 kHz); every sample and inter-sample value of either asks for the gain that brings it to the ceiling.
 * The lowest gain asked for over a window is held, released with a one-pole of time constant
 * {@code release}, and smoothed by two moving averages of 1.5 ms each, so that the gain has fallen all the
 * way before the peak leaves the lookahead delay and stays down while the interpolators still see it. The
 * held window and the delay follow from that: the latency is two ramps plus the longer interpolator's span
 * less three samples (166 samples at 48 kHz). A signal whose true peak stays under the ceiling passes
 * unchanged, only delayed.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class Limiter implements Processor {
    /** Its type: parameters {@code ceiling}, {@code release}, {@code input_gain}. */
    public static final ProcessorType TYPE = new ProcessorType("limiter",
            "True-peak brickwall limiter with lookahead: no peak, between samples either, above the ceiling.",
            List.of(InsertParameter.number("ceiling", "dBTP", -24, 0, -1, "the highest true peak let out"),
                    InsertParameter.number("release", "ms", 1, 1000, 60,
                            "time constant of the gain's recovery after a peak"),
                    InsertParameter.number("input_gain", "dB", 0, 24, 0, "drive into the limiter")),
            false, Limiter::new);

    private static final int CEILING = 0;
    private static final int RELEASE = 1;
    private static final int INPUT_GAIN = 2;
    /** Length of each of the two moving averages that shape the gain's fall. */
    private static final double RAMP_MILLISECONDS = 1.5;
    /**
     * Headroom kept under the ceiling, in dB: the gain changes a little within the interpolator's twelve
     * samples when a deeper reduction follows, and the output is rounded to single precision.
     */
    private static final double SAFETY_DB = 0.01;
    /** The most taps per phase of the interpolators (libebur128's by two); the lines hold one fewer of history. */
    static final int SPAN = 25;
    private static final int CHUNK = 256;
    /** BS.1770-4 Annex 2 Table 1: phase p, tap k multiplies the sample k periods before the newest. */
    private static final float[][] PHASES = {
        {0.0017089843750f, 0.0109863281250f, -0.0196533203125f, 0.0332031250000f, -0.0594482421875f,
            0.1373291015625f, 0.9721679687500f, -0.1022949218750f, 0.0476074218750f, -0.0266113281250f,
            0.0148925781250f, -0.0083007812500f},
        {-0.0291748046875f, 0.0292968750000f, -0.0517578125000f, 0.0891113281250f, -0.1665039062500f,
            0.4650878906250f, 0.7797851562500f, -0.2003173828125f, 0.1015625000000f, -0.0582275390625f,
            0.0330810546875f, -0.0189208984375f},
        {-0.0189208984375f, 0.0330810546875f, -0.0582275390625f, 0.1015625000000f, -0.2003173828125f,
            0.7797851562500f, 0.4650878906250f, -0.1665039062500f, 0.0891113281250f, -0.0517578125000f,
            0.0292968750000f, -0.0291748046875f},
        {-0.0083007812500f, 0.0148925781250f, -0.0266113281250f, 0.0476074218750f, -0.1022949218750f,
            0.9721679687500f, 0.1373291015625f, -0.0594482421875f, 0.0332031250000f, -0.0196533203125f,
            0.0109863281250f, 0.0017089843750f},
    };
    /** libebur128's interpolator below 96 kHz: a 49-tap Hann-windowed sinc by four. */
    private static final float[][] HANN_PHASES_4 = hannSincPhases(4, 49);
    /** libebur128's interpolator from 96 kHz: the same by two. */
    private static final float[][] HANN_PHASES_2 = hannSincPhases(2, 49);
    /** No interpolated value exceeds this many times the largest magnitude among its taps' samples. */
    private static final float INTERPOLATION_BOUND = (float) (Math.max(bound(PHASES),
            Math.max(bound(HANN_PHASES_4), bound(HANN_PHASES_2))) * 1.001);

    private static double bound(float[][] phases) {
        double bound = 0;
        for (float[] phase : phases) {
            double sum = 0;
            for (float tap : phase) {
                sum += Math.abs(tap);
            }
            bound = Math.max(bound, sum);
        }
        return bound;
    }

    /**
     * The interpolator libebur128 measures true peak with: a sinc cut off at the input's Nyquist frequency,
     * {@code length} taps under a Hann window, by {@code factor}; tap j goes to phase j mod factor.
     */
    static float[][] hannSincPhases(int factor, int length) {
        float[][] result = new float[factor][(length + factor - 1) / factor];
        for (int j = 0; j < length; j++) {
            double m = j - (length - 1) / 2.0;
            double sinc = Math.abs(m) < 1e-9 ? 1 : Math.sin(m * Math.PI / factor) / (m * Math.PI / factor);
            double hann = 0.5 * (1 - Math.cos(2 * Math.PI * j / (length - 1)));
            result[j % factor][j / factor] = (float) (sinc * hann);
        }
        return result;
    }

    private int sampleRate;
    private int channels;
    private int ramp;
    private int hold;
    private int latency;
    /** The interpolator libebur128 uses at this sample rate (none from 192 kHz). */
    private float[][] meterPhases;
    private Glide ceiling;
    private Glide inputGain;
    private double releaseCoefficient;
    /** Per channel: the last SPAN - 1 driven input samples, then a chunk of new ones. */
    private float[][] lines;
    private float[] interpolated;
    private float[] peaks;
    private float[] inputGains;
    private float[] gains;
    private float[][] delayLines;
    private int delayMask;
    private int delayWrite;
    /** The sliding minimum of the gains asked for: a queue of increasing gains with the times they were asked. */
    private double[] minimumGains;
    private long[] minimumTimes;
    private int minimumHead;
    private int minimumSize;
    private long time;
    private double released;
    private double[] firstRamp;
    private double firstSum;
    private int firstIndex;
    private double[] secondRamp;
    private double secondSum;
    private int secondIndex;
    private volatile double gainReductionDb;

    @Override
    public void prepare(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        ramp = Math.max(1, (int) Math.round(sampleRate * RAMP_MILLISECONDS / 1000));
        latency = 2 * ramp + SPAN - 3;
        meterPhases = sampleRate < 96_000 ? HANN_PHASES_4 : sampleRate < 192_000 ? HANN_PHASES_2 : new float[0][];
        hold = latency + 1;
        int glide = Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
        ceiling = new Glide(glide, 1);
        inputGain = new Glide(glide, 1);
        lines = new float[channels][SPAN - 1 + CHUNK];
        interpolated = new float[CHUNK];
        peaks = new float[CHUNK];
        inputGains = new float[CHUNK];
        gains = new float[CHUNK];
        int delaySize = Integer.highestOneBit(latency) * 2;
        delayLines = new float[channels][delaySize];
        delayMask = delaySize - 1;
        minimumGains = new double[hold];
        minimumTimes = new long[hold];
        firstRamp = new double[ramp];
        secondRamp = new double[ramp];
    }

    @Override
    public int latency() {
        return latency;
    }

    /** The lookahead delay: what is still inside it comes out after the input stops. */
    @Override
    public double tailSeconds() {
        return (double) latency / sampleRate;
    }

    @Override
    public double gainReductionDb() {
        return gainReductionDb;
    }

    @Override
    @RealTime
    public void rtSet(int index, double value) {
        switch (index) {
            case CEILING -> ceiling.rtAim(Math.pow(10, (value - SAFETY_DB) / 20));
            case RELEASE -> releaseCoefficient = Math.exp(-1000 / (value * sampleRate));
            case INPUT_GAIN -> inputGain.rtAim(Math.pow(10, value / 20));
            default -> {
            }
        }
    }

    @Override
    @RealTime
    public void rtReset() {
        ceiling.rtJump();
        inputGain.rtJump();
        for (int c = 0; c < channels; c++) {
            Arrays.fill(lines[c], 0f);
            Arrays.fill(delayLines[c], 0f);
        }
        minimumSize = 0;
        minimumHead = 0;
        released = 1;
        Arrays.fill(firstRamp, 1);
        Arrays.fill(secondRamp, 1);
        firstSum = ramp;
        secondSum = ramp;
        firstIndex = 0;
        secondIndex = 0;
        gainReductionDb = 0;
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        double lowest = 1;
        for (int done = 0; done < frames; done += CHUNK) {
            int n = Math.min(CHUNK, frames - done);
            rtDetect(io, done, n);
            for (int i = 0; i < n; i++) {
                double gain = rtGainFor(peaks[i]);
                gains[i] = (float) gain;
                lowest = Math.min(lowest, gain);
            }
            rtDelayAndApply(io, done, n);
        }
        gainReductionDb = lowest >= 1 ? 0 : -20 * Math.log10(lowest);
    }

    /** Drives {@code n} frames from {@code offset} into the lines and finds each frame's true peak over the channels. */
    @RealTime
    private void rtDetect(float[][] io, int offset, int n) {
        for (int i = 0; i < n; i++) {
            inputGains[i] = (float) inputGain.rtNext();
            peaks[i] = 0f;
        }
        float lowestCeiling = (float) Math.min(ceiling.rtValue(), ceiling.rtTarget());
        for (int c = 0; c < channels; c++) {
            float[] line = lines[c];
            float[] x = io[c];
            float largest = 0f;
            for (int i = 0; i < SPAN - 1; i++) {
                largest = Math.max(largest, Math.abs(line[i]));
            }
            for (int i = 0; i < n; i++) {
                float driven = x[offset + i] * inputGains[i];
                line[SPAN - 1 + i] = driven;
                float magnitude = Math.abs(driven);
                largest = Math.max(largest, magnitude);
                peaks[i] = Math.max(peaks[i], magnitude);
            }
            if (largest * INTERPOLATION_BOUND > lowestCeiling) {
                for (float[] phase : PHASES) {
                    rtInterpolate(phase, line, n);
                    for (int i = 0; i < n; i++) {
                        peaks[i] = Math.max(peaks[i], Math.abs(interpolated[i]));
                    }
                }
                for (float[] phase : meterPhases) {
                    rtInterpolate(phase, line, n);
                    for (int i = 0; i < n; i++) {
                        peaks[i] = Math.max(peaks[i], Math.abs(interpolated[i]));
                    }
                }
            }
        }
    }

    /**
     * {@code interpolated[i] = sum over k of phase[k] * line[i + newest - k]}, where {@code newest} is the
     * line's newest sample for frame 0, one tap at a time over the chunk.
     */
    @RealTime
    private void rtInterpolate(float[] phase, float[] line, int n) {
        int newest = SPAN - 1;
        float c = phase[0];
        for (int i = 0; i < n; i++) {
            interpolated[i] = c * line[i + newest];
        }
        for (int k = 1; k < phase.length; k++) {
            c = phase[k];
            int from = newest - k;
            for (int i = 0; i < n; i++) {
                interpolated[i] += c * line[i + from];
            }
        }
    }

    /** The gain for the frame whose true peak is {@code peak}: held, released and smoothed as the class says. */
    @RealTime
    private double rtGainFor(float peak) {
        double limit = ceiling.rtNext();
        double asked = peak > limit ? limit / peak : 1;
        if (minimumSize > 0 && minimumTimes[minimumHead] <= time - hold) {
            minimumHead = rtMinimumSlot(1);
            minimumSize--;
        }
        while (minimumSize > 0 && minimumGains[rtMinimumSlot(minimumSize - 1)] >= asked) {
            minimumSize--;
        }
        int slot = rtMinimumSlot(minimumSize);
        minimumGains[slot] = asked;
        minimumTimes[slot] = time;
        minimumSize++;
        time++;
        double held = minimumGains[minimumHead];
        released = held <= released ? held : held + (released - held) * releaseCoefficient;

        firstSum += released - firstRamp[firstIndex];
        firstRamp[firstIndex] = released;
        if (++firstIndex == ramp) {
            firstIndex = 0;
            firstSum = rtSum(firstRamp);
        }
        double first = firstSum / ramp;
        secondSum += first - secondRamp[secondIndex];
        secondRamp[secondIndex] = first;
        if (++secondIndex == ramp) {
            secondIndex = 0;
            secondSum = rtSum(secondRamp);
        }
        return Math.min(1, secondSum / ramp);
    }

    @RealTime
    private int rtMinimumSlot(int position) {
        int slot = minimumHead + position;
        return slot >= hold ? slot - hold : slot;
    }

    /** The exact sum of a moving average's window, against the drift of its running sum. */
    @RealTime
    private static double rtSum(double[] window) {
        double sum = 0;
        for (double value : window) {
            sum += value;
        }
        return sum;
    }

    /** Pushes the driven chunk through the lookahead delay and applies the gains to what comes out. */
    @RealTime
    private void rtDelayAndApply(float[][] io, int offset, int n) {
        for (int c = 0; c < channels; c++) {
            float[] line = lines[c];
            float[] delay = delayLines[c];
            float[] x = io[c];
            int write = delayWrite;
            for (int i = 0; i < n; i++) {
                delay[write] = line[SPAN - 1 + i];
                x[offset + i] = delay[(write - latency) & delayMask] * gains[i];
                write = (write + 1) & delayMask;
            }
            System.arraycopy(line, n, line, 0, SPAN - 1);
        }
        delayWrite = (delayWrite + n) & delayMask;
    }
}
