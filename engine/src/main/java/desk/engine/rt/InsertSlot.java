package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.NativeCalls;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorBatch;
import desk.engine.meter.MeterPoint;

/**
 * One insert in a strip's {@link InsertChain}: its processor, and the crossfade between the processor's
 * output and the dry signal that makes adding, removing, moving and bypassing it click-free. The dry signal
 * is delayed by the processor's latency, so a bypassed insert keeps its place in time; a processor with
 * latency keeps running while bypassed, so its lookahead is full when it comes back, unless it rests (a frozen
 * track's inserts): then it does not run at all, and once woken it runs for its latency, from a reset, before
 * it may be heard again.
 * <p>
 * Threads: built on the control thread; the {@code rt} methods on the audio thread only;
 * {@link #processor()} and {@link #latency()} on any thread.
 */
public final class InsertSlot implements AutoCloseable {
    private final int id;
    private final Processor processor;
    private final boolean nativeCode;
    private final int latency;
    private final int fadeSamples;
    private final float[][] wet;
    private final float[][] dryLine;
    private final int dryMask;
    private final float[][] keyBuffer;
    private int dryPosition;
    private float mix;
    private float mixTarget;
    private boolean bypassed;
    /** Resting: once faded to dry, the processor does not run. */
    private boolean resting;
    /** Samples the processor still has to run after waking before it may be heard. */
    private int waking;
    private boolean removing;
    private boolean moving;
    private InsertSlot moveBefore;
    private StripNode key;
    private MeterPoint keyPoint;

    /**
     * A slot for {@code processor} (prepared for {@code channels} channels), fading over {@code fadeSamples},
     * starting bypassed or not; a processor that takes a side chain gets a buffer for its key signal.
     */
    public InsertSlot(int id, Processor processor, int channels, int fadeSamples, boolean bypassed, boolean keyed) {
        this.id = id;
        this.processor = processor;
        this.nativeCode = processor.runsNativeCode();
        this.latency = processor.latency();
        this.fadeSamples = Math.max(1, fadeSamples);
        this.wet = new float[channels][Limits.MAX_BLOCK];
        int capacity = Integer.highestOneBit(Math.max(1, latency + Limits.MAX_BLOCK) * 2 - 1);
        this.dryLine = latency > 0 ? new float[channels][capacity] : null;
        this.dryMask = capacity - 1;
        this.keyBuffer = keyed ? new float[Limits.MAX_TRACK_CHANNELS][Limits.MAX_BLOCK] : null;
        this.bypassed = bypassed;
    }

    /** The insert's id. */
    public int id() {
        return id;
    }

    /**
     * Releases what the processor holds beyond memory (a plugin's instances), once the audio thread has handed
     * the slot back. Control thread.
     */
    @Override
    public void close() throws Exception {
        if (processor instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The processor it runs. */
    public Processor processor() {
        return processor;
    }

    /** The delay it adds, in samples, bypassed or not. */
    public int latency() {
        return latency;
    }

    /** Sets parameter {@code index} of the processor. */
    @RealTime
    void rtSet(int index, double value) {
        processor.rtSet(index, value);
    }

    /** Glides parameter {@code index} of the processor to {@code value}, reached {@code samples} from now. */
    @RealTime
    void rtGlide(int index, double value, int samples) {
        processor.rtGlide(index, value, samples);
    }

    /** Joins the chain: fades in from dry, or starts processed at once before the first block. */
    @RealTime
    void rtJoin(boolean fade) {
        mixTarget = bypassed ? 0f : 1f;
        mix = fade ? 0f : mixTarget;
    }

    /** Bypasses ({@code true}) or engages the processor, crossfading. */
    @RealTime
    void rtBypass(boolean bypass) {
        if (bypass == bypassed) {
            return;
        }
        bypassed = bypass;
        if (!removing && !moving) {
            rtFadeTo(bypass ? 0f : 1f);
        }
    }

    /**
     * Rests ({@code rest}) or wakes the processor: a resting slot stops running it once faded to dry; woken
     * after it stopped, it resets it and runs it for its latency before fading to it (unless bypassed).
     */
    @RealTime
    void rtRest(boolean rest) {
        if (rest == resting) {
            return;
        }
        resting = rest;
        if (!rest && latency > 0 && mix == 0f && mixTarget == 0f) {
            processor.rtReset();
            waking = latency;
        }
    }

    /**
     * Whether running the slot would leave the signal as it is and change nothing: resting, faded to dry, with no
     * latency to delay the dry signal by, and not waiting to be dropped or moved.
     */
    @RealTime
    boolean rtIdle() {
        return resting && mix == 0f && mixTarget == 0f && dryLine == null && !removing && !moving;
    }

    /** Fades to dry, after which the chain drops the slot. */
    @RealTime
    void rtRemove() {
        removing = true;
        rtFadeTo(0f);
    }

    /** Fades to dry, after which the chain moves the slot before {@code before} (null: to the end) and fades back. */
    @RealTime
    void rtMove(InsertSlot before) {
        moving = true;
        moveBefore = before;
        rtFadeTo(0f);
    }

    /** Listens to {@code strip}'s signal at {@code point} as its side chain (null: its own input). */
    @RealTime
    void rtSetKey(StripNode strip, MeterPoint point) {
        key = strip;
        keyPoint = point;
    }

    /** Whether the slot is silent and waits for the chain to drop it. */
    @RealTime
    boolean rtRemoved() {
        return removing && mix == 0f;
    }

    /** Whether the slot is silent and waits for the chain to move it; then where to. */
    @RealTime
    boolean rtMoveDue() {
        return moving && mix == 0f;
    }

    @RealTime
    InsertSlot rtMoveBefore() {
        return moveBefore;
    }

    /** Called by the chain once moved: fades back in (unless bypassed). */
    @RealTime
    void rtMoved() {
        moving = false;
        moveBefore = null;
        rtFadeTo(bypassed ? 0f : 1f);
    }

    @RealTime
    private void rtFadeTo(float target) {
        if (target > 0f && waking > 0) {
            return;
        }
        if (target > 0f && mix == 0f && mixTarget == 0f && latency == 0) {
            processor.rtReset();
        }
        mixTarget = target;
    }

    /** Runs the processor over {@code signal}, noting in {@link NativeCalls} whose native code runs, if any. */
    @RealTime
    private void rtRunProcessor(float[][] signal, int frames, float[][] key) {
        if (nativeCode) {
            NativeCalls.rtEnter(id);
            processor.rtProcess(signal, frames, key);
            NativeCalls.rtLeave();
        } else {
            processor.rtProcess(signal, frames, key);
        }
    }

    /**
     * Runs the insert over {@code frames} of {@code io}, in place; a processor heard in full, on its own input,
     * is offered to {@code batch} (when given), which may take it to run with other strips' instead.
     */
    @RealTime
    void rtProcess(float[][] io, int frames, ProcessorBatch batch) {
        if (resting && mix == 0f && mixTarget == 0f) {
            if (dryLine != null) {
                rtDelayDry(io, frames);
            }
            return;
        }
        float[][] keySignal = rtKey(io.length, frames);
        if (waking > 0) {
            rtCopy(io, wet, frames);
            rtRunProcessor(wet, frames, keySignal);
            rtDelayDry(io, frames);
            waking = Math.max(0, waking - frames);
            if (waking == 0 && !removing && !moving) {
                rtFadeTo(bypassed ? 0f : 1f);
            }
            return;
        }
        if (mix == mixTarget) {
            if (mix == 1f) {
                if (dryLine != null) {
                    rtFeedDry(io, frames);
                }
                if (batch == null || keySignal != null || !batch.rtOffer(processor, io)) {
                    rtRunProcessor(io, frames, keySignal);
                }
            } else if (dryLine != null) {
                rtCopy(io, wet, frames);
                rtRunProcessor(wet, frames, keySignal);
                rtDelayDry(io, frames);
            }
            return;
        }
        rtCopy(io, wet, frames);
        rtRunProcessor(wet, frames, keySignal);
        if (dryLine != null) {
            rtDelayDry(io, frames);
        }
        float step = (mixTarget > mix ? 1f : -1f) / fadeSamples;
        float start = mix;
        int fade = (int) Math.min(frames, Math.ceil(Math.abs(mixTarget - mix) * fadeSamples));
        for (int c = 0; c < io.length; c++) {
            float[] out = io[c];
            float[] processed = wet[c];
            for (int i = 0; i < frames; i++) {
                float m = i < fade ? Math.max(0f, Math.min(1f, start + step * (i + 1))) : mixTarget;
                out[i] = out[i] + (processed[i] - out[i]) * m;
            }
        }
        mix = fade < frames ? mixTarget : Math.max(0f, Math.min(1f, start + step * fade));
        if (Math.abs(mix - mixTarget) < 0.5f / fadeSamples) {
            mix = mixTarget;
        }
    }

    /** The side chain's signal for the span, or null when the processor listens to its own input. */
    @RealTime
    private float[][] rtKey(int channels, int frames) {
        if (keyBuffer == null || key == null) {
            return null;
        }
        return key.rtCopyKey(keyPoint, keyBuffer, frames) ? keyBuffer : null;
    }

    @RealTime
    private void rtFeedDry(float[][] io, int frames) {
        for (int c = 0; c < io.length; c++) {
            float[] line = dryLine[c];
            float[] x = io[c];
            int position = dryPosition;
            for (int i = 0; i < frames; i++) {
                line[(position + i) & dryMask] = x[i];
            }
        }
        dryPosition = (dryPosition + frames) & dryMask;
    }

    @RealTime
    private void rtDelayDry(float[][] io, int frames) {
        for (int c = 0; c < io.length; c++) {
            float[] line = dryLine[c];
            float[] x = io[c];
            int position = dryPosition;
            for (int i = 0; i < frames; i++) {
                int write = (position + i) & dryMask;
                line[write] = x[i];
                x[i] = line[(write - latency) & dryMask];
            }
        }
        dryPosition = (dryPosition + frames) & dryMask;
    }

    @RealTime
    private static void rtCopy(float[][] from, float[][] to, int frames) {
        for (int c = 0; c < from.length; c++) {
            System.arraycopy(from[c], 0, to[c], 0, frames);
        }
    }
}
