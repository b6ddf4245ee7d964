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
 * Its output never passes the ceiling as a BS.1770-4 true-peak meter reads it (Desk's own), nor as a meter
 * reads it that resamples to 192 kHz with a 32-tap Kaiser-windowed sinc (ffmpeg's ebur128 filter does), nor as
 * libebur128 reads it (a 49-tap Hann-windowed sinc by four, or by two from 96 kHz); the last two read more than
 * BS.1770-4's twelve taps where the signal has content near the Nyquist frequency.
 * <p>
 * The input, raised by {@code input_gain}, is oversampled three ways: four times with the BS.1770-4 Annex 2
 * interpolator; as libebur128 does; and with a sinc cut off at the Nyquist frequency under a Kaiser window
 * (beta 9) of 32 taps per phase, eight times where that puts a value on every instant of 192 kHz (48 and 96
 * kHz) and sixteen times elsewhere (44.1 kHz), which leaves no instant farther than 1/32 of a sample period
 * from a value. All three are centred on the same point; every sample and every value of any of them asks
 * for the gain that brings it to the ceiling. The lowest gain asked for over a window is held, released with a one-pole of time constant
 * {@code release}, and smoothed by two moving averages of 1.5 ms each, so that the gain has fallen all the way
 * before the first of the 32 samples a value was interpolated from leaves the lookahead delay, and stays down
 * until the last has. The held window and the delay follow from that: the latency is two ramps plus 29 samples
 * (161 samples at 44.1 kHz, 173 at 48 kHz, 317 at 96 kHz). A signal whose true peak stays under the ceiling
 * passes unchanged, only delayed.
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
     * Headroom kept under the ceiling, in dB: the gain changes a little within an interpolator's window when a
     * deeper reduction follows, a band-limited peak can fall between two of the accurate interpolator's values
     * (by about 0.01 dB on pink noise at eight values per period), and the output is rounded to single precision.
     */
    private static final double SAFETY_DB = 0.02;
    /** Taps per phase of the BS.1770-4 interpolator. */
    private static final int STANDARD_TAPS = 12;
    /** Taps per phase of the accurate interpolator: the window of input samples behind every detected value. */
    private static final int ACCURATE_TAPS = 32;
    /**
     * The rate meters commonly resample to for true peak: the accurate interpolator's values fall on its
     * instants where they can.
     */
    private static final int METER_RATE = 192_000;
    private static final double KAISER_BETA = 9;
    /** Taps of libebur128's true-peak interpolator. */
    private static final int HANN_TAPS = 49;
    /** Input samples kept from one chunk for the next: the accurate interpolator's window less its newest. */
    private static final int HISTORY = ACCURATE_TAPS - 1;
    /** Every value detected at frame t lies between the samples CENTRE and CENTRE - 1 periods before it. */
    private static final int CENTRE = ACCURATE_TAPS / 2;
    /** Samples the BS.1770-4 interpolator runs behind the newest, so that it is centred where the accurate one is. */
    private static final int STANDARD_LAG = (ACCURATE_TAPS - STANDARD_TAPS) / 2;
    private static final int CHUNK = 256;
    /** BS.1770-4 Annex 2 Table 1: phase p, tap k multiplies the sample k periods before the newest. */
    private static final float[][] STANDARD_PHASES = {
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

    private int sampleRate;
    /**
     * The accurate interpolator's phases between samples: phase p, tap k multiplies the sample k periods before
     * the newest, and the phase's value lies (p + 1)/factor of a period after the sample CENTRE periods before
     * the newest. (Its phase at the sample is the sample itself.)
     */
    private float[][] accuratePhases;
    /** libebur128's interpolator at this rate (none from 192 kHz), and how far behind the newest it runs. */
    private float[][] meterPhases;
    private int meterLag;
    /** No value of either interpolator exceeds this many times the largest magnitude among its taps' samples. */
    private float interpolationBound;
    private int channels;
    private int ramp;
    private int hold;
    private int latency;
    private Glide ceiling;
    private Glide inputGain;
    private double releaseCoefficient;
    /** Per channel: the last HISTORY driven input samples, then a chunk of new ones. */
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
        accuratePhases = accuratePhases(accurateFactor(sampleRate));
        int meterFactor = sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 0;
        meterPhases = meterFactor == 0 ? new float[0][] : hannSincPhases(meterFactor);
        meterLag = meterFactor == 0 ? 0 : CENTRE - (HANN_TAPS - 1) / 2 / meterFactor;
        interpolationBound = (float) (Math.max(Math.max(worstGain(STANDARD_PHASES), worstGain(accuratePhases)),
                worstGain(meterPhases)) * 1.001);
        latency = 2 * ramp + ACCURATE_TAPS - 3;
        hold = latency + 1;
        int glide = Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
        ceiling = new Glide(glide, 1);
        inputGain = new Glide(glide, 1);
        lines = new float[channels][HISTORY + CHUNK];
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

    /**
     * Drives {@code n} frames from {@code offset} into the lines and finds, for each frame, the largest of the
     * sample and the interpolated values centred CENTRE samples before it, over the channels. A channel whose
     * samples are too small for any of them to reach the ceiling leaves its peaks at zero.
     */
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
            for (int i = 0; i < HISTORY; i++) {
                largest = Math.max(largest, Math.abs(line[i]));
            }
            for (int i = 0; i < n; i++) {
                float driven = x[offset + i] * inputGains[i];
                line[HISTORY + i] = driven;
                largest = Math.max(largest, Math.abs(driven));
            }
            if (largest * interpolationBound > lowestCeiling) {
                for (int i = 0; i < n; i++) {
                    peaks[i] = Math.max(peaks[i], Math.abs(line[HISTORY - CENTRE + i]));
                }
                for (float[] phase : STANDARD_PHASES) {
                    rtInterpolate(phase, line, HISTORY - STANDARD_LAG, n);
                    rtKeepLargest(n);
                }
                for (float[] phase : accuratePhases) {
                    rtInterpolate(phase, line, HISTORY, n);
                    rtKeepLargest(n);
                }
                for (float[] phase : meterPhases) {
                    rtInterpolate(phase, line, HISTORY - meterLag, n);
                    rtKeepLargest(n);
                }
            }
        }
    }

    /**
     * {@code interpolated[i] = sum over k of phase[k] * line[newest + i - k]}, four taps at a time over the chunk
     * (the phases' lengths are multiples of four).
     */
    @RealTime
    private void rtInterpolate(float[] phase, float[] line, int newest, int n) {
        Arrays.fill(interpolated, 0, n, 0f);
        for (int k = 0; k < phase.length; k += 4) {
            float c0 = phase[k];
            float c1 = phase[k + 1];
            float c2 = phase[k + 2];
            float c3 = phase[k + 3];
            int from = newest - k;
            for (int i = 0; i < n; i++) {
                interpolated[i] += c0 * line[from + i] + c1 * line[from - 1 + i]
                        + c2 * line[from - 2 + i] + c3 * line[from - 3 + i];
            }
        }
    }

    /** Raises each of the first {@code n} peaks to the magnitude of its interpolated value. */
    @RealTime
    private void rtKeepLargest(int n) {
        for (int i = 0; i < n; i++) {
            peaks[i] = Math.max(peaks[i], Math.abs(interpolated[i]));
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
                delay[write] = line[HISTORY + i];
                x[offset + i] = delay[(write - latency) & delayMask] * gains[i];
                write = (write + 1) & delayMask;
            }
            System.arraycopy(line, n, line, 0, HISTORY);
        }
        delayWrite = (delayWrite + n) & delayMask;
    }

    /**
     * Values per sample period of the accurate interpolator at {@code sampleRate}: 8 where every instant of
     * {@link #METER_RATE} falls on one of them, 16 elsewhere.
     */
    private static int accurateFactor(int sampleRate) {
        boolean meterInstantsOnEighths = METER_RATE % sampleRate == 0 && 8 % (METER_RATE / sampleRate) == 0;
        return meterInstantsOnEighths ? 8 : 16;
    }

    /**
     * The accurate interpolator's phases between samples for {@code factor} values per sample period: a sinc
     * with its cutoff at the Nyquist frequency under a Kaiser window of beta {@link #KAISER_BETA} reaching
     * {@code CENTRE} samples either side, each phase scaled to a DC gain of 1.
     */
    private static float[][] accuratePhases(int factor) {
        float[][] phases = new float[factor - 1][ACCURATE_TAPS];
        for (int p = 0; p < factor - 1; p++) {
            double[] taps = new double[ACCURATE_TAPS];
            double sum = 0;
            for (int k = 0; k < ACCURATE_TAPS; k++) {
                double distance = CENTRE - k - (p + 1.0) / factor;
                taps[k] = windowedSinc(distance);
                sum += taps[k];
            }
            for (int k = 0; k < ACCURATE_TAPS; k++) {
                phases[p][k] = (float) (taps[k] / sum);
            }
        }
        return phases;
    }

    /**
     * libebur128's interpolator by {@code factor}: a sinc cut off at the Nyquist frequency, {@value #HANN_TAPS}
     * taps under a Hann window, tap j in phase j mod factor; each phase padded with zeros to a multiple of four
     * taps for {@link #rtInterpolate}. Its centre tap, and so its values, lie (HANN_TAPS - 1) / 2 / factor
     * sample periods behind its newest.
     */
    private static float[][] hannSincPhases(int factor) {
        int perPhase = (HANN_TAPS + factor - 1) / factor;
        float[][] phases = new float[factor][(perPhase + 3) / 4 * 4];
        for (int j = 0; j < HANN_TAPS; j++) {
            double m = j - (HANN_TAPS - 1) / 2.0;
            double sinc = m == 0 ? 1 : Math.sin(m * Math.PI / factor) / (m * Math.PI / factor);
            double hann = 0.5 * (1 - Math.cos(2 * Math.PI * j / (HANN_TAPS - 1)));
            phases[j % factor][j / factor] = (float) (sinc * hann);
        }
        return phases;
    }

    /** The accurate interpolator's kernel at {@code distance} sample periods from the interpolated point. */
    private static double windowedSinc(double distance) {
        double x = Math.PI * distance;
        double sinc = Math.sin(x) / x;
        double reach = distance / CENTRE;
        return sinc * besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - reach * reach)));
    }

    /** The modified Bessel function of the first kind, order 0, by its power series. */
    private static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        for (int k = 1; term > 1e-17 * sum; k++) {
            double half = x / (2 * k);
            term *= half * half;
            sum += term;
        }
        return sum;
    }

    /** The largest sum of tap magnitudes over {@code phases}: the most a phase can multiply its largest sample by. */
    private static double worstGain(float[][] phases) {
        double worst = 0;
        for (float[] phase : phases) {
            double sum = 0;
            for (float tap : phase) {
                sum += Math.abs(tap);
            }
            worst = Math.max(worst, sum);
        }
        return worst;
    }
}
