package desk.engine.dsp;

import desk.engine.RealTime;

/**
 * A small vector of linear gains that move together to new targets along a straight line in gain, over
 * a fixed number of samples, and then snap exactly to the target: the declick behind every level change.
 * <p>
 * Ramp values depend only on the number of samples since the ramp began, never on how the samples are cut
 * into blocks, so renders are identical at any block size.
 * <p>
 * Threads: created and initialised on any thread before it is published to the audio thread; afterwards
 * only the audio thread touches it.
 */
public final class SmoothedGains {
    private final float[] start;
    private final float[] current;
    private final float[] target;
    private final int rampSamples;
    private int rampPosition;
    private boolean ramping;

    /** A vector of {@code size} gains, all at {@code initial}, ramping over {@code rampSamples} (at least 1). */
    public SmoothedGains(int size, float initial, int rampSamples) {
        if (rampSamples < 1) {
            throw new IllegalArgumentException("ramp length " + rampSamples + ": must be at least 1 sample");
        }
        start = new float[size];
        current = new float[size];
        target = new float[size];
        java.util.Arrays.fill(current, initial);
        java.util.Arrays.fill(target, initial);
        this.rampSamples = rampSamples;
    }

    /** Number of gains in the vector. */
    public int size() {
        return current.length;
    }

    /** Sets every gain to its value at once, with no ramp (used before audio starts). */
    @RealTime
    public void rtJump(float[] values) {
        for (int i = 0; i < current.length; i++) {
            current[i] = values[i];
            target[i] = values[i];
        }
        ramping = false;
    }

    /** Starts a ramp from the present values to {@code values}; a ramp under way restarts from where it is. */
    @RealTime
    public void rtRampTo(float[] values) {
        boolean changes = false;
        for (int i = 0; i < current.length; i++) {
            start[i] = current[i];
            target[i] = values[i];
            changes |= values[i] != current[i];
        }
        ramping = changes;
        rampPosition = 0;
    }

    /** True while a ramp is under way. */
    @RealTime
    public boolean rtRamping() {
        return ramping;
    }

    /** The present value of gain {@code index} (the value reached by the last sample processed). */
    @RealTime
    public float rtCurrent(int index) {
        return current[index];
    }

    /** The value gain {@code index} is heading for. */
    @RealTime
    public float rtTarget(int index) {
        return target[index];
    }

    /**
     * Writes the per-sample values of gain {@code index} for the next {@code length} samples into
     * {@code out[0..length)} without advancing the ramp; call {@link #rtAdvance} once all gains are read.
     */
    @RealTime
    public void rtFill(int index, float[] out, int length) {
        if (!ramping) {
            java.util.Arrays.fill(out, 0, length, current[index]);
            return;
        }
        float from = start[index];
        float delta = target[index] - from;
        float to = target[index];
        float inverse = 1.0f / rampSamples;
        int position = rampPosition;
        for (int i = 0; i < length; i++) {
            position++;
            out[i] = position >= rampSamples ? to : from + delta * (position * inverse);
        }
    }

    /** Moves the ramp on by {@code length} samples. */
    @RealTime
    public void rtAdvance(int length) {
        if (!ramping) {
            return;
        }
        rampPosition += length;
        if (rampPosition >= rampSamples) {
            for (int i = 0; i < current.length; i++) {
                current[i] = target[i];
            }
            ramping = false;
            return;
        }
        float inverse = 1.0f / rampSamples;
        for (int i = 0; i < current.length; i++) {
            current[i] = start[i] + (target[i] - start[i]) * (rampPosition * inverse);
        }
    }
}
