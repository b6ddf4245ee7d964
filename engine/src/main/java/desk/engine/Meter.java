package desk.engine;

import desk.engine.dsp.Decibels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A level meter on one pick-off point of a strip: sample peak with a falling display and a held maximum
 * (held for 2 s, then falling with the display),
 * and RMS over a sliding window, per channel.
 * <p>
 * The audio thread measures in 10 ms chunks cut at exact sample positions, so readings depend only on the
 * signal; the chunk clock keeps running through a reset, so the meters of a strip stay in step. The peak display falls by 20 dB in 1.7 s (IEC 60268-18), the held peak stays for 2 s, and the RMS
 * window is the last 300 ms. Readings are published once per processed block through a sequence lock that
 * never makes the audio thread wait; {@link #read()} returns a consistent snapshot on any thread.
 * <p>
 * Threads: {@code rt} methods on the audio thread only; {@link #read()} on any thread.
 */
public final class Meter {
    static final double CHUNK_SECONDS = 0.010;
    static final int WINDOW_CHUNKS = 30;
    static final int HOLD_CHUNKS = 200;
    static final double RELEASE_DB_PER_SECOND = 20.0 / 1.7;
    private static final float SILENT = 1.0e-20f;

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

    private final float[] chunkPeak;
    private final double[] chunkSquares;
    private int chunkFill;
    private final double[][] windowMeanSquares;
    private int windowNext;
    private int windowCount;
    private final float[] peakDisplay;
    private final float[] peakHold;
    private final int[] holdAge;
    private final float[] rms;

    @SuppressWarnings("unused")
    private volatile long version;
    private final float[] publishedPeak;
    private final float[] publishedHold;
    private final float[] publishedRms;
    private volatile boolean resetRequested;

    /** A meter for {@code channels} channels at {@code sampleRate}. */
    public Meter(int channels, int sampleRate) {
        this.channels = channels;
        this.chunkLength = Math.max(1, (int) Math.round(sampleRate * CHUNK_SECONDS));
        this.releasePerChunk = (float) Decibels.toGain(-RELEASE_DB_PER_SECOND * chunkLength / sampleRate);
        chunkPeak = new float[channels];
        chunkSquares = new double[channels];
        windowMeanSquares = new double[channels][WINDOW_CHUNKS];
        peakDisplay = new float[channels];
        peakHold = new float[channels];
        holdAge = new int[channels];
        rms = new float[channels];
        publishedPeak = new float[channels];
        publishedHold = new float[channels];
        publishedRms = new float[channels];
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
    int rtChunkRemaining() {
        return chunkLength - chunkFill;
    }

    /** Adds one channel's peak and sum of squares over the next span (no longer than the chunk remainder). */
    @RealTime
    void rtAccumulate(int channel, float peak, double sumOfSquares) {
        if (peak > chunkPeak[channel]) {
            chunkPeak[channel] = peak;
        }
        chunkSquares[channel] += sumOfSquares;
    }

    /** Moves the chunk clock on by a span of {@code samples}, all channels accumulated; completes the chunk. */
    @RealTime
    void rtAdvance(int samples) {
        if (resetRequested) {
            rtClear();
        }
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
            windowMeanSquares[c][windowNext] = chunkSquares[c] / chunkLength;
            chunkPeak[c] = 0f;
            chunkSquares[c] = 0.0;
        }
        windowNext = (windowNext + 1) % WINDOW_CHUNKS;
        windowCount = Math.min(windowCount + 1, WINDOW_CHUNKS);
        for (int c = 0; c < channels; c++) {
            double sum = 0.0;
            double[] window = windowMeanSquares[c];
            for (int k = 0; k < WINDOW_CHUNKS; k++) {
                sum += window[k];
            }
            rms[c] = (float) Math.sqrt(sum / windowCount);
        }
        chunkFill = 0;
    }

    @RealTime
    private void rtClear() {
        resetRequested = false;
        for (int c = 0; c < channels; c++) {
            chunkPeak[c] = 0f;
            chunkSquares[c] = 0.0;
            peakDisplay[c] = 0f;
            peakHold[c] = 0f;
            holdAge[c] = 0;
            rms[c] = 0f;
            java.util.Arrays.fill(windowMeanSquares[c], 0.0);
        }
        windowCount = 0;
        windowNext = 0;
    }

    /** Makes the latest readings visible to readers. */
    @RealTime
    void rtPublish() {
        long v = (long) VERSION.getOpaque(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        for (int c = 0; c < channels; c++) {
            publishedPeak[c] = peakDisplay[c];
            publishedHold[c] = peakHold[c];
            publishedRms[c] = rms[c];
        }
        VERSION.setRelease(this, v + 2);
    }

    /** A consistent snapshot of the latest readings; any thread, never blocks the audio thread. */
    public MeterReading read() {
        double[] peak = new double[channels];
        double[] hold = new double[channels];
        double[] level = new double[channels];
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1L) == 0L) {
                for (int c = 0; c < channels; c++) {
                    peak[c] = publishedPeak[c];
                    hold[c] = publishedHold[c];
                    level[c] = publishedRms[c];
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
            level[c] = Decibels.fromGain(level[c]);
        }
        return new MeterReading(peak, hold, level);
    }
}
