package desk.engine.fx;

import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UtilityTest {
    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void gainScalesByItsDecibels(int rate) {
        Processor utility = ProcessorRun.create(Utility.TYPE, rate, 1, "gain", -6);
        float[][] signal = ProcessorRun.sine(1, 1000, 0.5, rate, rate);
        float[][] dry = ProcessorRun.sine(1, 1000, 0.5, rate, rate);
        ProcessorRun.process(utility, signal, null, 7);
        for (int i = 0; i < rate; i++) {
            assertEquals(dry[0][i] * Math.pow(10, -6 / 20.0), signal[0][i], 1e-6);
        }
    }

    @Test
    void widthZeroAndMonoLeaveOnlyTheMid() {
        for (Object[] setting : new Object[][]{{"width", 0}, {"mono", 1}}) {
            Processor utility = ProcessorRun.create(Utility.TYPE, 48_000, 2, setting);
            float[][] signal = {{1, 0.5f, -0.25f}, {0, 0.5f, 0.75f}};
            ProcessorRun.process(utility, signal, null, 1);
            assertEquals(0.5f, signal[0][0], 1e-7);
            assertEquals(0.5f, signal[1][0], 1e-7);
            assertEquals(0.25f, signal[0][2], 1e-7);
            assertEquals(0.25f, signal[1][2], 1e-7);
        }
    }

    @Test
    void polarityInvertsTheChosenSide() {
        Processor utility = ProcessorRun.create(Utility.TYPE, 48_000, 2, "polarity", 2);
        float[][] signal = {{0.5f, -0.25f}, {0.5f, -0.25f}};
        ProcessorRun.process(utility, signal, null, 1);
        assertEquals(0.5f, signal[0][0]);
        assertEquals(-0.5f, signal[1][0]);
    }

    @Test
    void aGainChangeGlidesOverTheDeclickTimeWithoutAStep() {
        Processor utility = ProcessorRun.create(Utility.TYPE, 48_000, 1);
        float[][] ones = {new float[1000]};
        java.util.Arrays.fill(ones[0], 1f);
        utility.rtSet(0, -20);
        ProcessorRun.process(utility, ones, null, 3);
        double largestStep = 0;
        for (int i = 1; i < 1000; i++) {
            largestStep = Math.max(largestStep, Math.abs(ones[0][i] - ones[0][i - 1]));
        }
        assertTrue(largestStep < 0.9 / 240 * 1.01, "steps of at most 1/240 of the change: " + largestStep);
        assertEquals(0.1, ones[0][999], 1e-6);
    }

    @Test
    void dcCutRemovesAnOffset() {
        Processor utility = ProcessorRun.create(Utility.TYPE, 48_000, 1, "dc_cut", 1);
        float[][] signal = {new float[48_000]};
        java.util.Arrays.fill(signal[0], 0.5f);
        ProcessorRun.process(utility, signal, null, 5);
        assertTrue(Math.abs(signal[0][47_999]) < 1e-6, "left " + signal[0][47_999]);
    }
}
