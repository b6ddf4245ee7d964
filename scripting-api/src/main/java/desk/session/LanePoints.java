package desk.session;

import desk.engine.AutomationLane;
import desk.engine.Interpolation;

import java.nio.charset.StandardCharsets;

/**
 * A lane's points as a session document holds them: the engine's immutable lane (times in samples) and the
 * rate they are counted at. A session file writes them one point per line, {@code [seconds, value,
 * "interpolation"]}, seconds to the microsecond (which rounds back to the same sample at every rate Desk
 * runs at); that text is made once per indentation and kept, so a lane that did not change since the last
 * save or copy of unsaved changes costs only its bytes. Two are equal when they hold the same engine lane.
 * <p>
 * Threads: any; immutable apart from the kept text, which any thread may make (the same bytes each time).
 */
final class LanePoints {
    private final AutomationLane lane;
    private final int rate;
    private volatile Text text;

    private record Text(int indent, byte[] bytes) {
    }

    LanePoints(AutomationLane lane, int rate) {
        this.lane = lane;
        this.rate = rate;
    }

    /** The points, times in samples at {@link #rate()}. */
    AutomationLane lane() {
        return lane;
    }

    /** Whether the text for {@code indent} is made already. */
    boolean written(int indent) {
        Text made = text;
        return made != null && made.indent() == indent;
    }

    /**
     * The points as a JSON array, its items one per line {@code indent + 2} spaces in and its closing bracket
     * {@code indent} in (a single point on one line, as a session file writes short arrays).
     */
    byte[] json(int indent) {
        Text made = text;
        if (made == null || made.indent() != indent) {
            made = new Text(indent, format(indent));
            text = made;
        }
        return made.bytes();
    }

    /** The text, built with {@link StringBuilder}'s own number writing (no string made per number). */
    private byte[] format(int indent) {
        int size = lane.size();
        if (size == 0) {
            return new byte[] {'[', ']'};
        }
        StringBuilder out = new StringBuilder(size * (indent + 48) + indent + 8);
        long[] times = lane.times();
        double[] values = lane.values();
        Interpolation[] interpolations = lane.interpolations();
        out.append('[');
        for (int i = 0; i < size; i++) {
            if (size > 1) {
                out.append('\n').repeat(' ', indent + 2);
            }
            out.append('[');
            seconds(out, times[i], rate);
            out.append(", ");
            value(out, values[i]);
            out.append(", \"").append(interpolations[i].scriptName()).append("\"]");
            if (i + 1 < size) {
                out.append(',');
            }
        }
        if (size > 1) {
            out.append('\n').repeat(' ', indent);
        }
        return out.append(']').toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Samples as seconds rounded to the microsecond, exactly (no floating point on the way): the nearest
     * microsecond is within 0.2 samples at 384 kHz, so {@link SessionDocument#samples} rounds back to the sample.
     */
    static long microseconds(long samples, int rate) {
        return Math.floorDiv(samples * 1_000_000L + rate / 2, rate);
    }

    /** Whole and fractional microseconds, trailing zeros dropped but one digit kept: "0.5", "12.000125", "3.0". */
    private static void seconds(StringBuilder out, long samples, int rate) {
        long micros = microseconds(samples, rate);
        out.append(micros / 1_000_000L).append('.');
        long fraction = micros % 1_000_000L;
        if (fraction == 0) {
            out.append('0');
            return;
        }
        int digits = 6;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        for (long padded = fraction * 10; padded < POWERS_OF_TEN[digits]; padded *= 10) {
            out.append('0');
        }
        out.append(fraction);
    }

    /** 10^n for the n digits of a fraction of a second: a leading zero for each power its value falls short of. */
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /** A value as the rest of the file writes numbers; an infinite level as users write it, "-inf". */
    private static void value(StringBuilder out, double value) {
        if (Double.isInfinite(value)) {
            out.append(value < 0 ? "\"-inf\"" : "\"inf\"");
        } else {
            out.append(value);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LanePoints points && points.lane == lane && points.rate == rate;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(lane) * 31 + rate;
    }

    @Override
    public String toString() {
        return lane.size() + " points";
    }
}
