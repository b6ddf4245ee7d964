package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.Arrays;
import java.util.List;

/**
 * The de-esser insert: turns down the highs of a sibilant sound and leaves the rest of it alone.
 * <p>
 * Each channel is split at {@code freq} into a low band, a first-order low-pass, and a high band, the input
 * minus the low band, so the two always add up to the input; the output is the low band plus the high band
 * times a gain {@code g}, which is a first-order high shelf from 1 under {@code freq} to {@code g} far above
 * it (half-way in dB at {@code freq / sqrt(g)}). With {@code g} at 1 the output is the input, bit for bit.
 * <p>
 * The detector listens to the high band through a further second-order Butterworth high-pass at {@code freq},
 * so that vowels do not set it off, and follows its peak over the channels with an attack of 0.5 ms and a
 * release of 50 ms. While the detector is above {@code threshold}, {@code g} brings it down to the threshold,
 * but never lower than {@code -range} dB; every channel gets the same gain.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class DeEsser implements Processor {
    /** Its type: parameters {@code freq}, {@code threshold}, {@code range}. */
    public static final ProcessorType TYPE = new ProcessorType("deesser",
            "De-esser: turns the high band down while sibilants push it over the threshold.",
            List.of(InsertParameter.number("freq", "Hz", 2000, 16000, 6000, "where the high band begins"),
                    InsertParameter.number("threshold", "dB", -60, 0, -30, "high-band level it turns down to"),
                    InsertParameter.number("range", "dB", 0, 24, 12, "the most it turns the high band down")),
            false, DeEsser::new);

    private static final int FREQ = 0;
    private static final int THRESHOLD = 1;
    private static final int RANGE = 2;
    private static final double ATTACK_MILLISECONDS = 0.5;
    private static final double RELEASE_MILLISECONDS = 50;
    /** Damping of the detector's high-pass: 1 / Q with the Butterworth Q of 1 / sqrt(2). */
    private static final double BUTTERWORTH_DAMPING = Math.sqrt(2);
    /** Added and taken away again on the states: flushes values far below hearing to zero. */
    private static final double DENORMAL_GUARD = 1e-20;

    private int sampleRate;
    private int channels;
    private Glide freq;
    private Glide threshold;
    private Glide floor;
    private double splitCoefficient;
    private double a1;
    private double a2;
    private double a3;
    private double attackCoefficient;
    private double releaseCoefficient;
    private double[] splitState;
    private double[] detectorState1;
    private double[] detectorState2;
    private double[][] highs;
    private double[] levels;
    private double[] gains;
    private double envelope;
    private volatile double gainReductionDb;

    @Override
    public void prepare(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        int glide = Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
        freq = new Glide(glide, TYPE.parameters().get(FREQ).initial());
        threshold = new Glide(glide, 1);
        floor = new Glide(glide, 1);
        attackCoefficient = Math.exp(-1000 / (ATTACK_MILLISECONDS * sampleRate));
        releaseCoefficient = Math.exp(-1000 / (RELEASE_MILLISECONDS * sampleRate));
        splitState = new double[channels];
        detectorState1 = new double[channels];
        detectorState2 = new double[channels];
        highs = new double[channels][Limits.MAX_BLOCK];
        levels = new double[Limits.MAX_BLOCK];
        gains = new double[Limits.MAX_BLOCK];
    }

    @Override
    public double gainReductionDb() {
        return gainReductionDb;
    }

    @Override
    @RealTime
    public void rtSet(int index, double value) {
        switch (index) {
            case FREQ -> freq.rtAim(value);
            case THRESHOLD -> threshold.rtAim(Math.pow(10, value / 20));
            case RANGE -> floor.rtAim(Math.pow(10, -value / 20));
            default -> {
            }
        }
    }

    @Override
    @RealTime
    public void rtReset() {
        freq.rtJump();
        threshold.rtJump();
        floor.rtJump();
        rtDesign(freq.rtValue());
        Arrays.fill(splitState, 0);
        Arrays.fill(detectorState1, 0);
        Arrays.fill(detectorState2, 0);
        envelope = 0;
        gainReductionDb = 0;
    }

    /** The split's and the detector's coefficients for a band starting at {@code hertz}. */
    @RealTime
    private void rtDesign(double hertz) {
        double g = Math.tan(Math.PI * hertz / sampleRate);
        splitCoefficient = g / (1 + g);
        a1 = 1 / (1 + g * (g + BUTTERWORTH_DAMPING));
        a2 = g * a1;
        a3 = g * a2;
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        for (int done = 0; done < frames; ) {
            int span = frames - done;
            if (freq.rtValue() != freq.rtTarget()) {
                rtDesign(freq.rtNext());
                span = 1;
            }
            rtSplitAndDetect(io, done, span);
            done += span;
        }
        double lowest = 1;
        for (int i = 0; i < frames; i++) {
            double level = levels[i];
            double coefficient = level > envelope ? attackCoefficient : releaseCoefficient;
            envelope = (level + (envelope - level) * coefficient + DENORMAL_GUARD) - DENORMAL_GUARD;
            double limit = threshold.rtNext();
            double lowestGain = floor.rtNext();
            double gain = envelope > limit ? Math.max(limit / envelope, lowestGain) : 1;
            gains[i] = gain;
            lowest = Math.min(lowest, gain);
        }
        if (lowest < 1) {
            for (int c = 0; c < channels; c++) {
                float[] x = io[c];
                double[] high = highs[c];
                for (int i = 0; i < frames; i++) {
                    x[i] = (float) (x[i] - (1 - gains[i]) * high[i]);
                }
            }
        }
        gainReductionDb = Math.max(0, -20 * Math.log10(lowest));
    }

    /**
     * Splits {@code n} frames from {@code from} into the high bands and finds each frame's detector level, the
     * largest magnitude over the channels of the high band through the detector's high-pass.
     */
    @RealTime
    private void rtSplitAndDetect(float[][] io, int from, int n) {
        double split = splitCoefficient;
        for (int c = 0; c < channels; c++) {
            float[] x = io[c];
            double[] high = highs[c];
            double state = splitState[c];
            double s1 = detectorState1[c];
            double s2 = detectorState2[c];
            for (int i = from; i < from + n; i++) {
                double in = x[i];
                double v = (in - state) * split;
                double low = v + state;
                state = (low + v + DENORMAL_GUARD) - DENORMAL_GUARD;
                double h = in - low;
                high[i] = h;
                double v3 = h - s2;
                double v1 = a1 * s1 + a2 * v3;
                double v2 = s2 + a2 * s1 + a3 * v3;
                s1 = (2 * v1 - s1 + DENORMAL_GUARD) - DENORMAL_GUARD;
                s2 = (2 * v2 - s2 + DENORMAL_GUARD) - DENORMAL_GUARD;
                double detected = Math.abs(h - BUTTERWORTH_DAMPING * v1 - v2);
                levels[i] = c == 0 ? detected : Math.max(levels[i], detected);
            }
            splitState[c] = state;
            detectorState1[c] = s1;
            detectorState2[c] = s2;
        }
    }
}
