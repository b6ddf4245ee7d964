package desk.engine.server;

import java.math.BigInteger;

/**
 * Decimal numbers, as JSON writes them, to the nearest double as {@link Double#parseDouble} rounds them,
 * without allocating: Clinger's fast path when the digits and the power of ten are both exact doubles, else
 * the Eisel-Lemire algorithm (D. Lemire, "Number Parsing at a Gigabyte per Second", 2021, as Go's strconv
 * implements it) on a table of the powers of ten to 128 bits, made once with {@link BigInteger}. In the rare
 * cases where 128 bits cannot decide the rounding, and for results that would be subnormal or overflow, it
 * answers NaN and the caller reads the number another way.
 * <p>
 * Threads: any.
 */
final class ExactDecimal {
    /** Most significant digits a significand may have: 19 always fit an unsigned long. */
    private static final int MAX_DIGITS = 19;
    /** Largest exponent written after an {@code e} that is read. */
    private static final int MAX_WRITTEN_EXPONENT = 9999;
    private static final int MIN_EXPONENT = -348;
    private static final int MAX_EXPONENT = 347;
    private static final double[] EXACT_POWERS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    };
    /** For each power of ten from MIN_EXPONENT, its 128-bit significand (rounded down): low, then high half. */
    private static final long[] POWERS = powers();

    private ExactDecimal() {
    }

    /**
     * The double nearest to the JSON number in bytes {@code start..end} of {@code text}, which must hold the
     * number and nothing else; NaN when they do not, when the number has more than {@value #MAX_DIGITS}
     * significant digits, or when this class cannot tell its double for sure.
     */
    static double parse(byte[] text, int start, int end) {
        int at = start;
        boolean negative = at < end && text[at] == '-';
        if (negative) {
            at++;
        }
        long significand = 0;
        int digits = 0;
        int exponent = 0;
        for (boolean fraction = false; ; fraction = true) {
            int first = at;
            for (; at < end && text[at] >= '0' && text[at] <= '9'; at++) {
                int digit = text[at] - '0';
                if (significand != 0 || digit != 0) {
                    if (++digits > MAX_DIGITS) {
                        return Double.NaN;
                    }
                    significand = 10 * significand + digit;
                }
                if (fraction) {
                    exponent--;
                }
            }
            if (at == first || (!fraction && at - first > 1 && text[first] == '0')) {
                return Double.NaN;
            }
            if (fraction || at == end || text[at] != '.') {
                break;
            }
            at++;
        }
        if (at < end && (text[at] == 'e' || text[at] == 'E')) {
            at++;
            boolean below = at < end && text[at] == '-';
            if (at < end && (text[at] == '-' || text[at] == '+')) {
                at++;
            }
            int first = at;
            int written = 0;
            for (; at < end && text[at] >= '0' && text[at] <= '9' && written <= MAX_WRITTEN_EXPONENT; at++) {
                written = 10 * written + (text[at] - '0');
            }
            if (at == first || written > MAX_WRITTEN_EXPONENT) {
                return Double.NaN;
            }
            exponent += below ? -written : written;
        }
        return at == end ? toDouble(significand, exponent, negative) : Double.NaN;
    }

    /**
     * The double nearest to {@code significand} (at most {@value #MAX_DIGITS} decimal digits, read as
     * unsigned) times ten to the {@code exponent}, negated if {@code negative}; NaN when this class cannot
     * tell it for sure.
     */
    static double toDouble(long significand, int exponent, boolean negative) {
        if (significand == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (significand >= 0 && significand < 1L << 53 && exponent >= -22 && exponent <= 22) {
            double value = significand;
            value = exponent >= 0 ? value * EXACT_POWERS[exponent] : value / EXACT_POWERS[-exponent];
            return negative ? -value : value;
        }
        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            return Double.NaN;
        }
        int zeros = Long.numberOfLeadingZeros(significand);
        long mantissa = significand << zeros;
        long binaryExponent = ((217706L * exponent) >> 16) + 64 + 1023 - zeros;
        int index = 2 * (exponent - MIN_EXPONENT);
        long powerLow = POWERS[index];
        long powerHigh = POWERS[index + 1];
        long high = Math.unsignedMultiplyHigh(mantissa, powerHigh);
        long low = mantissa * powerHigh;
        if ((high & 0x1FF) == 0x1FF && Long.compareUnsigned(low + mantissa, mantissa) < 0) {
            long wideHigh = Math.unsignedMultiplyHigh(mantissa, powerLow);
            long wideLow = mantissa * powerLow;
            long mergedHigh = high;
            long mergedLow = low + wideHigh;
            if (Long.compareUnsigned(mergedLow, low) < 0) {
                mergedHigh++;
            }
            if ((mergedHigh & 0x1FF) == 0x1FF && mergedLow == -1L
                    && Long.compareUnsigned(wideLow + mantissa, mantissa) < 0) {
                return Double.NaN;
            }
            high = mergedHigh;
            low = mergedLow;
        }
        long top = high >>> 63;
        long bits = high >>> (top + 9);
        binaryExponent -= 1 ^ top;
        if (low == 0 && (high & 0x1FF) == 0 && (bits & 3) == 1) {
            return Double.NaN;
        }
        bits += bits & 1;
        bits >>>= 1;
        if (bits >>> 53 > 0) {
            bits >>>= 1;
            binaryExponent++;
        }
        if (Long.compareUnsigned(binaryExponent - 1, 0x7FF - 1) >= 0) {
            return Double.NaN;
        }
        long result = binaryExponent << 52 | bits & 0x000F_FFFF_FFFF_FFFFL;
        return Double.longBitsToDouble(negative ? result | Long.MIN_VALUE : result);
    }

    private static long[] powers() {
        long[] table = new long[2 * (MAX_EXPONENT - MIN_EXPONENT + 1)];
        BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int exponent = MIN_EXPONENT; exponent <= MAX_EXPONENT; exponent++) {
            BigInteger power;
            if (exponent >= 0) {
                power = BigInteger.TEN.pow(exponent);
                int bits = power.bitLength();
                power = bits <= 128 ? power.shiftLeft(128 - bits) : power.shiftRight(bits - 128);
            } else {
                BigInteger divisor = BigInteger.TEN.pow(-exponent);
                power = BigInteger.ONE.shiftLeft(128 + divisor.bitLength()).divide(divisor);
                power = power.shiftRight(power.bitLength() - 128);
            }
            int index = 2 * (exponent - MIN_EXPONENT);
            table[index] = power.and(mask).longValue();
            table[index + 1] = power.shiftRight(64).longValue();
        }
        return table;
    }
}
