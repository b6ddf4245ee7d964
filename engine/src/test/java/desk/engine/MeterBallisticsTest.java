package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Step responses of the VU needle (IEC 60268-17: 99 % of the reference deflection in 300 ms +-10 %, an
 * overshoot of 1 to 1.5 %) and the K-meter average (99 % in 600 ms), read every 10 ms while a 1 kHz sine
 * starts from silence.
 */
class MeterBallisticsTest {
    private static final int STEPS = 300;

    /** Deflection (reading as a fraction of the final level) after each 10 ms, for the given reading. */
    private static double[] stepResponse(int rate, double levelDb, java.util.function.ToDoubleFunction<MeterReading> reading)
            throws IOException {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(1000, levelDb)));
        OfflineRenderer renderer = new OfflineRenderer(rig.engine);
        double[] deflection = new double[STEPS];
        for (int step = 0; step < STEPS; step++) {
            renderer.renderToMemory(rate / 100, BlockSizes.fixed(rate / 100));
            double db = reading.applyAsDouble(rig.engine.meter(track, MeterPoint.PRE_FADER));
            deflection[step] = Math.pow(10, (db - levelDb) / 20);
        }
        return deflection;
    }

    private static int millisToReach(double[] deflection, double fraction) {
        for (int step = 0; step < deflection.length; step++) {
            if (deflection[step] >= fraction) {
                return (step + 1) * 10;
            }
        }
        return Integer.MAX_VALUE;
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44100, 48000, 96000})
    void vuReaches99PercentIn300MillisecondsAndOvershootsByOneToOneAndAHalfPercent(int rate) throws IOException {
        double[] needle = stepResponse(rate, -18, MeterReading::vu);
        int millis = millisToReach(needle, 0.99);
        double overshoot = java.util.Arrays.stream(needle).max().orElseThrow() - 1;
        System.out.printf("VU at %d Hz: 99 %% after %d ms, overshoot %.2f %%%n", rate, millis, overshoot * 100);
        assertTrue(millis >= 270 && millis <= 330, "99 % of the deflection after " + millis + " ms; 300 +-30 ms allowed");
        assertTrue(overshoot >= 0.010 && overshoot <= 0.015, "overshoot " + overshoot * 100 + " %; 1 to 1.5 % allowed");
        assertEquals(1.0, needle[STEPS - 1], 0.002, "a sine at the level settles on it (0 VU at the reference);"
                + " a sine sampled 48 times a period averages 0.14 % under the continuous one");
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44100, 48000, 96000})
    void kMeterAverageReaches99PercentIn600Milliseconds(int rate) throws IOException {
        double[] average = stepResponse(rate, -20, MeterReading::kAverage);
        int millis = millisToReach(average, 0.99);
        System.out.printf("K-meter average at %d Hz: 99 %% after %d ms, peak deflection %.4f%n", rate, millis,
                java.util.Arrays.stream(average).max().orElseThrow());
        assertTrue(millis >= 590 && millis <= 620, "99 % of the reading after " + millis + " ms; 600 ms expected");
        assertTrue(java.util.Arrays.stream(average).max().orElseThrow() <= 1.0001, "the average does not overshoot");
        assertEquals(1.0, average[STEPS - 1], 0.001, "a -20 dBFS sine settles at -20 dBFS (0 on K-20)");
    }
}
