package desk.engine.dsp;

import desk.engine.RealTime;

/**
 * A small vector of linear gains that move together to new targets over a number of samples, and then snap
 * exactly to the target: the declick behind every level change, the crossfade behind every change of
 * routing, and the segments automation is drawn with. A ramp is straight in gain by default
 * ({@link #rtRampTo(float[])} uses the standard declick length); {@link #rtRampTo(float[], int, Shape)}
 * sets its own length and shape.
 * <p>
 * Ramp values depend only on the number of samples since the ramp began, never on how the samples are cut
 * into blocks, so renders are identical at any block size.
 * <p>
 * Threads: created and initialised on any thread before it is published to the audio thread; afterwards
 * only the audio thread touches it.
 */
public final class SmoothedGains {
    /** How a ramp moves from its start to its target. */
    public enum Shape {
        /** A straight line in gain. */
        LINEAR,
        /**
         * An equal-power crossfade: a gain rising from zero follows sin(pi/2 x), one falling to zero follows
         * cos(pi/2 x), so two uncorrelated paths fading over the same span keep their summed power; a gain
         * moving between two non-zero values goes straight.
         */
        EQUAL_POWER
    }

    private final float[] start;
    private final float[] current;
    private final float[] target;
    private final int declickSamples;
    private int rampSamples;
    private Shape shape = Shape.LINEAR;
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
        this.declickSamples = rampSamples;
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

    /**
     * Starts a straight declick ramp from the present values to {@code values}; a ramp under way restarts
     * from where it is.
     */
    @RealTime
    public void rtRampTo(float[] values) {
        rtRampTo(values, declickSamples, Shape.LINEAR);
    }

    /**
     * Starts a ramp of {@code samples} samples (at least 1) and the given shape from the present values to
     * {@code values}; a ramp under way restarts from where it is.
     */
    @RealTime
    public void rtRampTo(float[] values, int samples, Shape shape) {
        rampSamples = Math.max(1, samples);
        this.shape = shape;
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
        int position = rampPosition;
        if (shape == Shape.EQUAL_POWER && (from == 0f || to == 0f) && from != to) {
            double quarterTurn = Math.PI / 2 / rampSamples;
            boolean rising = from == 0f;
            for (int i = 0; i < length; i++) {
                position++;
                if (position >= rampSamples) {
                    out[i] = to;
                } else {
                    double angle = position * quarterTurn;
                    out[i] = (float) (rising ? to * Math.sin(angle) : from * Math.cos(angle));
                }
            }
            return;
        }
        float inverse = 1.0f / rampSamples;
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
        for (int i = 0; i < current.length; i++) {
            current[i] = rtValueAt(i, rampPosition);
        }
    }

    @RealTime
    private float rtValueAt(int index, int position) {
        float from = start[index];
        float to = target[index];
        if (shape == Shape.EQUAL_POWER && (from == 0f || to == 0f) && from != to) {
            double angle = position * (Math.PI / 2 / rampSamples);
            return (float) (from == 0f ? to * Math.sin(angle) : from * Math.cos(angle));
        }
        return from + (to - from) * (position * (1.0f / rampSamples));
    }
}
