package desk.session;

import desk.engine.AutomationLane;
import desk.engine.Interpolation;

import java.util.Arrays;

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

    private byte[] format(int indent) {
        int size = lane.size();
        if (size == 0) {
            return new byte[] {'[', ']'};
        }
        Ascii out = new Ascii(size * (indent + 48) + indent + 8);
        long[] times = lane.times();
        double[] values = lane.values();
        Interpolation[] interpolations = lane.interpolations();
        out.put('[');
        for (int i = 0; i < size; i++) {
            if (size > 1) {
                out.put('\n').spaces(indent + 2);
            }
            out.put('[').seconds(times[i], rate).put(',').put(' ').value(values[i]).put(',').put(' ').put('"')
                    .put(interpolations[i].scriptName()).put('"').put(']');
            if (i + 1 < size) {
                out.put(',');
            }
        }
        if (size > 1) {
            out.put('\n').spaces(indent);
        }
        return out.put(']').bytes();
    }

    /**
     * Samples as seconds rounded to the microsecond, exactly (no floating point on the way): the nearest
     * microsecond is within 0.2 samples at 384 kHz, so {@link SessionDocument#samples} rounds back to the sample.
     */
    static long microseconds(long samples, int rate) {
        return Math.floorDiv(samples * 1_000_000L + rate / 2, rate);
    }

    /** A growable run of ASCII bytes. */
    private static final class Ascii {
        private byte[] bytes;
        private int length;

        Ascii(int capacity) {
            bytes = new byte[capacity];
        }

        Ascii put(char c) {
            room(1);
            bytes[length++] = (byte) c;
            return this;
        }

        Ascii put(String text) {
            room(text.length());
            for (int i = 0; i < text.length(); i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
            return this;
        }

        Ascii spaces(int count) {
            room(count);
            Arrays.fill(bytes, length, length + count, (byte) ' ');
            length += count;
            return this;
        }

        /** Whole and fractional microseconds, trailing zeros dropped but one digit kept: "0.5", "12.000125", "3.0". */
        Ascii seconds(long samples, int rate) {
            long micros = microseconds(samples, rate);
            put(Long.toString(micros / 1_000_000L)).put('.');
            long fraction = micros % 1_000_000L;
            if (fraction == 0) {
                return put('0');
            }
            int digits = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            String text = Long.toString(fraction);
            for (int pad = text.length(); pad < digits; pad++) {
                put('0');
            }
            return put(text);
        }

        /** A value as the rest of the file writes numbers; an infinite level as users write it, "-inf". */
        Ascii value(double value) {
            if (Double.isInfinite(value)) {
                return put(value < 0 ? "\"-inf\"" : "\"inf\"");
            }
            return put(Double.toString(value));
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] bytes() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
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
