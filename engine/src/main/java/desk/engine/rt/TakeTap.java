package desk.engine.rt;

import desk.engine.RealTime;
import desk.engine.record.Take;

/**
 * Where the audio thread records a take: the live input of each armed track (the input as it arrives,
 * before trim, monitoring and fader), every frame while the transport rolls. The first frame lands on the
 * timeline at the transport position less the round-trip latency, so what was sung to a click lines up with
 * the click; frames that would land before the timeline's start are not written. The file runs on through
 * the passes of a loop; the session cuts it into clips.
 * <p>
 * Threads: built on the control thread; {@code rt} methods on the audio thread only.
 */
public final class TakeTap {
    private final Take take;
    private final StripNode[] strips;
    private final float[][][] inputs;
    private final long latency;
    private boolean begun;
    private long skip;

    public TakeTap(Take take, StripNode[] strips, long latency) {
        this.take = take;
        this.strips = strips;
        this.latency = latency;
        this.inputs = new float[strips.length][][];
        for (int t = 0; t < strips.length; t++) {
            inputs[t] = new float[strips[t].channels()][];
        }
    }

    Take take() {
        return take;
    }

    /** Records the span of {@code length} frames that starts at transport position {@code position}. */
    @RealTime
    void rtCapture(boolean rolling, long position, int length) {
        if (!rolling || !take.rtAccepting()) {
            return;
        }
        if (!begun) {
            long start = position - latency;
            skip = Math.max(0, -start);
            take.rtBegin(Math.max(0, start), position + skip);
            begun = true;
        }
        int offset = (int) Math.min(length, skip);
        skip -= offset;
        int frames = length - offset;
        if (frames == 0 || !take.rtReserve(frames)) {
            return;
        }
        for (int t = 0; t < strips.length; t++) {
            float[][] in = inputs[t];
            for (int c = 0; c < in.length; c++) {
                in[c] = strips[t].rtInput(c);
            }
            take.rtWrite(t, in, offset, frames);
        }
    }

    /** Ends the take. */
    @RealTime
    void rtEnd() {
        take.rtEnd();
    }
}
