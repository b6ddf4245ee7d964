package desk.engine.meter;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.loudness.LoudnessMeter;
import desk.engine.loudness.TruePeakMeter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A strip's loudness and true-peak meter at one pick-off point: a {@link LoudnessMeter} (BS.1770-4
 * momentary, short-term, integrated, maxima and loudness range) and a {@link TruePeakMeter} (Annex 2), fed
 * with the strip's samples at that point, with room to assemble those samples when the strip holds them
 * only as a signal and a gain. Readings are published after every block through a sequence lock; the
 * integrated loudness and the range, which scan the gating histograms, are recomputed only when a 100 ms
 * gating step has completed.
 * <p>
 * Threads: made on the control thread and handed to the audio thread through the command ring; {@code rt}
 * methods on the audio thread only; {@link #read} and {@link #reset()} on any thread.
 */
public final class LoudnessTap {
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(LoudnessTap.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MeterPoint point;
    private final LoudnessMeter loudness;
    private final TruePeakMeter truePeak;
    private final float[][] scratch;
    private final float[][] view;
    private volatile boolean resetRequested;
    private long gatingSteps = -1;

    @SuppressWarnings("unused")
    private volatile long version;
    private double momentary = Double.NEGATIVE_INFINITY;
    private double shortTerm = Double.NEGATIVE_INFINITY;
    private double integrated = Double.NEGATIVE_INFINITY;
    private double momentaryMax = Double.NEGATIVE_INFINITY;
    private double shortTermMax = Double.NEGATIVE_INFINITY;
    private double range;
    private double peak = Double.NEGATIVE_INFINITY;

    public LoudnessTap(MeterPoint point, int channels, int sampleRate) {
        this.point = point;
        this.loudness = new LoudnessMeter(sampleRate, channels);
        this.truePeak = new TruePeakMeter(sampleRate, channels);
        this.scratch = new float[channels][Limits.MAX_BLOCK];
        this.view = new float[channels][];
    }

    /** Where the tap picks off. */
    @RealTime
    public MeterPoint point() {
        return point;
    }

    /** Asks the audio thread to start measuring afresh at its next block; any thread, the audio thread too. */
    @RealTime
    public void reset() {
        resetRequested = true;
    }

    /** Channel {@code channel}'s buffer for the caller to assemble samples in. */
    @RealTime
    public float[] rtScratch(int channel) {
        return scratch[channel];
    }

    /** Says where channel {@code channel}'s samples of the next span lie (a signal or the scratch buffer). */
    @RealTime
    public void rtView(int channel, float[] samples) {
        view[channel] = samples;
    }

    /** Measures the span the views point at and publishes the readings. */
    @RealTime
    public void rtMeasure(int length) {
        if (resetRequested) {
            resetRequested = false;
            loudness.reset();
            truePeak.reset();
            gatingSteps = -1;
        }
        loudness.rtAdd(view, 0, length);
        truePeak.rtAdd(view, 0, length);
        long v = (long) VERSION.getOpaque(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        momentary = loudness.momentaryLufs();
        shortTerm = loudness.shortTermLufs();
        momentaryMax = loudness.maxMomentaryLufs();
        shortTermMax = loudness.maxShortTermLufs();
        if (loudness.gatingSteps() != gatingSteps) {
            gatingSteps = loudness.gatingSteps();
            integrated = loudness.integratedLufs();
            range = loudness.loudnessRangeLu();
        }
        peak = truePeak.maxTruePeakDbtp();
        VERSION.setRelease(this, v + 2);
    }

    /**
     * Sets the loudness figures of {@code into} to a consistent snapshot of the latest readings, allocating
     * nothing; any thread, never blocks the audio thread.
     */
    public void read(MeterBuffer into) {
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1L) == 0L) {
                double momentaryNow = momentary;
                double shortTermNow = shortTerm;
                double integratedNow = integrated;
                double momentaryMaxNow = momentaryMax;
                double shortTermMaxNow = shortTermMax;
                double rangeNow = range;
                double peakNow = peak;
                VarHandle.loadLoadFence();
                if ((long) VERSION.getAcquire(this) == before) {
                    into.loudness(momentaryNow, shortTermNow, integratedNow, momentaryMaxNow, shortTermMaxNow,
                            rangeNow, peakNow);
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }
}
