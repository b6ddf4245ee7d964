package desk.engine.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decimal numbers read without allocating come out as {@link Double#parseDouble} reads them, bit for bit,
 * or not at all: the shortest decimals of random doubles of every magnitude, random decimals of 1 to 19
 * digits, halfway cases and the edges of the double range; anything that is not a JSON number is refused.
 * Undecided numbers are rare (about 1 in 2,000 shortest decimals, all of them numbers between 2^40 and 2^52
 * with a fraction, whose decimal is exact) and absent from the range of the engine's parameters.
 */
class ExactDecimalTest {
    private static double parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ExactDecimal.parse(bytes, 0, bytes.length);
    }

    /** Reads {@code text} both ways; returns whether this class decided. */
    private static boolean agrees(String text) {
        double read = parse(text);
        if (Double.isNaN(read)) {
            return false;
        }
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(read), text);
        return true;
    }

    @Test
    void theShortestDecimalOfEveryNormalDoubleReadsBackExactly() {
        SplittableRandom random = new SplittableRandom(11);
        int undecided = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(value) || Math.abs(value) < Double.MIN_NORMAL) {
                continue;
            }
            undecided += agrees(Double.toString(value)) ? 0 : 1;
        }
        assertTrue(undecided < 2_000_000 / 1000, "shortest decimals left undecided: " + undecided);
    }

    @Test
    void faderValuesAsScriptsComputeThemReadBackExactly() {
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 1_000_000; i++) {
            double value = -60 + 66 * random.nextDouble();
            assertTrue(agrees(Double.toString(value)), () -> "undecided: " + value);
        }
    }

    @Test
    void randomDecimalsReadAsParseDoubleReadsThem() {
        SplittableRandom random = new SplittableRandom(13);
        int decided = 0;
        int tries = 1_000_000;
        for (int i = 0; i < tries; i++) {
            int digits = random.nextInt(1, 20);
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
            text.append(random.nextInt(1, 10));
            for (int d = 1; d < digits; d++) {
                text.append(random.nextInt(10));
            }
            int point = random.nextInt(1, digits + 1);
            if (point < digits) {
                text.insert(text.length() - (digits - point), '.');
            }
            if (random.nextBoolean()) {
                text.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(-280, 280));
            }
            decided += agrees(text.toString()) ? 1 : 0;
        }
        assertTrue(decided > tries * 0.999, "decided " + decided + " of " + tries);
    }

    @Test
    void halfwayCasesAndTheEdgesOfTheRange() {
        for (String text : new String[]{"9007199254740993", "9007199254740995", "9007199254740992.5",
                "2.2250738585072014E-308", "2.2250738585072011e-308", "1.7976931348623157E308",
                "1.7976931348623158e308", "0.1", "0.3", "123456789012345678e-20", "1e22", "1e23", "8.589973e9",
                "4.35679e-170", "7.2057594037927933e16", "-0.0", "0", "-0", "0.000", "1.00000000000000000000"}) {
            double read = parse(text);
            if (!Double.isNaN(read)) {
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(read),
                        text);
            }
        }
        assertEquals(-0.0, parse("-0.0"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(parse("-0")));
        assertEquals(0.1, parse("0.1"));
    }

    @Test
    void onlyJsonNumbersAreRead() {
        for (String text : new String[]{"", "-", "+1", "01", "-01", "1.", ".5", "1e", "1e+", "1.5x", "NaN",
                "Infinity", "1.5e99999", "0x10", "1 ", " 1", "--1", "1..5", "1e5.5", "12345678901234567890"}) {
            assertTrue(Double.isNaN(parse(text)), text);
        }
    }
}
