package desk.engine;

import desk.engine.dsp.Decibels;

import java.util.Arrays;

/**
 * The breakpoints of one parameter's automation: times in samples on the lane's clock (non-decreasing; two
 * points at one time make a step), values in the parameter's unit, and for each point the interpolation of
 * the segment that starts there. Before the first point the lane holds the first value, after the last the
 * last value. Evaluation is right-continuous: at the time of a step the lane has its new value.
 * <p>
 * Immutable once built (the arrays are copied in and never handed out); any thread, including the audio
 * thread for the {@code valueAt}/{@code gainAt} evaluations, which allocate nothing.
 */
public record AutomationLane(long[] times, double[] values, Interpolation[] interpolations) {
    /** The most points a lane may hold. */
    public static final int MAX_POINTS = 1 << 20;

    /** Copies the arrays so the lane cannot change under the audio thread. */
    public AutomationLane {
        times = times.clone();
        values = values.clone();
        interpolations = interpolations.clone();
    }

    /** Number of points. */
    public int size() {
        return times.length;
    }

    /** Time of point {@code index}, samples. */
    public long time(int index) {
        return times[index];
    }

    /** Null if the lane is well formed for {@code parameter}, else what is wrong, in one line. */
    public String problem(Parameter parameter) {
        if (times.length == 0 || times.length != values.length || times.length != interpolations.length) {
            return "a lane needs at least one point, each with a time, a value and an interpolation";
        }
        if (times.length > MAX_POINTS) {
            return "a lane holds at most " + MAX_POINTS + " points, not " + times.length;
        }
        for (int i = 0; i < times.length; i++) {
            if (times[i] < 0 || times[i] > Limits.MAX_SAMPLE_TIME) {
                return "point time " + times[i] + ": must be 0.." + Limits.MAX_SAMPLE_TIME + " samples";
            }
            if (i > 0 && times[i] < times[i - 1]) {
                return "point times must not go backwards: " + times[i - 1] + " then " + times[i];
            }
            if (interpolations[i] == null) {
                return "point " + (i + 1) + " has no interpolation";
            }
            String problem = parameter.check(values[i]);
            if (problem != null) {
                return parameter.scriptName() + " " + Parameter.format(values[i]) + " " + problem;
            }
        }
        return null;
    }

    /**
     * Where a segment of straight pieces drawn from {@code time} must end so the drawing meets the lane
     * exactly: the next point, or the sample after {@code time} when a single point (a corner, not a step)
     * sits on it. {@link Long#MAX_VALUE} when no point lies ahead.
     */
    @RealTime
    public long rtNextBoundaryAfter(long time) {
        int index = rtSegment(time);
        if (index >= 0 && times[index] == time && (index == 0 || times[index - 1] != time)) {
            return time + 1;
        }
        return index + 1 < times.length ? times[index + 1] : Long.MAX_VALUE;
    }

    /** The value at {@code time} in the parameter's unit, with straight or S-curve segments in that unit. */
    @RealTime
    public double valueAt(long time) {
        int index = rtSegment(time);
        if (index < 0) {
            return values[0];
        }
        if (index == times.length - 1) {
            return values[index];
        }
        double from = values[index];
        double to = values[index + 1];
        double x = (double) (time - times[index]) / (times[index + 1] - times[index]);
        return switch (interpolations[index]) {
            case STEP -> from;
            case S_CURVE -> from + (to - from) * smoothstep(x);
            default -> from + (to - from) * x;
        };
    }

    /** The linear gain at {@code time} of a lane whose values are levels in dB. */
    @RealTime
    public double gainAt(long time) {
        int index = rtSegment(time);
        if (index < 0) {
            return Decibels.toGain(values[0]);
        }
        if (index == times.length - 1) {
            return Decibels.toGain(values[index]);
        }
        double fromDb = values[index];
        double toDb = values[index + 1];
        double x = (double) (time - times[index]) / (times[index + 1] - times[index]);
        Interpolation interpolation = interpolations[index];
        if (interpolation == Interpolation.STEP) {
            return Decibels.toGain(fromDb);
        }
        if (interpolation == Interpolation.DB && fromDb != Double.NEGATIVE_INFINITY
                && toDb != Double.NEGATIVE_INFINITY) {
            return Decibels.toGain(fromDb + (toDb - fromDb) * x);
        }
        double from = Decibels.toGain(fromDb);
        double to = Decibels.toGain(toDb);
        double shaped = interpolation == Interpolation.S_CURVE ? smoothstep(x) : x;
        return from + (to - from) * shaped;
    }

    /**
     * The index of the last point at or before {@code time} (-1 before the first point); of several points
     * at one time, the last.
     */
    @RealTime
    private int rtSegment(long time) {
        int low = 0;
        int high = times.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (times[middle] <= time) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    @RealTime
    private static double smoothstep(double x) {
        return x * x * (3 - 2 * x);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AutomationLane lane && Arrays.equals(times, lane.times)
                && Arrays.equals(values, lane.values) && Arrays.equals(interpolations, lane.interpolations);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(times) + Arrays.hashCode(values)) + Arrays.hashCode(interpolations);
    }

    @Override
    public String toString() {
        return "AutomationLane" + Arrays.toString(times) + Arrays.toString(values);
    }
}
