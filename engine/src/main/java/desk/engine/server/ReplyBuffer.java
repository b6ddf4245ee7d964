package desk.engine.server;

import java.util.Arrays;

/**
 * One message of JSON being written, in a reused byte array: ASCII text, numbers as Jackson writes them
 * ({@link Double#toString} for finite doubles; {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} as
 * strings) and bytes made elsewhere. Allocates nothing once the array is large enough, on JDKs whose
 * {@link StringBuilder#append(double)} allocates nothing (JDK 25 does).
 * <p>
 * Threads: one thread at a time.
 */
final class ReplyBuffer {
    private final StringBuilder digits = new StringBuilder(32);
    private byte[] bytes = new byte[4096];
    private int length;

    /** Empties the buffer. */
    ReplyBuffer clear() {
        length = 0;
        return this;
    }

    /** The bytes written (the first {@link #length()} of them). */
    byte[] bytes() {
        return bytes;
    }

    /** The number of bytes written. */
    int length() {
        return length;
    }

    /** Appends {@code text}, which is ASCII. */
    ReplyBuffer ascii(String text) {
        int count = text.length();
        room(count);
        for (int i = 0; i < count; i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** Appends one ASCII character. */
    ReplyBuffer ascii(char character) {
        room(1);
        bytes[length++] = (byte) character;
        return this;
    }

    /** Appends the first {@code count} of {@code more}. */
    ReplyBuffer bytes(byte[] more, int count) {
        room(count);
        System.arraycopy(more, 0, bytes, length, count);
        length += count;
        return this;
    }

    /** Appends {@code value} in decimal. */
    ReplyBuffer number(long value) {
        if (value == Long.MIN_VALUE) {
            return ascii("-9223372036854775808");
        }
        room(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int end = length + digitCount(value);
        int at = end;
        do {
            bytes[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        length = end;
        return this;
    }

    /** Appends {@code value} as Jackson writes a double. */
    ReplyBuffer number(double value) {
        if (Double.isNaN(value)) {
            return ascii("\"NaN\"");
        }
        if (Double.isInfinite(value)) {
            return ascii(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        }
        digits.setLength(0);
        digits.append(value);
        int count = digits.length();
        room(count);
        for (int i = 0; i < count; i++) {
            bytes[length++] = (byte) digits.charAt(i);
        }
        return this;
    }

    /** Appends {@code true} or {@code false}. */
    ReplyBuffer bool(boolean value) {
        return ascii(value ? "true" : "false");
    }

    /** Appends a JSON array of the first {@code count} of {@code values}. */
    ReplyBuffer array(double[] values, int count) {
        ascii('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                ascii(',');
            }
            number(values[i]);
        }
        return ascii(']');
    }

    /** Appends a JSON array of the first {@code count} of {@code values}. */
    ReplyBuffer array(long[] values, int count) {
        ascii('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                ascii(',');
            }
            number(values[i]);
        }
        return ascii(']');
    }

    private static int digitCount(long value) {
        int count = 1;
        while (value >= 10) {
            value /= 10;
            count++;
        }
        return count;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
        }
    }
}
