package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;

import java.util.Arrays;

/**
 * The delay a {@link Connection} adds so that everything arriving at its destination lines up: the
 * difference between the latency of the destination's slowest input and the source's own. The connection
 * mixes the span into this delay's buffers instead of the destination's, and the delay adds what went in
 * {@link #delay()} samples ago onto the destination.
 * <p>
 * Threads: built on the control thread; {@code rt} methods on the audio thread only.
 */
public final class CompensationDelay {
    private final int delay;
    private final float[][] pending;
    private final float[][] ring;
    private final int mask;
    private int position;

    /** A delay of {@code delay} samples (at least 1) on {@code channels} destination channels. */
    public CompensationDelay(int delay, int channels) {
        this.delay = delay;
        int capacity = Integer.highestOneBit((delay + Limits.MAX_BLOCK) * 2 - 1);
        this.pending = new float[channels][Limits.MAX_BLOCK];
        this.ring = new float[channels][capacity];
        this.mask = capacity - 1;
    }

    /** The delay, in samples. */
    public int delay() {
        return delay;
    }

    /** Clears the buffers the span is mixed into, and returns them. */
    @RealTime
    float[][] rtStart(int length) {
        for (float[] channel : pending) {
            Arrays.fill(channel, 0, length, 0f);
        }
        return pending;
    }

    /** Takes in the span mixed since {@link #rtStart} and adds the delayed span onto {@code out}. */
    @RealTime
    void rtFinish(float[][] out, int length) {
        for (int c = 0; c < pending.length; c++) {
            float[] in = pending[c];
            float[] line = ring[c];
            float[] destination = out[c];
            int at = position;
            for (int i = 0; i < length; i++) {
                int write = (at + i) & mask;
                line[write] = in[i];
                destination[i] += line[(write - delay) & mask];
            }
        }
        position = (position + length) & mask;
    }
}
