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
 * together in one pass over the samples, so their recursions overlap on the processor.
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
    private static final int SECTIONS = 10;
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

    /** What a section is. */
    private enum Shape { HIGH_PASS, LOW_PASS, LOW_SHELF, HIGH_SHELF, PEAK }

    /** One biquad: its shape, its parameters gliding to their targets, its coefficients and its states. */
    private static final class Section {
        final Shape shape;
        /** Frequency in octaves (log2 Hz), gain in dB, Q in octaves (log2 Q): now, target and step per sample. */
        double frequency;
        double gain;
        double q;
        double frequencyTarget;
        double gainTarget;
        double qTarget;
        double frequencyStep;
        double gainStep;
        double qStep;
        int glideLeft;
        /** Whether it runs: a filter switched on, or a band off 0 dB (or gliding). */
        boolean on;
        /** Whether it should run once its glide ends. */
        boolean onTarget;
        double b0;
        double b1;
        double b2;
        double a1;
        double a2;
        final double[] s1;
        final double[] s2;

        Section(Shape shape, int channels) {
            this.shape = shape;
            this.s1 = new double[channels];
            this.s2 = new double[channels];
        }
    }

    private final double[] target = new double[TYPE.parameters().size()];
    private final Section[] sections = new Section[SECTIONS];
    private final Section[] running = new Section[SECTIONS];
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
        sections[0] = new Section(Shape.HIGH_PASS, channels);
        sections[1] = new Section(Shape.HIGH_PASS, channels);
        sections[2] = new Section(Shape.LOW_PASS, channels);
        sections[3] = new Section(Shape.LOW_PASS, channels);
        sections[4] = new Section(Shape.LOW_SHELF, channels);
        sections[5] = new Section(Shape.HIGH_SHELF, channels);
        for (int b = 0; b < 4; b++) {
            sections[6 + b] = new Section(Shape.PEAK, channels);
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
    private void rtAimFilter(Section section, double hz, double edgeHz, double q, int samples) {
        boolean on = hz > 0;
        if (on && !section.on) {
            section.frequency = rtOctaves(edgeHz);
            section.q = Math.log(q) / Math.log(2);
            section.gain = 0;
            section.on = true;
            rtCoefficients(section);
        }
        rtAimSection(section, on ? hz : edgeHz, 0, q, samples, on);
    }

    @RealTime
    private void rtAim(Section section, double hz, double gainDb, double q, int samples) {
        boolean on = gainDb != 0;
        if (on && !section.on) {
            section.frequency = rtOctaves(hz);
            section.q = Math.log(q) / Math.log(2);
            section.gain = 0;
            section.on = true;
            rtCoefficients(section);
        }
        rtAimSection(section, hz, gainDb, q, samples, on);
    }

    @RealTime
    private void rtAimSection(Section section, double hz, double gainDb, double q, int samples, boolean on) {
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
    private void rtArrive(Section section) {
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
        for (Section section : sections) {
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
            for (Section section : sections) {
                if (section.glideLeft > 0) {
                    gliding = true;
                    piece = Math.min(piece, Math.min(COEFFICIENT_PERIOD, section.glideLeft));
                }
            }
            if (gliding) {
                for (Section section : sections) {
                    if (section.glideLeft > 0) {
                        rtStep(section, piece);
                    }
                }
            }
            int count = 0;
            for (Section section : sections) {
                if (section.on) {
                    running[count++] = section;
                }
            }
            rtRunAll(io, done, done + piece, count);
            done += piece;
        }
        for (Section section : sections) {
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
    private void rtStep(Section section, int samples) {
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

    /**
     * Runs the {@code count} running sections in series over {@code [from, to)} of every channel, four at a
     * time in one pass; a stereo pair goes through together, so the two channels' recursions overlap too.
     */
    @RealTime
    private void rtRunAll(float[][] io, int from, int to, int count) {
        if (io.length == 2) {
            int first = 0;
            for (; count - first >= 4; first += 4) {
                Section a = running[first];
                Section b = running[first + 1];
                Section d = running[first + 2];
                Section e = running[first + 3];
                if (a.shape == Shape.PEAK && b.shape == Shape.PEAK && d.shape == Shape.PEAK && e.shape == Shape.PEAK) {
                    rtRun4PeaksStereo(io[0], io[1], from, to, a, b, d, e);
                } else {
                    rtRun4Stereo(io[0], io[1], from, to, a, b, d, e);
                }
            }
            for (; first < count; first++) {
                rtRun1Stereo(io[0], io[1], from, to, running[first]);
            }
            return;
        }
        for (int c = 0; c < io.length; c++) {
            int first = 0;
            for (; count - first >= 4; first += 4) {
                rtRun4(io[c], from, to, c, running[first], running[first + 1], running[first + 2], running[first + 3]);
            }
            for (; first < count; first++) {
                rtRun1(io[c], from, to, c, running[first]);
            }
        }
    }

    @RealTime
    private static void rtRun1(float[] x, int from, int to, int c, Section a) {
        double ab0 = a.b0, ab1 = a.b1, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2, as1 = a.s1[c], as2 = a.s2[c];
        for (int i = from; i < to; i++) {
            double in = x[i];
            double y = ab0 * in + as1;
            as1 = ab1 * in - aa1 * y + as2;
            as2 = ab2 * in - aa2 * y;
            x[i] = (float) y;
        }
        a.s1[c] = as1;
        a.s2[c] = as2;
    }

    @RealTime
    private static void rtRun1Stereo(float[] left, float[] right, int from, int to, Section a) {
        double b0 = a.b0, b1 = a.b1, b2 = a.b2, a1 = a.a1, a2 = a.a2;
        double l1 = a.s1[0], l2 = a.s2[0], r1 = a.s1[1], r2 = a.s2[1];
        for (int i = from; i < to; i++) {
            double l = left[i];
            double r = right[i];
            double yl = b0 * l + l1;
            double yr = b0 * r + r1;
            l1 = b1 * l - a1 * yl + l2;
            r1 = b1 * r - a1 * yr + r2;
            l2 = b2 * l - a2 * yl;
            r2 = b2 * r - a2 * yr;
            left[i] = (float) yl;
            right[i] = (float) yr;
        }
        a.s1[0] = l1;
        a.s2[0] = l2;
        a.s1[1] = r1;
        a.s2[1] = r2;
    }

    @RealTime
    private static void rtRun4(float[] x, int from, int to, int c, Section a, Section b, Section d, Section e) {
        double ab0 = a.b0, ab1 = a.b1, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2, as1 = a.s1[c], as2 = a.s2[c];
        double bb0 = b.b0, bb1 = b.b1, bb2 = b.b2, ba1 = b.a1, ba2 = b.a2, bs1 = b.s1[c], bs2 = b.s2[c];
        double db0 = d.b0, db1 = d.b1, db2 = d.b2, da1 = d.a1, da2 = d.a2, ds1 = d.s1[c], ds2 = d.s2[c];
        double eb0 = e.b0, eb1 = e.b1, eb2 = e.b2, ea1 = e.a1, ea2 = e.a2, es1 = e.s1[c], es2 = e.s2[c];
        for (int i = from; i < to; i++) {
            double in = x[i];
            double ya = ab0 * in + as1;
            as1 = ab1 * in - aa1 * ya + as2;
            as2 = ab2 * in - aa2 * ya;
            double yb = bb0 * ya + bs1;
            bs1 = bb1 * ya - ba1 * yb + bs2;
            bs2 = bb2 * ya - ba2 * yb;
            double yd = db0 * yb + ds1;
            ds1 = db1 * yb - da1 * yd + ds2;
            ds2 = db2 * yb - da2 * yd;
            double ye = eb0 * yd + es1;
            es1 = eb1 * yd - ea1 * ye + es2;
            es2 = eb2 * yd - ea2 * ye;
            x[i] = (float) ye;
        }
        a.s1[c] = as1;
        a.s2[c] = as2;
        b.s1[c] = bs1;
        b.s2[c] = bs2;
        d.s1[c] = ds1;
        d.s2[c] = ds2;
        e.s1[c] = es1;
        e.s2[c] = es2;
    }

    @RealTime
    private static void rtRun4Stereo(float[] left, float[] right, int from, int to, Section a, Section b, Section d,
                                     Section e) {
        double ab0 = a.b0, ab1 = a.b1, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2;
        double bb0 = b.b0, bb1 = b.b1, bb2 = b.b2, ba1 = b.a1, ba2 = b.a2;
        double db0 = d.b0, db1 = d.b1, db2 = d.b2, da1 = d.a1, da2 = d.a2;
        double eb0 = e.b0, eb1 = e.b1, eb2 = e.b2, ea1 = e.a1, ea2 = e.a2;
        double al1 = a.s1[0], al2 = a.s2[0], ar1 = a.s1[1], ar2 = a.s2[1];
        double bl1 = b.s1[0], bl2 = b.s2[0], br1 = b.s1[1], br2 = b.s2[1];
        double dl1 = d.s1[0], dl2 = d.s2[0], dr1 = d.s1[1], dr2 = d.s2[1];
        double el1 = e.s1[0], el2 = e.s2[0], er1 = e.s1[1], er2 = e.s2[1];
        for (int i = from; i < to; i++) {
            double l = left[i];
            double r = right[i];
            double yal = ab0 * l + al1;
            double yar = ab0 * r + ar1;
            al1 = ab1 * l - aa1 * yal + al2;
            ar1 = ab1 * r - aa1 * yar + ar2;
            al2 = ab2 * l - aa2 * yal;
            ar2 = ab2 * r - aa2 * yar;
            double ybl = bb0 * yal + bl1;
            double ybr = bb0 * yar + br1;
            bl1 = bb1 * yal - ba1 * ybl + bl2;
            br1 = bb1 * yar - ba1 * ybr + br2;
            bl2 = bb2 * yal - ba2 * ybl;
            br2 = bb2 * yar - ba2 * ybr;
            double ydl = db0 * ybl + dl1;
            double ydr = db0 * ybr + dr1;
            dl1 = db1 * ybl - da1 * ydl + dl2;
            dr1 = db1 * ybr - da1 * ydr + dr2;
            dl2 = db2 * ybl - da2 * ydl;
            dr2 = db2 * ybr - da2 * ydr;
            double yel = eb0 * ydl + el1;
            double yer = eb0 * ydr + er1;
            el1 = eb1 * ydl - ea1 * yel + el2;
            er1 = eb1 * ydr - ea1 * yer + er2;
            el2 = eb2 * ydl - ea2 * yel;
            er2 = eb2 * ydr - ea2 * yer;
            left[i] = (float) yel;
            right[i] = (float) yer;
        }
        a.s1[0] = al1;
        a.s2[0] = al2;
        a.s1[1] = ar1;
        a.s2[1] = ar2;
        b.s1[0] = bl1;
        b.s2[0] = bl2;
        b.s1[1] = br1;
        b.s2[1] = br2;
        d.s1[0] = dl1;
        d.s2[0] = dl2;
        d.s1[1] = dr1;
        d.s2[1] = dr2;
        e.s1[0] = el1;
        e.s2[0] = el2;
        e.s1[1] = er1;
        e.s2[1] = er2;
    }

    /**
     * As {@link #rtRun4Stereo} for four peaking bands, whose b1 equals their a1: each section's middle state
     * takes one product, a1 (x - y), instead of two.
     */
    @RealTime
    private static void rtRun4PeaksStereo(float[] left, float[] right, int from, int to, Section a, Section b,
                                          Section d, Section e) {
        double ab0 = a.b0, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2;
        double bb0 = b.b0, bb2 = b.b2, ba1 = b.a1, ba2 = b.a2;
        double db0 = d.b0, db2 = d.b2, da1 = d.a1, da2 = d.a2;
        double eb0 = e.b0, eb2 = e.b2, ea1 = e.a1, ea2 = e.a2;
        double al1 = a.s1[0], al2 = a.s2[0], ar1 = a.s1[1], ar2 = a.s2[1];
        double bl1 = b.s1[0], bl2 = b.s2[0], br1 = b.s1[1], br2 = b.s2[1];
        double dl1 = d.s1[0], dl2 = d.s2[0], dr1 = d.s1[1], dr2 = d.s2[1];
        double el1 = e.s1[0], el2 = e.s2[0], er1 = e.s1[1], er2 = e.s2[1];
        for (int i = from; i < to; i++) {
            double l = left[i];
            double r = right[i];
            double yal = ab0 * l + al1;
            double yar = ab0 * r + ar1;
            al1 = aa1 * (l - yal) + al2;
            ar1 = aa1 * (r - yar) + ar2;
            al2 = ab2 * l - aa2 * yal;
            ar2 = ab2 * r - aa2 * yar;
            double ybl = bb0 * yal + bl1;
            double ybr = bb0 * yar + br1;
            bl1 = ba1 * (yal - ybl) + bl2;
            br1 = ba1 * (yar - ybr) + br2;
            bl2 = bb2 * yal - ba2 * ybl;
            br2 = bb2 * yar - ba2 * ybr;
            double ydl = db0 * ybl + dl1;
            double ydr = db0 * ybr + dr1;
            dl1 = da1 * (ybl - ydl) + dl2;
            dr1 = da1 * (ybr - ydr) + dr2;
            dl2 = db2 * ybl - da2 * ydl;
            dr2 = db2 * ybr - da2 * ydr;
            double yel = eb0 * ydl + el1;
            double yer = eb0 * ydr + er1;
            el1 = ea1 * (ydl - yel) + el2;
            er1 = ea1 * (ydr - yer) + er2;
            el2 = eb2 * ydl - ea2 * yel;
            er2 = eb2 * ydr - ea2 * yer;
            left[i] = (float) yel;
            right[i] = (float) yer;
        }
        a.s1[0] = al1;
        a.s2[0] = al2;
        a.s1[1] = ar1;
        a.s2[1] = ar2;
        b.s1[0] = bl1;
        b.s2[0] = bl2;
        b.s1[1] = br1;
        b.s2[1] = br2;
        d.s1[0] = dl1;
        d.s2[0] = dl2;
        d.s1[1] = dr1;
        d.s2[1] = dr2;
        e.s1[0] = el1;
        e.s2[0] = el2;
        e.s1[1] = er1;
        e.s2[1] = er2;
    }

    /** The RBJ cookbook coefficients of a section at its parameters now, normalised by a0. */
    @RealTime
    private void rtCoefficients(Section s) {
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
                double sign = s.shape == Shape.LOW_SHELF ? 1 : -1;
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
