package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.Arrays;
import java.util.List;

/**
 * The gate insert: a downward expander that turns the signal down by {@code range} while its key is quiet.
 * <p>
 * The detector is the peak over the channels of the key (the strip's own input when no side chain is
 * routed), each channel first through the optional second-order Butterworth high-pass {@code sidechain_hpf}
 * and low-pass {@code sidechain_lpf}; they shape what the gate listens to, never what it lets through. The gate
 * opens on the first sample at or above {@code threshold}; once open it stays open while the detector reaches
 * {@code threshold - hysteresis}, and for {@code hold} after the last sample that did, then closes. A level
 * between the two thresholds leaves the gate as it was. A hold of a few milliseconds also keeps a low tone's
 * zero crossings from closing it (half the period: 10 ms for 50 Hz).
 * <p>
 * The gain moves in dB, from {@code range} to 0 dB as a one-pole of time constant {@code attack} when the gate
 * opens and back with time constant {@code release} when it closes; every channel gets the same gain.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class Gate implements Processor {
    /**
     * Its type: parameters {@code threshold}, {@code range}, {@code attack}, {@code hold}, {@code release},
     * {@code hysteresis}, {@code sidechain_hpf}, {@code sidechain_lpf}; it takes a side chain.
     */
    public static final ProcessorType TYPE = new ProcessorType("gate",
            "Gate and downward expander: turns the signal down while its key stays under the threshold.",
            List.of(InsertParameter.number("threshold", "dB", -80, 0, -40, "key level that opens the gate"),
                    InsertParameter.number("range", "dB", -80, 0, -80,
                            "gain while closed: -80 shuts it, -10 only lowers the signal"),
                    InsertParameter.number("attack", "ms", 0.1, 100, 1, "time constant of the opening"),
                    InsertParameter.number("hold", "ms", 0, 2000, 20,
                            "how long it stays open after the key falls under the closing threshold"),
                    InsertParameter.number("release", "ms", 1, 4000, 100, "time constant of the closing"),
                    InsertParameter.number("hysteresis", "dB", 0, 20, 6,
                            "the gate closes this far under the threshold"),
                    InsertParameter.number("sidechain_hpf", "Hz", 0, 20000, 0,
                            "high-pass on what the gate listens to (0: off)"),
                    InsertParameter.number("sidechain_lpf", "Hz", 0, 20000, 0,
                            "low-pass on what the gate listens to (0: off)")),
            true, Gate::new);

    private static final int THRESHOLD = 0;
    private static final int RANGE = 1;
    private static final int ATTACK = 2;
    private static final int HOLD = 3;
    private static final int RELEASE = 4;
    private static final int HYSTERESIS = 5;
    private static final int SIDECHAIN_HPF = 6;
    private static final int SIDECHAIN_LPF = 7;
    /** Butterworth damping of the side-chain filters: 1 / Q with Q = 1 / sqrt(2). */
    private static final double BUTTERWORTH_DAMPING = Math.sqrt(2);
    /** Highest side-chain filter frequency, as a share of the sample rate (just under Nyquist). */
    private static final double HIGHEST_FILTER_SHARE = 0.49;
    /** Closer than this to its target, in dB, the gain lands on it. */
    private static final double LANDING_DB = 1e-4;
    /** Added and taken away again on the filters' states: flushes values far below hearing to zero. */
    private static final double DENORMAL_GUARD = 1e-20;
    private static final double DB_TO_LOG = Math.log(10) / 20;

    private int sampleRate;
    private int channels;
    private final double[] values = new double[8];
    private double openLevel;
    private double closeLevel;
    private double attackCoefficient;
    private double releaseCoefficient;
    private int holdSamples;
    private final Svf highPass = new Svf();
    private final Svf lowPass = new Svf();
    private boolean open;
    private int holdLeft;
    private double gainDb;
    private double gain;
    private double[] filtered;
    private double[] levels;
    private float[] gains;
    private volatile double gainReductionDb;

    /** A second-order state-variable filter (trapezoidal), one state pair per channel. */
    private static final class Svf {
        boolean on;
        double a1;
        double a2;
        double a3;
        double[] state1;
        double[] state2;
    }

    @Override
    public void prepare(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        highPass.state1 = new double[channels];
        highPass.state2 = new double[channels];
        lowPass.state1 = new double[channels];
        lowPass.state2 = new double[channels];
        filtered = new double[Limits.MAX_BLOCK];
        levels = new double[Limits.MAX_BLOCK];
        gains = new float[Limits.MAX_BLOCK];
    }

    @Override
    public double gainReductionDb() {
        return gainReductionDb;
    }

    /** Takes effect on the next sample; the gain itself always moves with the attack and release. */
    @Override
    @RealTime
    public void rtSet(int index, double value) {
        values[index] = value;
        switch (index) {
            case THRESHOLD, HYSTERESIS -> {
                openLevel = Math.exp(values[THRESHOLD] * DB_TO_LOG);
                closeLevel = Math.exp((values[THRESHOLD] - values[HYSTERESIS]) * DB_TO_LOG);
            }
            case ATTACK -> attackCoefficient = rtOnePole(value);
            case HOLD -> holdSamples = (int) Math.round(value * sampleRate / 1000);
            case RELEASE -> releaseCoefficient = rtOnePole(value);
            case SIDECHAIN_HPF -> rtDesign(highPass, value);
            case SIDECHAIN_LPF -> rtDesign(lowPass, value);
            default -> {
            }
        }
    }

    /** The coefficient of a one-pole with time constant {@code milliseconds}. */
    @RealTime
    private double rtOnePole(double milliseconds) {
        return Math.exp(-1000 / (milliseconds * sampleRate));
    }

    /** Sets a side-chain filter to {@code hertz} (0: off); one switched on starts from silence. */
    @RealTime
    private void rtDesign(Svf filter, double hertz) {
        boolean wasOn = filter.on;
        filter.on = hertz > 0;
        if (!filter.on) {
            return;
        }
        if (!wasOn) {
            rtClear(filter);
        }
        double g = Math.tan(Math.PI * Math.min(hertz, HIGHEST_FILTER_SHARE * sampleRate) / sampleRate);
        filter.a1 = 1 / (1 + g * (g + BUTTERWORTH_DAMPING));
        filter.a2 = g * filter.a1;
        filter.a3 = g * filter.a2;
    }

    @RealTime
    private static void rtClear(Svf filter) {
        Arrays.fill(filter.state1, 0);
        Arrays.fill(filter.state2, 0);
    }

    /** Starts closed, as after silence, with the filters cleared. */
    @Override
    @RealTime
    public void rtReset() {
        rtClear(highPass);
        rtClear(lowPass);
        open = false;
        holdLeft = 0;
        gainDb = values[RANGE];
        gain = Math.exp(gainDb * DB_TO_LOG);
        gainReductionDb = Math.max(0, -gainDb);
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        rtLevels(key == null ? io : key, frames);
        double lowestDb = gainDb;
        boolean unity = true;
        for (int i = 0; i < frames; i++) {
            rtDecide(levels[i]);
            rtMoveGain();
            lowestDb = Math.min(lowestDb, gainDb);
            gains[i] = (float) gain;
            unity &= gain == 1;
        }
        if (!unity) {
            for (int c = 0; c < channels; c++) {
                float[] x = io[c];
                for (int i = 0; i < frames; i++) {
                    x[i] *= gains[i];
                }
            }
        }
        gainReductionDb = Math.max(0, -lowestDb);
    }

    /** The detector over {@code frames}: each frame's largest magnitude over the filtered key channels. */
    @RealTime
    private void rtLevels(float[][] detected, int frames) {
        for (int c = 0; c < channels; c++) {
            float[] in = detected[c];
            for (int i = 0; i < frames; i++) {
                filtered[i] = in[i];
            }
            if (highPass.on) {
                rtFilter(highPass, c, frames, true);
            }
            if (lowPass.on) {
                rtFilter(lowPass, c, frames, false);
            }
            if (c == 0) {
                for (int i = 0; i < frames; i++) {
                    levels[i] = Math.abs(filtered[i]);
                }
            } else {
                for (int i = 0; i < frames; i++) {
                    levels[i] = Math.max(levels[i], Math.abs(filtered[i]));
                }
            }
        }
    }

    /** Runs channel {@code c}'s detector signal through {@code filter} in place: its high-pass or low-pass output. */
    @RealTime
    private void rtFilter(Svf filter, int c, int frames, boolean highPassOutput) {
        double a1 = filter.a1;
        double a2 = filter.a2;
        double a3 = filter.a3;
        double s1 = filter.state1[c];
        double s2 = filter.state2[c];
        for (int i = 0; i < frames; i++) {
            double x = filtered[i];
            double v3 = x - s2;
            double v1 = a1 * s1 + a2 * v3;
            double v2 = s2 + a2 * s1 + a3 * v3;
            s1 = (2 * v1 - s1 + DENORMAL_GUARD) - DENORMAL_GUARD;
            s2 = (2 * v2 - s2 + DENORMAL_GUARD) - DENORMAL_GUARD;
            filtered[i] = highPassOutput ? x - BUTTERWORTH_DAMPING * v1 - v2 : v2;
        }
        filter.state1[c] = s1;
        filter.state2[c] = s2;
    }

    /** Opens, holds or closes the gate for a sample whose detector reads {@code level}. */
    @RealTime
    private void rtDecide(double level) {
        if (level >= openLevel || open && level >= closeLevel) {
            open = true;
            holdLeft = holdSamples;
        } else if (holdLeft > 0) {
            holdLeft--;
        } else {
            open = false;
        }
    }

    /** Moves the gain one sample towards 0 dB (open) or the range (closed). */
    @RealTime
    private void rtMoveGain() {
        double target = open ? 0 : values[RANGE];
        if (gainDb == target) {
            return;
        }
        double coefficient = target > gainDb ? attackCoefficient : releaseCoefficient;
        gainDb = target + (gainDb - target) * coefficient;
        if (Math.abs(gainDb - target) < LANDING_DB) {
            gainDb = target;
        }
        gain = Math.exp(gainDb * DB_TO_LOG);
    }
}
