package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.LoopRange;
import desk.engine.RealTime;
import desk.engine.record.Take;

/**
 * Where the audio thread records a take: the live input of each armed track (the input as it arrives,
 * before trim, monitoring and fader), every frame while the transport rolls. The first frame lands on the
 * timeline at the transport position less the round-trip latency, so what was sung to a click lines up with
 * the click; frames that would land before the timeline's start are not written. The file runs on through
 * the passes of a loop; the session cuts it into clips. Should the transport leap otherwise while it rolls (a
 * node's engine following the main one's clock past periods the network lost), the take stays on the
 * timeline: a leap ahead, or frames missing on either side of a jump round the loop, are filled with silence,
 * and after a leap back the frames of the timeline it holds already are left out. A leap ahead of more than
 * {@link #MAX_FILL} frames, or more than the buffer has room for, ends the take there.
 * <p>
 * Threads: built on the control thread; {@code rt} methods on the audio thread only.
 */
public final class TakeTap {
    /** The most frames of silence a leap ahead is filled with, in one callback. */
    public static final int MAX_FILL = 65_536;

    private final Take take;
    private final StripNode[] strips;
    private final float[][][] inputs;
    private final long latency;
    /** Silence to fill a leap of the transport with, per strip and channel (all the same zeros). */
    private final float[][][] silence;
    private boolean begun;
    private long skip;
    /** The transport position the next captured frame should have. */
    private long next;

    public TakeTap(Take take, StripNode[] strips, long latency) {
        this.take = take;
        this.strips = strips;
        this.latency = latency;
        this.inputs = new float[strips.length][][];
        this.silence = new float[strips.length][][];
        float[] zeros = new float[Limits.MAX_BLOCK];
        for (int t = 0; t < strips.length; t++) {
            inputs[t] = new float[strips[t].channels()][];
            silence[t] = new float[strips[t].channels()][];
            java.util.Arrays.fill(silence[t], zeros);
        }
    }

    Take take() {
        return take;
    }

    /**
     * Records the span of {@code length} frames that starts at transport position {@code position}, the
     * transport going round {@code loop} (null: none).
     */
    @RealTime
    void rtCapture(boolean rolling, long position, int length, LoopRange loop) {
        if (!rolling || !take.rtAccepting()) {
            return;
        }
        boolean wrapped = loop != null && position < next && position >= loop.start() && next <= loop.end();
        if (!begun) {
            long start = position - latency;
            skip = Math.max(0, -start);
            take.rtBegin(Math.max(0, start), position + skip);
            begun = true;
        } else if (position != next && skip == 0) {
            long missing = wrapped ? (loop.end() - next) + (position - loop.start()) : position - next;
            if (missing > 0) {
                if (missing > MAX_FILL || missing > take.rtRoom() - length) {
                    take.rtEnd();
                    return;
                }
                rtFillSilence(missing);
                take.rtLeapt(missing, 0);
            } else if (missing < 0) {
                skip = -missing;
                take.rtLeapt(0, skip);
            }
        }
        next = wrapped ? position + length : Math.max(next, position + length);
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

    /** Writes {@code frames} frames of silence to every track. */
    @RealTime
    private void rtFillSilence(long frames) {
        while (frames > 0) {
            int chunk = (int) Math.min(frames, Limits.MAX_BLOCK);
            take.rtReserve(chunk);
            for (int t = 0; t < strips.length; t++) {
                take.rtWrite(t, silence[t], 0, chunk);
            }
            frames -= chunk;
        }
    }

    /** Ends the take. */
    @RealTime
    void rtEnd() {
        take.rtEnd();
    }
}
