package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.Arrays;
import java.util.List;

/**
 * The saturation insert: a smooth waveshaper run at four times the sample rate, so that the harmonics it
 * makes above the original Nyquist frequency are filtered out instead of folding back as aliases. "tape" is
 * {@code tanh} (odd harmonics); "tube" is a biased {@code tanh} (even and odd harmonics), scaled to unity gain
 * for small signals, the DC its asymmetry makes taken out by a 5 Hz high-pass. The input is raised by {@code drive} before the
 * curve, the result set by {@code output} and mixed, linearly, with the dry signal delayed to match.
 * <p>
 * Oversampling and decimation use one linear-phase FIR of 377 taps at the high rate (a
 * Kaiser-windowed sinc, passband to 5/12 of the sample rate, more than 120 dB down from the Nyquist frequency
 * on), run as four polyphase branches each way, so the latency is a whole 94 samples at any
 * rate. With a full-scale 5 kHz sine at 48 kHz and 12 dB of drive, every alias stays more than 90 dB under
 * full scale.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class Saturation implements Processor {
    /** Its type: parameters {@code drive}, {@code curve}, {@code output}, {@code mix}. */
    public static final ProcessorType TYPE = new ProcessorType("saturation",
            "Oversampled saturation: tape (tanh) or tube (biased tanh) harmonics without aliasing.",
            List.of(InsertParameter.number("drive", "dB", 0, 24, 6, "gain into the curve"),
                    InsertParameter.choice("curve", List.of("tape", "tube"), "tape",
                            "the curve: tape adds odd harmonics, tube even and odd"),
                    InsertParameter.number("output", "dB", -24, 12, 0, "gain after the curve"),
                    InsertParameter.number("mix", "%", 0, 100, 100, "share of the saturated signal in the output")),
            false, Saturation::new);

    private static final int DRIVE = 0;
    private static final int SHAPE = 1;
    private static final int OUTPUT = 2;
    private static final int MIX = 3;
    private static final int FACTOR = 4;
    /** Length of the oversampling filter: 4 * 94 + 1, so the delay up and down again is 94 whole samples. */
    private static final int TAPS = 377;
    private static final int LATENCY = (TAPS - 1) / FACTOR;
    /** Taps in each polyphase branch. */
    private static final int BRANCH = (TAPS + FACTOR - 1) / FACTOR;
    private static final double PASSBAND = 5.0 / 12;
    private static final double STOPBAND = 0.5;
    private static final double STOPBAND_DB = 120;
    private static final int CHUNK = 256;
    private static final double TUBE_BIAS = 0.3;
    private static final double TUBE_OFFSET = Math.tanh(TUBE_BIAS);
    private static final double TUBE_SCALE = 1 / (1 - TUBE_OFFSET * TUBE_OFFSET);
    private static final double DC_CUT_HZ = 5;
    /** Branch p, tap k: {@code FACTOR * h[FACTOR * k + p]}, the interpolator's gain making up for the zeros. */
    private static final float[][] BRANCHES = new float[FACTOR][BRANCH];
    /** Branch p, tap k: {@code h[FACTOR * k + p]}, for the decimator. */
    private static final float[][] DECIMATOR = new float[FACTOR][BRANCH];

    static {
        double[] h = lowPass();
        for (int j = 0; j < TAPS; j++) {
            BRANCHES[j % FACTOR][j / FACTOR] = (float) (FACTOR * h[j]);
            DECIMATOR[j % FACTOR][j / FACTOR] = (float) h[j];
        }
    }

    private int sampleRate;
    private int channels;
    private Glide drive;
    private Glide tube;
    private Glide output;
    private Glide mix;
    private double dcCoefficient;
    private double[] dcInput;
    private double[] dcOutput;
    /** Per channel: the last BRANCH - 1 driven input samples, then a chunk of new ones. */
    private float[][] inputs;
    /** Per channel and phase of the high rate: the last BRANCH shaped samples, then a chunk of new ones. */
    private float[][][] shaped;
    private float[] decimated;
    private float[] drives;
    private float[] tubeAmounts;
    private float[][] dryLines;
    private int dryMask;
    private int dryWrite;

    /** The oversampling low-pass at the high rate: a Kaiser-windowed sinc with unity gain at DC. */
    private static double[] lowPass() {
        double cutoff = (PASSBAND + STOPBAND) / 2 / FACTOR;
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        double middle = (TAPS - 1) / 2.0;
        double[] h = new double[TAPS];
        double sum = 0;
        for (int n = 0; n < TAPS; n++) {
            double t = n - middle;
            double sinc = t == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            double ratio = t / middle;
            h[n] = sinc * besselI0(beta * Math.sqrt(1 - ratio * ratio)) / besselI0(beta);
            sum += h[n];
        }
        for (int n = 0; n < TAPS; n++) {
            h[n] /= sum;
        }
        return h;
    }

    /** The modified Bessel function of the first kind, order zero, by its power series. */
    private static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }

    @Override
    public void prepare(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        int glide = Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
        drive = new Glide(glide, 1);
        tube = new Glide(glide, 0);
        output = new Glide(glide, 1);
        mix = new Glide(glide, 1);
        dcCoefficient = Math.exp(-2 * Math.PI * DC_CUT_HZ / sampleRate);
        dcInput = new double[channels];
        dcOutput = new double[channels];
        inputs = new float[channels][BRANCH - 1 + CHUNK];
        shaped = new float[channels][FACTOR][BRANCH + CHUNK];
        decimated = new float[CHUNK];
        drives = new float[CHUNK];
        tubeAmounts = new float[CHUNK];
        int drySize = Integer.highestOneBit(LATENCY + CHUNK) * 2;
        dryLines = new float[channels][drySize];
        dryMask = drySize - 1;
    }

    @Override
    public int latency() {
        return LATENCY;
    }

    /** The filters' delay: what is still inside them comes out after the input stops. */
    @Override
    public double tailSeconds() {
        return (double) LATENCY / sampleRate;
    }

    @Override
    @RealTime
    public void rtSet(int index, double value) {
        switch (index) {
            case DRIVE -> drive.rtAim(Math.pow(10, value / 20));
            case SHAPE -> tube.rtAim(value);
            case OUTPUT -> output.rtAim(Math.pow(10, value / 20));
            case MIX -> mix.rtAim(value / 100);
            default -> {
            }
        }
    }

    @Override
    @RealTime
    public void rtReset() {
        drive.rtJump();
        tube.rtJump();
        output.rtJump();
        mix.rtJump();
        for (int c = 0; c < channels; c++) {
            Arrays.fill(inputs[c], 0f);
            for (float[] phase : shaped[c]) {
                Arrays.fill(phase, 0f);
            }
            Arrays.fill(dryLines[c], 0f);
            dcInput[c] = 0;
            dcOutput[c] = 0;
        }
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        for (int done = 0; done < frames; done += CHUNK) {
            int n = Math.min(CHUNK, frames - done);
            for (int i = 0; i < n; i++) {
                drives[i] = (float) drive.rtNext();
                tubeAmounts[i] = (float) tube.rtNext();
            }
            boolean tapeOnly = tubeAmounts[0] == 0 && tubeAmounts[n - 1] == 0;
            boolean tubeOnly = tubeAmounts[0] == 1 && tubeAmounts[n - 1] == 1;
            for (int c = 0; c < channels; c++) {
                rtKeepDry(io[c], done, n, c);
                rtSaturate(io[c], done, n, c, tapeOnly, tubeOnly);
            }
            rtMix(io, done, n);
        }
    }

    /** Oversamples, shapes and decimates {@code n} frames of one channel into {@code decimated}, then stores them back. */
    @RealTime
    private void rtSaturate(float[] x, int offset, int n, int c, boolean tapeOnly, boolean tubeOnly) {
        float[] input = inputs[c];
        for (int i = 0; i < n; i++) {
            input[BRANCH - 1 + i] = x[offset + i] * drives[i];
        }
        float[][] phases = shaped[c];
        for (int p = 0; p < FACTOR; p++) {
            rtInterpolate(BRANCHES[p], input, phases[p], n);
            rtShape(phases[p], n, tapeOnly, tubeOnly);
        }
        rtDecimate(phases, n);
        rtCutDc(c, n);
        System.arraycopy(input, n, input, 0, BRANCH - 1);
        for (float[] phase : phases) {
            System.arraycopy(phase, n, phase, 0, BRANCH);
        }
        System.arraycopy(decimated, 0, x, offset, n);
    }

    /** One phase of the high rate: {@code out[BRANCH + i] = sum over k of branch[k] * input[BRANCH - 1 + i - k]}. */
    @RealTime
    private static void rtInterpolate(float[] branch, float[] input, float[] out, int n) {
        Arrays.fill(out, BRANCH, BRANCH + n, 0f);
        for (int k = 0; k < BRANCH; k++) {
            float tap = branch[k];
            int from = BRANCH - 1 - k;
            for (int i = 0; i < n; i++) {
                out[BRANCH + i] += tap * input[from + i];
            }
        }
    }

    /**
     * The curve, in place on the new samples of one phase: tape, tube, or a blend of the two while the curve
     * changes (the blend glides from one to the other).
     */
    @RealTime
    private void rtShape(float[] phase, int n, boolean tapeOnly, boolean tubeOnly) {
        for (int i = 0; i < n; i++) {
            double v = phase[BRANCH + i];
            double tape = tubeOnly ? 0 : Math.tanh(v);
            double tubeShape = tapeOnly ? 0 : (Math.tanh(v + TUBE_BIAS) - TUBE_OFFSET) * TUBE_SCALE;
            double amount = tubeAmounts[i];
            phase[BRANCH + i] = (float) (tape + amount * (tubeShape - tape));
        }
    }

    /**
     * Back to the sample rate: {@code y[i] = sum over j of h[j] * z[FACTOR * i - j]}, where the high-rate sample
     * {@code z[FACTOR * m + p]} is phase p's sample m. Tap j = FACTOR * k + q reads phase 0 at i - k for q = 0,
     * else phase FACTOR - q at i - k - 1.
     */
    @RealTime
    private void rtDecimate(float[][] phases, int n) {
        Arrays.fill(decimated, 0, n, 0f);
        for (int q = 0; q < FACTOR; q++) {
            float[] branch = DECIMATOR[q];
            float[] phase = phases[q == 0 ? 0 : FACTOR - q];
            int back = q == 0 ? 0 : 1;
            for (int k = 0; k < BRANCH; k++) {
                float tap = branch[k];
                int from = BRANCH - k - back;
                for (int i = 0; i < n; i++) {
                    decimated[i] += tap * phase[from + i];
                }
            }
        }
    }

    /**
     * The 5 Hz high-pass on the decimated signal of channel {@code c}, in the measure of the tube curve: tape,
     * symmetric, makes no DC and passes untouched.
     */
    @RealTime
    private void rtCutDc(int c, int n) {
        double previousIn = dcInput[c];
        double previousOut = dcOutput[c];
        for (int i = 0; i < n; i++) {
            double in = decimated[i];
            double out = in - previousIn + dcCoefficient * previousOut;
            previousIn = in;
            previousOut = out;
            decimated[i] = (float) (in + tubeAmounts[i] * (out - in));
        }
        dcInput[c] = previousIn;
        dcOutput[c] = previousOut;
    }

    /** Writes channel {@code c}'s input into its dry line, which delays it by the latency. */
    @RealTime
    private void rtKeepDry(float[] x, int offset, int n, int c) {
        float[] dry = dryLines[c];
        for (int i = 0; i < n; i++) {
            dry[(dryWrite + i) & dryMask] = x[offset + i];
        }
    }

    /** Output gain on the saturated signal and the mix with the dry signal, delayed by the latency. */
    @RealTime
    private void rtMix(float[][] io, int offset, int n) {
        for (int i = 0; i < n; i++) {
            float wetGain = (float) mix.rtNext();
            float dryGain = 1f - wetGain;
            float outputGain = wetGain * (float) output.rtNext();
            int read = (dryWrite + i - LATENCY) & dryMask;
            for (int c = 0; c < channels; c++) {
                io[c][offset + i] = dryGain * dryLines[c][read] + outputGain * io[c][offset + i];
            }
        }
        dryWrite = (dryWrite + n) & dryMask;
    }
}
