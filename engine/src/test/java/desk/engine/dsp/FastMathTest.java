package desk.engine.dsp;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast decibel conversions agree with the library's to within 1e-4 dB over the levels audio uses. */
class FastMathTest {
    @Test
    void levelsToDecibelsWithin1e4Db() {
        SplittableRandom random = new SplittableRandom(1);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double gain = Math.pow(10, random.nextDouble(-30, 30));
            worst = Math.max(worst, Math.abs(FastMath.rtToDb(gain) - 20 * Math.log10(gain)));
        }
        assertTrue(worst < 1e-4, "worst error " + worst + " dB");
    }

    @Test
    void powersJustBelowAWholeNumberStayInTheTable() {
        for (double y : new double[]{-1e-17, -0.0, 0, -1 - 1e-16, 3 - 1e-15, -1000, 1000}) {
            assertTrue(Math.abs(FastMath.rtExp2(y) / Math.pow(2, y) - 1) < 1e-6, "2^" + y);
        }
    }

    @Test
    void decibelsToLevelsWithin1e4Db() {
        SplittableRandom random = new SplittableRandom(2);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double db = random.nextDouble(-600, 600);
            double exact = Math.pow(10, db / 20);
            worst = Math.max(worst, Math.abs(20 * Math.log10(FastMath.rtFromDb(db) / exact)));
        }
        assertTrue(worst < 1e-4, "worst error " + worst + " dB");
    }
}
