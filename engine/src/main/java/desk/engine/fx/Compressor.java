package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.dsp.FastMath;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.List;

/**
 * The compressor insert: feed-forward, with the detector and the gain law in the log domain (Giannoulis,
 * Massberg and Reiss, "Digital Dynamic Range Compressor Design", 2012). The detector reads the side chain
 * (the insert's own input unless a key is given, high-passed if asked), linked across the channels (the
 * largest of them sample by sample), every {@value #CONTROL_PERIOD} samples: its peak, or its mean square
 * over {@value #RMS_MILLISECONDS} ms. The
 * gain computer has a quadratic soft knee {@code knee} dB wide around the threshold; the gain reduction in
 * dB is smoothed by one-pole filters whose time constants are {@code attack} (as the reduction grows) and
 * {@code release} (as it shrinks): the time from a step to cover 1 - 1/e of it. The linear gain, with the
 * make-up, moves in a straight line across each control period, one period behind the detector, so the
 * output does not depend on how blocks are cut. Decibels come from {@link FastMath}, not a {@code log} per sample.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class Compressor implements Processor {
    /** Samples between evaluations of the detector and the gain law. */
    static final int CONTROL_PERIOD = 16;
    /** Averaging time of the RMS detector. */
    static final double RMS_MILLISECONDS = 10;
    /** Levels below this are treated as this, dB. */
    private static final double FLOOR_DB = -200;

    /** Its type: the parameters listed in the API reference. */
    public static final ProcessorType TYPE = new ProcessorType("compressor",
            "Feed-forward compressor with a soft knee, peak or RMS detection and a side chain.",
            List.of(InsertParameter.number("threshold", "dB", -60, 0, -18, "level above which the gain is reduced"),
                    InsertParameter.number("ratio", "", 1, 20, 4, "input dB over the threshold per output dB"),
                    InsertParameter.number("knee", "dB", 0, 24, 6, "width of the soft knee around the threshold"),
                    InsertParameter.number("attack", "ms", 0.1, 500, 10, "time constant as the reduction grows"),
                    InsertParameter.number("release", "ms", 5, 5000, 120, "time constant as the reduction shrinks"),
                    InsertParameter.number("makeup", "dB", -12, 24, 0, "gain after the compression"),
                    InsertParameter.choice("detector", List.of("peak", "rms"), "peak", "what the detector measures"),
                    InsertParameter.number("sidechain_hpf", "Hz", 0, 500, 0,
                            "high-pass on the side chain, so low end does not pump it (0: off)")),
            true, Compressor::new);

    private static final int THRESHOLD = 0;
    private static final int RATIO = 1;
    private static final int KNEE = 2;
    private static final int ATTACK = 3;
    private static final int RELEASE = 4;
    private static final int MAKEUP = 5;
    private static final int DETECTOR = 6;
    private static final int SIDECHAIN_HPF = 7;

    private final double[] target = new double[TYPE.parameters().size()];
    private int sampleRate;
    private int channels;
    private int declickSamples;
    private float[][] filtered;
    private float[] levels;
    private float[] gains;
    private double[] filterState1;
    private double[] filterState2;
    private double hb0;
    private double hb1;
    private double hb2;
    private double ha1;
    private double ha2;
    /** 1 / ratio - 1: the gain law's slope above the knee. */
    private double slopeFactor;
    private double attackPole;
    private double releasePole;
    private double rmsPole;
    private double meanSquare;
    private double reductionDb;
    private double makeupDb;
    private double makeupStep;
    private int makeupLeft;
    /** Samples into the control period under way, and the detector's peak or sum of squares over them. */
    private int phase;
    private double blockPeak;
    private double blockSquares;
    /** For each control period ending in a block, the detector's reading, then the gain ramp that follows it. */
    private double[] periodLevels;
    private double[] rampFrom;
    private double[] rampTo;
    private double gainFrom = 1;
    private double gainTo = 1;
    private double mostReduction;
    private volatile double published;

    @Override
    public void prepare(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.declickSamples = Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
        this.filtered = new float[channels][Limits.MAX_BLOCK];
        this.levels = new float[Limits.MAX_BLOCK];
        this.gains = new float[Limits.MAX_BLOCK];
        this.periodLevels = new double[Limits.MAX_BLOCK / CONTROL_PERIOD + 1];
        this.rampFrom = new double[Limits.MAX_BLOCK / CONTROL_PERIOD + 2];
        this.rampTo = new double[Limits.MAX_BLOCK / CONTROL_PERIOD + 2];
        this.filterState1 = new double[channels];
        this.filterState2 = new double[channels];
        this.rmsPole = Math.exp(-CONTROL_PERIOD / (RMS_MILLISECONDS / 1000 * sampleRate));
        FastMath.load();
        for (int i = 0; i < target.length; i++) {
            target[i] = TYPE.parameters().get(i).initial();
        }
    }

    @Override
    public double gainReductionDb() {
        return published;
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
            case ATTACK, RELEASE -> {
                attackPole = rtPole(target[ATTACK]);
                releasePole = rtPole(target[RELEASE]);
            }
            case MAKEUP -> {
                makeupLeft = Math.max(1, (samples + CONTROL_PERIOD - 1) / CONTROL_PERIOD);
                makeupStep = (value - makeupDb) / makeupLeft;
            }
            case SIDECHAIN_HPF -> rtHighPass(value);
            case RATIO -> slopeFactor = 1 / value - 1;
            default -> {
            }
        }
    }

    /**
     * The one-pole coefficient over a control period for a time constant of {@code milliseconds}, counted from
     * the onset: the gain follows the detector half a control period late on average, which the smoothing
     * leaves out (down to a tenth of the time constant).
     */
    @RealTime
    private double rtPole(double milliseconds) {
        double samples = milliseconds / 1000 * sampleRate;
        return Math.exp(-CONTROL_PERIOD / Math.max(samples - CONTROL_PERIOD / 2.0, 0.1 * samples));
    }

    /** The cookbook's second-order Butterworth high-pass at {@code hz} for the side chain. */
    @RealTime
    private void rtHighPass(double hz) {
        if (hz <= 0) {
            return;
        }
        double w0 = 2 * Math.PI * hz / sampleRate;
        double cos = Math.cos(w0);
        double alpha = Math.sin(w0) / (2 * Math.sqrt(0.5));
        double a0 = 1 + alpha;
        hb0 = (1 + cos) / 2 / a0;
        hb1 = -(1 + cos) / a0;
        hb2 = hb0;
        ha1 = -2 * cos / a0;
        ha2 = (1 - alpha) / a0;
    }

    @Override
    @RealTime
    public void rtReset() {
        makeupDb = target[MAKEUP];
        makeupLeft = 0;
        reductionDb = 0;
        meanSquare = 0;
        phase = 0;
        blockPeak = 0;
        blockSquares = 0;
        gainFrom = FastMath.rtFromDb(makeupDb);
        gainTo = gainFrom;
        for (int c = 0; c < channels; c++) {
            filterState1[c] = 0;
            filterState2[c] = 0;
        }
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        float[][] detected = key == null ? io : key;
        if (target[SIDECHAIN_HPF] > 0) {
            rtFilterKey(detected, frames);
            detected = filtered;
        }
        boolean rms = target[DETECTOR] == 1;
        rtLevels(detected, frames, rms);
        mostReduction = 0;
        boolean unity = gainFrom == 1 && gainTo == 1;
        int firstPhase = phase;
        int periods = rtDetect(frames, rms);
        rampFrom[0] = gainFrom;
        rampTo[0] = gainTo;
        for (int k = 0; k < periods; k++) {
            rtControl(rms, periodLevels[k]);
            rampFrom[k + 1] = gainFrom;
            rampTo[k + 1] = gainTo;
            unity &= gainTo == 1;
        }
        for (int done = 0, at = firstPhase, k = 0; done < frames; k++) {
            int piece = Math.min(frames - done, CONTROL_PERIOD - at);
            rtRamp(done, done + piece, at, rampFrom[k], rampTo[k]);
            done += piece;
            at = 0;
        }
        if (!unity) {
            for (int c = 0; c < channels; c++) {
                float[] x = io[c];
                for (int i = 0; i < frames; i++) {
                    x[i] *= gains[i];
                }
            }
        }
        published = mostReduction;
    }

    /**
     * Reads the detector over the block, control period by control period: the peak (or the sum of squares) of
     * each period that ends in it goes into {@link #periodLevels}; returns how many ended. A period cut by the
     * block's end goes on in the next.
     */
    @RealTime
    private int rtDetect(int frames, boolean rms) {
        int periods = 0;
        int done = 0;
        while (done < frames) {
            int piece = Math.min(frames - done, CONTROL_PERIOD - phase);
            if (rms) {
                blockSquares = rtSum(blockSquares, done, done + piece);
            } else {
                blockPeak = Math.max(blockPeak, rtPeak(done, done + piece));
            }
            phase += piece;
            done += piece;
            if (phase == CONTROL_PERIOD) {
                periodLevels[periods++] = rms ? blockSquares : blockPeak;
                phase = 0;
                blockPeak = 0;
                blockSquares = 0;
            }
        }
        return periods;
    }

    /**
     * The largest detector level over {@code [from, to)}. The levels are never negative, so their bits order as
     * they do: integer maxima, four running side by side, take no branch whatever the signal.
     */
    @RealTime
    private float rtPeak(int from, int to) {
        float[] x = levels;
        int m0 = 0;
        int m1 = 0;
        int m2 = 0;
        int m3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            m0 = Math.max(m0, Float.floatToRawIntBits(x[i]));
            m1 = Math.max(m1, Float.floatToRawIntBits(x[i + 1]));
            m2 = Math.max(m2, Float.floatToRawIntBits(x[i + 2]));
            m3 = Math.max(m3, Float.floatToRawIntBits(x[i + 3]));
        }
        for (; i < to; i++) {
            m0 = Math.max(m0, Float.floatToRawIntBits(x[i]));
        }
        return Float.intBitsToFloat(Math.max(Math.max(m0, m1), Math.max(m2, m3)));
    }

    /** {@code sum} plus the detector's squares over {@code [from, to)}, added in order. */
    @RealTime
    private double rtSum(double sum, int from, int to) {
        float[] x = levels;
        for (int i = from; i < to; i++) {
            sum += x[i];
        }
        return sum;
    }

    /**
     * The gains over {@code [from, to)}, {@code phase} samples into a control period: the straight line from
     * {@code start} to {@code end} across the period.
     */
    @RealTime
    private void rtRamp(int from, int to, int phase, double start, double end) {
        double slope = (end - start) / CONTROL_PERIOD;
        float[] out = gains;
        for (int i = from, p = phase + 1; i < to; i++, p++) {
            out[i] = (float) (start + slope * p);
        }
    }

    /** The detector's input, sample by sample: the largest magnitude (or square) over the channels. */
    @RealTime
    private void rtLevels(float[][] detected, int frames, boolean squares) {
        float[] out = levels;
        float[] first = detected[0];
        if (squares) {
            for (int i = 0; i < frames; i++) {
                out[i] = first[i] * first[i];
            }
        } else {
            for (int i = 0; i < frames; i++) {
                out[i] = Math.abs(first[i]);
            }
        }
        for (int c = 1; c < channels; c++) {
            float[] k = detected[c];
            if (squares) {
                for (int i = 0; i < frames; i++) {
                    out[i] = Math.max(out[i], k[i] * k[i]);
                }
            } else {
                for (int i = 0; i < frames; i++) {
                    out[i] = Math.max(out[i], Math.abs(k[i]));
                }
            }
        }
    }

    /**
     * The end of a control period whose detector read {@code level} (its peak, or its sum of squares): the gain
     * law, the smoothing, the next gain ramp.
     */
    @RealTime
    private void rtControl(boolean rms, double level) {
        double levelDb;
        if (rms) {
            meanSquare = rmsPole * meanSquare + (1 - rmsPole) * (level * (1.0 / CONTROL_PERIOD));
            levelDb = meanSquare > 1e-20 ? 0.5 * FastMath.rtToDb(meanSquare) : FLOOR_DB;
        } else {
            levelDb = level > 1e-10 ? FastMath.rtToDb(level) : FLOOR_DB;
        }
        double wanted = rtStaticGainDb(levelDb);
        double pole = wanted < reductionDb ? attackPole : releasePole;
        reductionDb = wanted + (reductionDb - wanted) * pole;
        if (makeupLeft > 0) {
            makeupLeft--;
            makeupDb = makeupLeft == 0 ? target[MAKEUP] : makeupDb + makeupStep;
        }
        mostReduction = Math.max(mostReduction, -reductionDb);
        gainFrom = gainTo;
        gainTo = FastMath.rtFromDb(reductionDb + makeupDb);
    }

    /** The gain law: the change in dB (0 or less) for a level of {@code levelDb}, with the soft knee. */
    @RealTime
    double rtStaticGainDb(double levelDb) {
        double knee = target[KNEE];
        double over = levelDb - target[THRESHOLD];
        if (2 * over <= -knee) {
            return 0;
        }
        if (2 * Math.abs(over) < knee) {
            double into = over + knee / 2;
            return slopeFactor * into * into / (2 * knee);
        }
        return slopeFactor * over;
    }

    /** High-passes the side chain into {@link #filtered}. */
    @RealTime
    private void rtFilterKey(float[][] key, int frames) {
        for (int c = 0; c < channels; c++) {
            float[] in = key[c];
            float[] out = filtered[c];
            double s1 = filterState1[c];
            double s2 = filterState2[c];
            for (int i = 0; i < frames; i++) {
                double x = in[i];
                double y = hb0 * x + s1;
                s1 = hb1 * x - ha1 * y + s2;
                s2 = hb2 * x - ha2 * y;
                out[i] = (float) y;
            }
            filterState1[c] = Math.abs(s1) < 1e-30 ? 0 : s1;
            filterState2[c] = Math.abs(s2) < 1e-30 ? 0 : s2;
        }
    }
}
