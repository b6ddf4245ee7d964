package desk.engine.fx;

import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaturationTest {
    private static final int RATE = 48_000;

    /**
     * A full-scale 5 kHz sine driven 12 dB into the curve: its harmonics above 24 kHz would fold back to
     * whole kilohertz that are not multiples of 5 kHz. One second of the steady output holds exactly 5000
     * periods, so each of those frequencies falls on a bin of its own and no window is needed.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aDrivenFiveKilohertzSineLeavesNoAliasAboveMinusNinetyDecibels(int type) {
        Processor saturation = ProcessorRun.create(Saturation.TYPE, RATE, 2, "drive", 12, "curve", type);
        float[][] signal = ProcessorRun.sine(2, 5000, 1, RATE, 3 * RATE / 2);
        ProcessorRun.process(saturation, signal, null, 13);
        double worstAlias = Double.NEGATIVE_INFINITY;
        int worstAt = 0;
        for (int hertz = 1000; hertz < RATE / 2; hertz += 1000) {
            if (hertz % 5000 != 0) {
                double level = Math.max(levelDb(signal[0], RATE / 2, RATE, hertz), levelDb(signal[1], RATE / 2, RATE, hertz));
                if (level > worstAlias) {
                    worstAlias = level;
                    worstAt = hertz;
                }
            }
        }
        double third = levelDb(signal[0], RATE / 2, RATE, 15_000);
        System.out.printf("saturation %s, 0 dBFS 5 kHz +12 dB drive: 15 kHz harmonic %.1f dB, worst alias %.1f dB"
                + " at %d Hz%n", Saturation.TYPE.parameters().get(1).choices().get(type), third, worstAlias, worstAt);
        assertTrue(third > -30, "strong harmonics: the third at " + third + " dB");
        assertTrue(worstAlias < -90, "alias at " + worstAt + " Hz: " + worstAlias + " dB");
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void smallSignalsComeOutNearlyUnchangedAndDelayedByTheLatency(int rate) {
        for (int type = 0; type < 2; type++) {
            for (double hertz : type == 0 ? new double[]{100, 1000, 15_000} : new double[]{1000, 15_000}) {
                Processor saturation = ProcessorRun.create(Saturation.TYPE, rate, 1, "drive", 0, "curve", type,
                        "output", -6);
                float[][] input = ProcessorRun.sine(1, hertz, 0.01, rate, rate / 2);
                float[][] output = FxSignals.copy(input);
                ProcessorRun.process(saturation, output, null, 14);
                int latency = saturation.latency();
                double error = 0;
                for (int i = rate / 4; i < rate / 2; i++) {
                    error = Math.max(error, Math.abs(output[0][i] - Math.pow(10, -6 / 20.0) * input[0][i - latency]));
                }
                double allowed = type == 0 ? 1e-6 : 4e-5;
                assertTrue(error < allowed, "type " + type + ", " + hertz + " Hz: error " + error);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void theLatencyIsWhereASmallImpulseComesOut(int rate) {
        Processor saturation = ProcessorRun.create(Saturation.TYPE, rate, 1, "drive", 0);
        float[][] signal = FxSignals.impulse(1, 2000, 500, 1e-3f);
        ProcessorRun.process(saturation, signal, null, 15);
        int loudest = 0;
        for (int i = 0; i < signal[0].length; i++) {
            if (Math.abs(signal[0][i]) > Math.abs(signal[0][loudest])) {
                loudest = i;
            }
        }
        assertEquals(500 + saturation.latency(), loudest);
        assertEquals(1e-3, signal[0][loudest], 1e-4);
        for (int k = 1; k < 50; k++) {
            assertEquals(signal[0][loudest - k], signal[0][loudest + k], 1e-9, "linear phase at " + k);
        }
        assertEquals(94, saturation.latency());
    }

    @Test
    void mixZeroIsTheDrySignalDelayedByTheLatency() {
        Processor saturation = ProcessorRun.create(Saturation.TYPE, RATE, 2, "mix", 0, "drive", 24);
        float[][] input = FxSignals.pinkNoise(2, RATE, 1, 31);
        float[][] output = FxSignals.copy(input);
        ProcessorRun.process(saturation, output, null, 16);
        int latency = saturation.latency();
        for (int c = 0; c < 2; c++) {
            for (int i = latency; i < RATE; i++) {
                assertEquals(input[c][i - latency], output[c][i], "frame " + i);
            }
        }
    }

    @Test
    void aChangeOfTypeBlendsWithoutAStep() {
        Processor saturation = ProcessorRun.create(Saturation.TYPE, RATE, 1, "drive", 12);
        float[][] first = ProcessorRun.sine(1, 100, 0.5, RATE, RATE / 10);
        ProcessorRun.process(saturation, first, null, 1);
        saturation.rtSet(Saturation.TYPE.indexOf("curve"), 1);
        float[][] second = ProcessorRun.sine(1, 100, 0.5, RATE, RATE / 10);
        for (int i = 0; i < second[0].length; i++) {
            second[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * 100 * (i + RATE / 10) / RATE));
        }
        ProcessorRun.process(saturation, second, null, 2);
        double largestStep = Math.abs(second[0][0] - first[0][first[0].length - 1]);
        for (int i = 1; i < second[0].length; i++) {
            largestStep = Math.max(largestStep, Math.abs(second[0][i] - second[0][i - 1]));
        }
        assertTrue(largestStep < 0.05, "largest step " + largestStep);
        assertTrue(ProcessorRun.rms(second[0], 0, second[0].length) > 0.5, "still saturating");
    }

    @Test
    void blockSizesDoNotChangeTheOutput() {
        float[][] input = FxSignals.pinkNoise(2, 96_000, 1, 41);
        float[][] first = FxSignals.copy(input);
        float[][] second = FxSignals.copy(input);
        ProcessorRun.process(ProcessorRun.create(Saturation.TYPE, RATE, 2, "curve", 1, "mix", 70), first, null, 1);
        ProcessorRun.process(ProcessorRun.create(Saturation.TYPE, RATE, 2, "curve", 1, "mix", 70), second, null, 2);
        assertArrayEquals(first[0], second[0]);
        assertArrayEquals(first[1], second[1]);
    }

    /** The level in dB (full-scale sine = 0) of the component at {@code hertz} in {@code x[from..to)}. */
    private static double levelDb(float[] x, int from, int to, double hertz) {
        double w = 2 * Math.PI * hertz / RATE;
        double re = 0;
        double im = 0;
        for (int i = from; i < to; i++) {
            re += x[i] * Math.cos(w * i);
            im -= x[i] * Math.sin(w * i);
        }
        return 20 * Math.log10(2 * Math.hypot(re, im) / (to - from));
    }
}
