package desk.engine.meter;

import desk.engine.RealTime;
import desk.engine.dsp.Decibels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The level meters on one pick-off point of a strip, per channel:
 * <ul>
 * <li>sample peak: a display falling 20 dB in 1.7 s (IEC 60268-18), a held peak (held 2 s, then falling with
 * the display), the highest peak since the last reset, and a count of clipped samples (at or above full
 * scale, 0 dBFS) since the last reset;</li>
 * <li>RMS over the last 300 ms (a full-scale sine reads -3.01 dBFS; add {@link #AES17_OFFSET_DB} for the AES17
 * convention, where it reads 0 dBFS), and the RMS of everything since the last reset;</li>
 * <li>VU: the rectified average through the standard VU needle, a second-order system that reaches 99 % of
 * a step in 300 ms and overshoots it by 1.25 % (IEC 60268-17), scaled so that a sine reads its peak level;</li>
 * <li>the K-meter average: RMS (AES17 convention) through a first-order integrator that reaches 99 % of a
 * step in 600 ms;</li>
 * <li>a count of invalid samples (NaN or infinite) that reached the strip since the last reset, which the
 * strip played as silence; like the clip count it only grows until a reset.</li>
 * </ul>
 * The audio thread measures in 10 ms chunks cut at exact sample positions, so readings depend only on the
 * signal; VU and K-meter ballistics run once per chunk on the chunk's averages. The chunk clock keeps
 * running through a reset, so the meters of a strip stay in step. Readings are published once per
 * processed block through a sequence lock that never makes the audio thread wait; {@link #read()} returns a
 * consistent snapshot on any thread.
 * <p>
 * Threads: {@code rt} methods on the audio thread only; {@link #read()} and {@link #reset()} on any thread.
 */
public final class Meter {
    static final double CHUNK_SECONDS = 0.010;
    static final int WINDOW_CHUNKS = 30;
    static final int HOLD_CHUNKS = 200;
    public static final double RELEASE_DB_PER_SECOND = 20.0 / 1.7;
    /** What the AES17 convention adds to an RMS level: a sine reads its peak level. */
    public static final double AES17_OFFSET_DB = 10 * Math.log10(2);
    /** VU needle: damping ratio for a 1.25 % overshoot, and natural frequency for 99 % in 300 ms. */
    static final double VU_DAMPING = 0.8127169864286775;
    static final double VU_NATURAL_RADIANS = 13.51191333404232;
    /** K-meter average: time constant of the power integrator, so that the RMS reaches 99 % in 600 ms. */
    static final double K_TIME_CONSTANT = 0.6 / -Math.log(1 - 0.99 * 0.99);
    private static final float SILENT = 1.0e-20f;
    /**
     * The lowest VU and K-meter level shown, dBFS (below a 24-bit signal's last bit): their ballistics decay
     * towards silence without reaching it, and below this they read negative infinity.
     */
    public static final double NEEDLE_FLOOR_DBFS = -144;

    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(Meter.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int channels;
    private final int chunkLength;
    private final float releasePerChunk;
    private final double vuPositionFromPosition;
    private final double vuPositionFromVelocity;
    private final double vuPositionFromInput;
    private final double vuVelocityFromPosition;
    private final double vuVelocityFromVelocity;
    private final double vuVelocityFromInput;
    private final double kSmoothing;

    private final float[] chunkPeak;
    private final double[] chunkSquares;
    private final double[] chunkMagnitudes;
    private int chunkFill;
    private final double[][] windowMeanSquares;
    private final double[] windowSum;
    private int windowNext;
    private int windowCount;
    private final float[] peakDisplay;
    private final float[] peakHold;
    private final int[] holdAge;
    private final float[] peakMax;
    private final long[] clips;
    private final long[] invalid;
    private final float[] rms;
    private final double[] totalSquares;
    private long totalFrames;
    private final double[] vuPosition;
    private final double[] vuVelocity;
    private final double[] kPower;

    @SuppressWarnings("unused")
    private volatile long version;
    private final float[] publishedPeak;
    private final float[] publishedHold;
    private final float[] publishedMax;
    private final long[] publishedClips;
    private final long[] publishedInvalid;
    private final float[] publishedRms;
    private final double[] publishedAverage;
    private final double[] publishedVu;
    private final double[] publishedK;
    private volatile boolean resetRequested;

    /** A meter for {@code channels} channels at {@code sampleRate}. */
    public Meter(int channels, int sampleRate) {
        this.channels = channels;
        this.chunkLength = Math.max(1, (int) Math.round(sampleRate * CHUNK_SECONDS));
        double chunkSeconds = (double) chunkLength / sampleRate;
        this.releasePerChunk = (float) Decibels.toGain(-RELEASE_DB_PER_SECOND * chunkSeconds);
        double[][] vu = vuStep(chunkSeconds);
        vuPositionFromPosition = vu[0][0];
        vuPositionFromVelocity = vu[0][1];
        vuPositionFromInput = vu[0][2];
        vuVelocityFromPosition = vu[1][0];
        vuVelocityFromVelocity = vu[1][1];
        vuVelocityFromInput = vu[1][2];
        kSmoothing = 1 - Math.exp(-chunkSeconds / K_TIME_CONSTANT);
        chunkPeak = new float[channels];
        chunkSquares = new double[channels];
        chunkMagnitudes = new double[channels];
        windowMeanSquares = new double[channels][WINDOW_CHUNKS];
        windowSum = new double[channels];
        peakDisplay = new float[channels];
        peakHold = new float[channels];
        holdAge = new int[channels];
        peakMax = new float[channels];
        clips = new long[channels];
        invalid = new long[channels];
        rms = new float[channels];
        totalSquares = new double[channels];
        vuPosition = new double[channels];
        vuVelocity = new double[channels];
        kPower = new double[channels];
        publishedPeak = new float[channels];
        publishedHold = new float[channels];
        publishedMax = new float[channels];
        publishedClips = new long[channels];
        publishedInvalid = new long[channels];
        publishedRms = new float[channels];
        publishedAverage = new double[channels];
        publishedVu = new double[channels];
        publishedK = new double[channels];
    }

    /**
     * One chunk of the VU needle, exactly: the state (position, velocity) and the input held over
     * {@code seconds} map to the next state through {@code exp} of the system's augmented matrix.
     */
    private static double[][] vuStep(double seconds) {
        double w = VU_NATURAL_RADIANS;
        double[][] a = {
            {0, seconds, 0},
            {-w * w * seconds, -2 * VU_DAMPING * w * seconds, w * w * seconds},
            {0, 0, 0},
        };
        double[][] sum = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][] term = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int n = 1; n <= 40; n++) {
            double[][] next = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double value = 0;
                    for (int k = 0; k < 3; k++) {
                        value += term[i][k] * a[k][j];
                    }
                    next[i][j] = value / n;
                }
            }
            term = next;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    sum[i][j] += term[i][j];
                }
            }
        }
        return sum;
    }

    /** Number of channels measured. */
    public int channels() {
        return channels;
    }

    /** Asks the audio thread to clear the readings at its next block; any thread. */
    public void reset() {
        resetRequested = true;
    }

    /** Samples left until the current 10 ms chunk is complete; the caller cuts its spans there. */
    @RealTime
    public int rtChunkRemaining() {
        return chunkLength - chunkFill;
    }

    /**
     * Adds one channel's peak, sum of squares, sum of magnitudes and clipped samples over the next span (no
     * longer than the chunk remainder).
     */
    @RealTime
    public void rtAccumulate(int channel, float peak, double sumOfSquares, double sumOfMagnitudes, int clipped) {
        if (peak > chunkPeak[channel]) {
            chunkPeak[channel] = peak;
        }
        chunkSquares[channel] += sumOfSquares;
        chunkMagnitudes[channel] += sumOfMagnitudes;
        clips[channel] += clipped;
    }

    /**
     * Adds {@code samples} invalid samples (NaN or infinite, silenced before they were measured) to channel
     * {@code channel}'s count; call after {@link #rtApplyReset}.
     */
    @RealTime
    public void rtCountInvalid(int channel, int samples) {
        invalid[channel] += samples;
    }

    /** Clears the readings now; on the audio thread, before accumulating a block. */
    @RealTime
    public void rtReset() {
        rtClear();
    }

    /** Clears the readings if a reset was asked for; call before accumulating a block. */
    @RealTime
    public void rtApplyReset() {
        if (resetRequested) {
            rtClear();
        }
    }

    /** Moves the chunk clock on by a span of {@code samples}, all channels accumulated; completes the chunk. */
    @RealTime
    public void rtAdvance(int samples) {
        chunkFill += samples;
        if (chunkFill >= chunkLength) {
            rtCompleteChunk();
        }
    }

    @RealTime
    private void rtCompleteChunk() {
        for (int c = 0; c < channels; c++) {
            float peak = chunkPeak[c];
            float falling = peakDisplay[c] * releasePerChunk;
            peakDisplay[c] = Math.max(peak, falling < SILENT ? 0f : falling);
            if (peak >= peakHold[c]) {
                peakHold[c] = peak;
                holdAge[c] = 0;
            } else if (holdAge[c] >= HOLD_CHUNKS) {
                peakHold[c] = peakDisplay[c];
            } else {
                holdAge[c]++;
            }
            peakMax[c] = Math.max(peakMax[c], peak);
            double meanSquare = chunkSquares[c] / chunkLength;
            double[] window = windowMeanSquares[c];
            windowSum[c] += meanSquare - window[windowNext];
            window[windowNext] = meanSquare;
            totalSquares[c] += chunkSquares[c];
            double input = chunkMagnitudes[c] / chunkLength * (Math.PI / 2);
            double position = vuPosition[c];
            double velocity = vuVelocity[c];
            vuPosition[c] = rtFlush(vuPositionFromPosition * position + vuPositionFromVelocity * velocity
                    + vuPositionFromInput * input);
            vuVelocity[c] = rtFlush(vuVelocityFromPosition * position + vuVelocityFromVelocity * velocity
                    + vuVelocityFromInput * input);
            kPower[c] = rtFlush(kPower[c] + kSmoothing * (meanSquare - kPower[c]));
            chunkPeak[c] = 0f;
            chunkSquares[c] = 0.0;
            chunkMagnitudes[c] = 0.0;
        }
        totalFrames += chunkLength;
        windowNext = windowNext + 1 == WINDOW_CHUNKS ? 0 : windowNext + 1;
        windowCount = Math.min(windowCount + 1, WINDOW_CHUNKS);
        for (int c = 0; c < channels; c++) {
            if (windowNext == 0) {
                rtResumWindow(c);
            }
            rms[c] = (float) Math.sqrt(Math.max(0.0, windowSum[c]) / windowCount);
        }
        chunkFill = 0;
    }

    /** Adds the RMS window up afresh, once per turn, so the running sum carries no rounding drift. */
    @RealTime
    private void rtResumWindow(int channel) {
        double sum = 0.0;
        double[] window = windowMeanSquares[channel];
        for (int k = 0; k < WINDOW_CHUNKS; k++) {
            sum += window[k];
        }
        windowSum[channel] = sum;
    }

    /** Keeps subnormal values out of the ballistics as they decay towards silence. */
    @RealTime
    private static double rtFlush(double value) {
        return Math.abs(value) < 1e-30 ? 0.0 : value;
    }

    @RealTime
    private void rtClear() {
        resetRequested = false;
        for (int c = 0; c < channels; c++) {
            chunkPeak[c] = 0f;
            chunkSquares[c] = 0.0;
            chunkMagnitudes[c] = 0.0;
            peakDisplay[c] = 0f;
            peakHold[c] = 0f;
            holdAge[c] = 0;
            peakMax[c] = 0f;
            clips[c] = 0;
            invalid[c] = 0;
            rms[c] = 0f;
            totalSquares[c] = 0.0;
            vuPosition[c] = 0.0;
            vuVelocity[c] = 0.0;
            kPower[c] = 0.0;
            windowSum[c] = 0.0;
            Arrays.fill(windowMeanSquares[c], 0.0);
        }
        totalFrames = 0;
        windowCount = 0;
        windowNext = 0;
    }

    /** Makes the latest readings visible to readers. */
    @RealTime
    public void rtPublish() {
        long v = (long) VERSION.getOpaque(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        long frames = totalFrames;
        for (int c = 0; c < channels; c++) {
            publishedPeak[c] = peakDisplay[c];
            publishedHold[c] = peakHold[c];
            publishedMax[c] = peakMax[c];
            publishedClips[c] = clips[c];
            publishedInvalid[c] = invalid[c];
            publishedRms[c] = rms[c];
            publishedAverage[c] = frames == 0 ? 0.0 : totalSquares[c] / frames;
            publishedVu[c] = vuPosition[c];
            publishedK[c] = kPower[c];
        }
        VERSION.setRelease(this, v + 2);
    }

    /** A consistent snapshot of the latest readings; any thread, never blocks the audio thread. */
    public MeterReading read() {
        MeterBuffer buffer = new MeterBuffer(channels);
        read(buffer);
        return buffer.reading();
    }

    /**
     * As {@link #read()}, into {@code into} (which must have room for this meter's channels), allocating
     * nothing; the loudness figures of {@code into} are cleared. Any thread, never blocks the audio thread.
     */
    public void read(MeterBuffer into) {
        double[] peak = into.peakDb();
        double[] hold = into.peakHoldDb();
        double[] max = into.peakMaxDb();
        long[] clipped = into.clipsPerChannel();
        long[] nonFinite = into.invalidPerChannel();
        double[] level = into.rmsDb();
        double[] average = into.averageDb();
        double[] vu = into.vuDb();
        double[] k = into.kDb();
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1L) == 0L) {
                for (int c = 0; c < channels; c++) {
                    peak[c] = publishedPeak[c];
                    hold[c] = publishedHold[c];
                    max[c] = publishedMax[c];
                    clipped[c] = publishedClips[c];
                    nonFinite[c] = publishedInvalid[c];
                    level[c] = publishedRms[c];
                    average[c] = publishedAverage[c];
                    vu[c] = publishedVu[c];
                    k[c] = publishedK[c];
                }
                VarHandle.loadLoadFence();
                if ((long) VERSION.getAcquire(this) == before) {
                    break;
                }
            }
            Thread.onSpinWait();
        }
        for (int c = 0; c < channels; c++) {
            peak[c] = Decibels.fromGain(peak[c]);
            hold[c] = Decibels.fromGain(hold[c]);
            max[c] = Decibels.fromGain(max[c]);
            level[c] = Decibels.fromGain(level[c]);
            average[c] = Decibels.fromPower(average[c]) + AES17_OFFSET_DB;
            vu[c] = aboveNeedleFloor(vu[c] > 0 ? Decibels.fromGain(vu[c]) : Double.NEGATIVE_INFINITY);
            k[c] = aboveNeedleFloor(Decibels.fromPower(k[c]) + AES17_OFFSET_DB);
        }
        into.channels(channels);
    }

    private static double aboveNeedleFloor(double db) {
        return db >= NEEDLE_FLOOR_DBFS ? db : Double.NEGATIVE_INFINITY;
    }
}
