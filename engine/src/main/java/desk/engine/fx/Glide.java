package desk.engine.fx;

import desk.engine.RealTime;

/**
 * A parameter's value on its way to a new target: it moves there in a straight line over a fixed number of
 * samples, one sample per {@link #rtNext} call, and lands on the target exactly. Used by the built-in
 * processors against zipper noise.
 * <p>
 * Threads: made on the control thread in a processor's {@code prepare}, then used by the audio thread only.
 */
final class Glide {
    private final int samples;
    private double value;
    private double target;
    private double step;
    private int left;

    /** A glide that takes {@code samples} samples (at least 1), standing at {@code initial}. */
    Glide(int samples, double initial) {
        this.samples = Math.max(1, samples);
        this.value = initial;
        this.target = initial;
    }

    /** Starts the move to {@code goal} from where the value stands now. */
    @RealTime
    void rtAim(double goal) {
        target = goal;
        step = (goal - value) / samples;
        left = value == goal ? 0 : samples;
    }

    /** Jumps to the target. */
    @RealTime
    void rtJump() {
        value = target;
        left = 0;
    }

    /** Moves one sample on and returns the value there. */
    @RealTime
    double rtNext() {
        if (left > 0) {
            left--;
            value = left == 0 ? target : value + step;
        }
        return value;
    }

    /** The value now. */
    @RealTime
    double rtValue() {
        return value;
    }

    /** The value it is moving to (or stands at). */
    @RealTime
    double rtTarget() {
        return target;
    }
}
