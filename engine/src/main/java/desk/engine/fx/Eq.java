package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.ArrayList;
import java.util.List;

/**
 * The parametric EQ insert: high- and low-pass filters (12 or 24 dB per octave, Butterworth), low and high
 * shelves and four peaking bands, each an RBJ Audio EQ Cookbook biquad run in transposed direct form II in
 * double precision. A band at 0 dB, or a filter turned off, costs nothing; the bands that are on run
 * together in one pass over the samples, so their recursions overlap on the processor ({@link EqKernels}),
 * and the EQs of many strips run side by side, one channel per vector lane, where the JDK's vector API is there
 * ({@link EqBatch}).
 * <p>
 * A change of frequency, gain or Q glides in a straight line (in octaves, dB and octaves of Q) over the
 * declick time, or over a lane's segment, with the coefficients worked out again every
 * {@value #COEFFICIENT_PERIOD} samples; a filter switched on glides in from the edge of the band (20 Hz for
 * the high-pass, the top for the low-pass) and switched off glides out to it, so nothing clicks.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class Eq implements Processor {
    /** Samples between recalculations of the coefficients of a gliding band. */
    static final int COEFFICIENT_PERIOD = 16;
    /** Most sections: two each for the filters, one per shelf and band. */
    static final int SECTIONS = 10;
    /** The Qs of the sections of a fourth-order Butterworth filter. */
    private static final double[] BUTTERWORTH_4 = {1 / (2 * Math.cos(Math.PI / 8)), 1 / (2 * Math.cos(3 * Math.PI / 8))};
    private static final double BUTTERWORTH_2 = Math.sqrt(0.5);
    private static final double EDGE_LOW_HZ = 20;

    /** Its type: the parameters listed in the API reference. */
    public static final ProcessorType TYPE = new ProcessorType("eq",
            "Parametric EQ: high- and low-pass filters, low and high shelves, four peaking bands (RBJ biquads).",
            parameters(), false, Eq::new);

    private static final int HPF = 0;
    private static final int HPF_SLOPE = 1;
    private static final int LPF = 2;
    private static final int LPF_SLOPE = 3;
    private static final int LOW_FREQ = 4;
    private static final int LOW_GAIN = 5;
    private static final int HIGH_FREQ = 6;
    private static final int HIGH_GAIN = 7;
    private static final int FIRST_BAND = 8;

    private static List<InsertParameter> parameters() {
        List<InsertParameter> list = new ArrayList<>();
        List<String> slopes = List.of("12", "24");
        list.add(InsertParameter.number("hpf", "Hz", 0, 20000, 0, "high-pass corner (0: off)"));
        list.add(InsertParameter.choice("hpf_slope", slopes, "12", "high-pass slope, dB per octave"));
        list.add(InsertParameter.number("lpf", "Hz", 0, 20000, 0, "low-pass corner (0: off)"));
        list.add(InsertParameter.choice("lpf_slope", slopes, "12", "low-pass slope, dB per octave"));
        list.add(InsertParameter.number("low_freq", "Hz", 20, 2000, 100, "low shelf corner"));
        list.add(InsertParameter.number("low_gain", "dB", -24, 24, 0, "low shelf gain"));
        list.add(InsertParameter.number("high_freq", "Hz", 1000, 20000, 10000, "high shelf corner"));
        list.add(InsertParameter.number("high_gain", "dB", -24, 24, 0, "high shelf gain"));
        double[] centres = {100, 500, 2000, 8000};
        for (int b = 1; b <= 4; b++) {
            list.add(InsertParameter.number("b" + b + "_freq", "Hz", 20, 20000, centres[b - 1], "band " + b + " centre"));
            list.add(InsertParameter.number("b" + b + "_gain", "dB", -24, 24, 0, "band " + b + " gain"));
            list.add(InsertParameter.number("b" + b + "_q", "", 0.1, 18, 1, "band " + b + " Q (bandwidth: higher is narrower)"));
        }
        return list;
    }

    private final double[] target = new double[TYPE.parameters().size()];
    private final EqSection[] sections = new EqSection[SECTIONS];
    private final EqSection[] running = new EqSection[SECTIONS];
    private int sampleRate;
    private int channels;
    private int declickSamples;
    private double topHz;

    @Override
    public void prepare(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.declickSamples = Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
        this.topHz = 0.49 * sampleRate;
        EqBatch.compileLoops();
        sections[0] = new EqSection(EqSection.Shape.HIGH_PASS, channels);
        sections[1] = new EqSection(EqSection.Shape.HIGH_PASS, channels);
        sections[2] = new EqSection(EqSection.Shape.LOW_PASS, channels);
        sections[3] = new EqSection(EqSection.Shape.LOW_PASS, channels);
        sections[4] = new EqSection(EqSection.Shape.LOW_SHELF, channels);
        sections[5] = new EqSection(EqSection.Shape.HIGH_SHELF, channels);
        for (int b = 0; b < 4; b++) {
            sections[6 + b] = new EqSection(EqSection.Shape.PEAK, channels);
        }
        for (int i = 0; i < target.length; i++) {
            target[i] = TYPE.parameters().get(i).initial();
        }
    }

    @Override
    public double tailSeconds() {
        return 0.05;
    }

    @Override
    @RealTime
    public void rtSet(int index, double value) {
        rtGlide(index, value, declickSamples);
    }

    @Override
    @RealTime
    public void rtGlide(int index, double value, int samples) {
        target[index] = value;
        switch (index) {
            case HPF, HPF_SLOPE -> {
                boolean steep = target[HPF_SLOPE] == 1;
                rtAimFilter(sections[0], target[HPF], EDGE_LOW_HZ, steep ? BUTTERWORTH_4[0] : BUTTERWORTH_2, samples);
                rtAimFilter(sections[1], steep ? target[HPF] : 0, EDGE_LOW_HZ, BUTTERWORTH_4[1], samples);
            }
            case LPF, LPF_SLOPE -> {
                boolean steep = target[LPF_SLOPE] == 1;
                rtAimFilter(sections[2], target[LPF], topHz, steep ? BUTTERWORTH_4[0] : BUTTERWORTH_2, samples);
                rtAimFilter(sections[3], steep ? target[LPF] : 0, topHz, BUTTERWORTH_4[1], samples);
            }
            case LOW_FREQ, LOW_GAIN -> rtAim(sections[4], target[LOW_FREQ], target[LOW_GAIN], Math.sqrt(0.5), samples);
            case HIGH_FREQ, HIGH_GAIN -> rtAim(sections[5], target[HIGH_FREQ], target[HIGH_GAIN], Math.sqrt(0.5), samples);
            default -> {
                int band = (index - FIRST_BAND) / 3;
                int first = FIRST_BAND + band * 3;
                rtAim(sections[6 + band], target[first], target[first + 1], target[first + 2], samples);
            }
        }
    }

    /** Aims a filter section at {@code hz} with {@code q} (0 Hz: off, gliding out to {@code edgeHz} first). */
    @RealTime
    private void rtAimFilter(EqSection section, double hz, double edgeHz, double q, int samples) {
        boolean on = hz > 0;
        if (on && !section.on) {
            section.frequency = rtOctaves(edgeHz);
            section.q = Math.log(q) / Math.log(2);
            section.gain = 0;
            section.on = true;
            rtCoefficients(section);
        }
        rtAimEqSection(section, on ? hz : edgeHz, 0, q, samples, on);
    }

    @RealTime
    private void rtAim(EqSection section, double hz, double gainDb, double q, int samples) {
        boolean on = gainDb != 0;
        if (on && !section.on) {
            section.frequency = rtOctaves(hz);
            section.q = Math.log(q) / Math.log(2);
            section.gain = 0;
            section.on = true;
            rtCoefficients(section);
        }
        rtAimEqSection(section, hz, gainDb, q, samples, on);
    }

    @RealTime
    private void rtAimEqSection(EqSection section, double hz, double gainDb, double q, int samples, boolean on) {
        section.frequencyTarget = rtOctaves(hz);
        section.gainTarget = gainDb;
        section.qTarget = Math.log(q) / Math.log(2);
        section.onTarget = on;
        if (!section.on) {
            rtArrive(section);
            return;
        }
        int length = Math.max(1, samples);
        section.frequencyStep = (section.frequencyTarget - section.frequency) / length;
        section.gainStep = (section.gainTarget - section.gain) / length;
        section.qStep = (section.qTarget - section.q) / length;
        section.glideLeft = length;
    }

    @RealTime
    private double rtOctaves(double hz) {
        return Math.log(Math.min(Math.max(hz, 1), topHz)) / Math.log(2);
    }

    /** Ends a section's glide on its target, switching it off if that is where it was going. */
    @RealTime
    private void rtArrive(EqSection section) {
        section.frequency = section.frequencyTarget;
        section.gain = section.gainTarget;
        section.q = section.qTarget;
        section.glideLeft = 0;
        if (!section.onTarget) {
            section.on = false;
            for (int c = 0; c < channels; c++) {
                section.s1[c] = 0;
                section.s2[c] = 0;
            }
        } else {
            rtCoefficients(section);
        }
    }

    @Override
    @RealTime
    public void rtReset() {
        for (EqSection section : sections) {
            section.on = section.onTarget;
            if (section.on) {
                rtArrive(section);
            } else {
                section.glideLeft = 0;
            }
            for (int c = 0; c < channels; c++) {
                section.s1[c] = 0;
                section.s2[c] = 0;
            }
        }
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        int done = 0;
        while (done < frames) {
            int piece = frames - done;
            boolean gliding = false;
            for (EqSection section : sections) {
                if (section.glideLeft > 0) {
                    gliding = true;
                    piece = Math.min(piece, Math.min(COEFFICIENT_PERIOD, section.glideLeft));
                }
            }
            if (gliding) {
                for (EqSection section : sections) {
                    if (section.glideLeft > 0) {
                        rtStep(section, piece);
                    }
                }
            }
            int count = 0;
            for (EqSection section : sections) {
                if (section.on) {
                    running[count++] = section;
                }
            }
            EqKernels.rtRunAll(io, done, done + piece, running, count);
            done += piece;
        }
        rtSettleStates();
    }

    /**
     * Readies a block to run beside other EQs' channels ({@link EqBatch}): when no section glides, lists the
     * running sections in {@link #running()} and returns how many; -1 when one glides, as the EQ then works its
     * coefficients out again every {@value #COEFFICIENT_PERIOD} samples and runs on its own.
     */
    @RealTime
    int rtSteadySections() {
        int count = 0;
        for (EqSection section : sections) {
            if (section.glideLeft > 0) {
                return -1;
            }
            if (section.on) {
                running[count++] = section;
            }
        }
        return count;
    }

    /** The sections {@link #rtSteadySections} listed, in the order they run. */
    @RealTime
    EqSection[] running() {
        return running;
    }

    /** Its channels. */
    @RealTime
    int channels() {
        return channels;
    }

    /** Ends a block: states too small to hear are set to zero, so a silent tail never runs on denormals. */
    @RealTime
    void rtSettleStates() {
        for (EqSection section : sections) {
            for (int c = 0; c < channels; c++) {
                if (Math.abs(section.s1[c]) < 1e-30) {
                    section.s1[c] = 0;
                }
                if (Math.abs(section.s2[c]) < 1e-30) {
                    section.s2[c] = 0;
                }
            }
        }
    }

    /** Moves a gliding section {@code samples} on and works its coefficients out there. */
    @RealTime
    private void rtStep(EqSection section, int samples) {
        if (samples >= section.glideLeft) {
            rtArrive(section);
            return;
        }
        section.glideLeft -= samples;
        section.frequency += section.frequencyStep * samples;
        section.gain += section.gainStep * samples;
        section.q += section.qStep * samples;
        rtCoefficients(section);
    }

    /** The RBJ cookbook coefficients of a section at its parameters now, normalised by a0. */
    @RealTime
    private void rtCoefficients(EqSection s) {
        double hz = Math.pow(2, s.frequency);
        double q = Math.pow(2, s.q);
        double w0 = 2 * Math.PI * hz / sampleRate;
        double cos = Math.cos(w0);
        double sin = Math.sin(w0);
        double alpha = sin / (2 * q);
        double b0;
        double b1;
        double b2;
        double a0;
        double a1;
        double a2;
        switch (s.shape) {
            case HIGH_PASS -> {
                b0 = (1 + cos) / 2;
                b1 = -(1 + cos);
                b2 = b0;
                a0 = 1 + alpha;
                a1 = -2 * cos;
                a2 = 1 - alpha;
            }
            case LOW_PASS -> {
                b0 = (1 - cos) / 2;
                b1 = 1 - cos;
                b2 = b0;
                a0 = 1 + alpha;
                a1 = -2 * cos;
                a2 = 1 - alpha;
            }
            case PEAK -> {
                double a = Math.pow(10, s.gain / 40);
                b0 = 1 + alpha * a;
                b1 = -2 * cos;
                b2 = 1 - alpha * a;
                a0 = 1 + alpha / a;
                a1 = -2 * cos;
                a2 = 1 - alpha / a;
            }
            default -> {
                double a = Math.pow(10, s.gain / 40);
                double shelfAlpha = sin / 2 * Math.sqrt(2);
                double root = 2 * Math.sqrt(a) * shelfAlpha;
                double sign = s.shape == EqSection.Shape.LOW_SHELF ? 1 : -1;
                b0 = a * ((a + 1) - sign * (a - 1) * cos + root);
                b1 = sign * 2 * a * ((a - 1) - sign * (a + 1) * cos);
                b2 = a * ((a + 1) - sign * (a - 1) * cos - root);
                a0 = (a + 1) + sign * (a - 1) * cos + root;
                a1 = -sign * 2 * ((a - 1) + sign * (a + 1) * cos);
                a2 = (a + 1) + sign * (a - 1) * cos - root;
            }
        }
        s.b0 = b0 / a0;
        s.b1 = b1 / a0;
        s.b2 = b2 / a0;
        s.a1 = a1 / a0;
        s.a2 = a2 / a0;
    }
}
