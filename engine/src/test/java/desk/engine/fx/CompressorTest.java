package desk.engine.fx;

import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compressor against its definition: the static curve (threshold, ratio, soft knee) measured with steady
 * sines from -60 to 0 dBFS, the attack and release time constants measured on steps, the side chain and its
 * filter, the reading of the gain reduction, and outputs that do not depend on how blocks are cut.
 */
class CompressorTest {
    /** The gain law of the compressor's definition: the change in dB for a level, threshold, ratio and knee. */
    private static double curveDb(double level, double threshold, double ratio, double knee) {
        double over = level - threshold;
        if (2 * over < -knee) {
            return 0;
        }
        if (2 * Math.abs(over) <= knee) {
            return (1 / ratio - 1) * Math.pow(over + knee / 2, 2) / (2 * knee);
        }
        return (1 / ratio - 1) * over;
    }

    @ParameterizedTest(name = "threshold {0}, ratio {1}, knee {2}, {3}")
    @CsvSource({
        "-20, 4, 0, peak", "-20, 4, 6, peak", "-30, 2, 12, peak", "-10, 10, 3, peak", "-40, 20, 24, peak",
        "-20, 4, 6, rms", "-30, 3, 0, rms", "-12, 8, 10, rms"})
    void theStaticCurveMatchesThresholdRatioAndKneeWithinATenthOfADecibel(double threshold, double ratio, double knee,
                                                                        String detector) {
        int rate = 48_000;
        double worst = 0;
        String where = "";
        for (double level = -60; level <= 0; level += 2) {
            Processor compressor = ProcessorRun.create(Compressor.TYPE, rate, 1, "threshold", threshold, "ratio", ratio,
                    "knee", knee, "attack", 1, "release", 1000, "makeup", 2, "detector", detector.equals("rms") ? 1 : 0);
            double amplitude = Math.pow(10, level / 20);
            float[][] tone = ProcessorRun.sine(1, 1000, amplitude, rate, rate);
            ProcessorRun.process(compressor, tone, null, 3);
            double measuredLevel = detector.equals("rms") ? level - 10 * Math.log10(2) : level;
            double expected = curveDb(measuredLevel, threshold, ratio, knee) + 2;
            double out = detector.equals("rms") ? ProcessorRun.rms(tone[0], rate / 2, rate) * Math.sqrt(2)
                    : ProcessorRun.peak(tone[0], rate / 2, rate);
            double measured = 20 * Math.log10(out / amplitude);
            if (Math.abs(measured - expected) > worst) {
                worst = Math.abs(measured - expected);
                where = String.format("%.0f dBFS: %.3f dB, expected %.3f dB", level, measured, expected);
            }
        }
        assertTrue(worst <= 0.1, "worst error " + worst + " dB at " + where);
    }

    /** The gain in dB sample by sample of a compressor given a level step from -40 to -10 dBFS (DC), and back. */
    private static double[] stepGainsDb(double attack, double release, int rate, int stepAt, int backAt, int frames) {
        Processor compressor = ProcessorRun.create(Compressor.TYPE, rate, 1, "threshold", -30, "ratio", 10, "knee", 0,
                "attack", attack, "release", release);
        float[][] signal = new float[1][frames];
        float[] input = signal[0];
        for (int i = 0; i < frames; i++) {
            input[i] = (float) (i >= stepAt && i < backAt ? Math.pow(10, -10 / 20.0) : Math.pow(10, -40 / 20.0));
        }
        float[] in = input.clone();
        ProcessorRun.process(compressor, signal, null, 8);
        double[] gains = new double[frames];
        for (int i = 0; i < frames; i++) {
            gains[i] = 20 * Math.log10(signal[0][i] / in[i]);
        }
        return gains;
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void attackAndReleaseTimeConstantsWithinFivePercent(int rate) {
        for (double[] times : new double[][]{{10, 100}, {30, 500}, {5, 50}}) {
            int stepAt = rate / 10;
            int backAt = stepAt + rate;
            double[] gains = stepGainsDb(times[0], times[1], rate, stepAt, backAt, backAt + 4 * rate);
            double full = -18;
            int attackReached = stepAt;
            while (gains[attackReached] > full * (1 - Math.exp(-1))) {
                attackReached++;
            }
            int releaseReached = backAt;
            while (gains[releaseReached] < full * Math.exp(-1)) {
                releaseReached++;
            }
            double attackMs = (attackReached - stepAt) * 1000.0 / rate;
            double releaseMs = (releaseReached - backAt) * 1000.0 / rate;
            assertEquals(times[0], attackMs, times[0] * 0.05, "attack time constant at " + rate + " Hz");
            assertEquals(times[1], releaseMs, times[1] * 0.05, "release time constant at " + rate + " Hz");
            assertEquals(full, gains[backAt - 1], 0.01, "the full reduction before the release");
        }
    }

    @Test
    void aKeyFromElsewhereDrivesTheReductionOfTheInput() {
        int rate = 48_000;
        Processor compressor = ProcessorRun.create(Compressor.TYPE, rate, 1, "threshold", -30, "ratio", 4, "knee", 0,
                "attack", 1, "release", 1000);
        float[][] quiet = ProcessorRun.sine(1, 440, 0.01, rate, rate);
        float[][] loudKey = ProcessorRun.sine(1, 100, 0.5, rate, rate);
        ProcessorRun.process(compressor, quiet, loudKey, 2);
        double expected = curveDb(20 * Math.log10(0.5), -30, 4, 0);
        assertEquals(expected, 20 * Math.log10(ProcessorRun.peak(quiet[0], rate / 2, rate) / 0.01), 0.1,
                "the quiet input turned down as far as the loud key asks");
        assertEquals(-expected, compressor.gainReductionDb(), 0.2, "the reduction reads the same");
        Processor own = ProcessorRun.create(Compressor.TYPE, rate, 1, "threshold", -30, "ratio", 4, "knee", 0);
        float[][] alone = ProcessorRun.sine(1, 440, 0.01, rate, rate);
        ProcessorRun.process(own, alone, null, 2);
        assertEquals(0, 20 * Math.log10(ProcessorRun.peak(alone[0], rate / 2, rate) / 0.01), 0.01,
                "without the key, the quiet input is left alone");
        assertEquals(0, own.gainReductionDb(), 1e-9);
    }

    @Test
    void theSideChainHighPassKeepsLowEndFromPumpingIt() {
        int rate = 48_000;
        double[] reduction = new double[2];
        for (int filtered = 0; filtered < 2; filtered++) {
            Processor compressor = ProcessorRun.create(Compressor.TYPE, rate, 1, "threshold", -30, "ratio", 4,
                    "sidechain_hpf", filtered == 1 ? 300 : 0);
            float[][] bass = ProcessorRun.sine(1, 40, 0.5, rate, rate);
            ProcessorRun.process(compressor, bass, null, 6);
            reduction[filtered] = compressor.gainReductionDb();
        }
        assertTrue(reduction[0] > 15, "a loud 40 Hz tone compresses: " + reduction[0]);
        assertTrue(reduction[1] < 1, "high-passed at 300 Hz it barely does: " + reduction[1]);
    }

    @Test
    void theOutputDoesNotDependOnHowBlocksAreCut() {
        float[][] first = ProcessorRun.sine(2, 220, 0.8, 48_000, 96_000);
        for (int i = 0; i < first[1].length; i++) {
            first[1][i] *= (float) (0.5 + 0.5 * Math.sin(i * 0.001));
        }
        float[][] second = {first[0].clone(), first[1].clone()};
        Object[] setting = {"threshold", -24, "ratio", 6, "attack", 3, "release", 80, "makeup", 4, "sidechain_hpf", 100};
        ProcessorRun.process(ProcessorRun.create(Compressor.TYPE, 48_000, 2, setting), first, null, 1);
        ProcessorRun.process(ProcessorRun.create(Compressor.TYPE, 48_000, 2, setting), second, null, 2);
        assertArrayEquals(first[0], second[0]);
        assertArrayEquals(first[1], second[1]);
    }

    @Test
    void aMakeUpChangeGlidesWithoutAStep() {
        int rate = 48_000;
        Processor compressor = ProcessorRun.create(Compressor.TYPE, rate, 1, "threshold", 0);
        float[][] ones = {new float[rate / 10]};
        Arrays.fill(ones[0], 0.25f);
        compressor.rtSet(Compressor.TYPE.indexOf("makeup"), 12);
        ProcessorRun.process(compressor, ones, null, 7);
        double largestStep = 0;
        for (int i = 1; i < ones[0].length; i++) {
            largestStep = Math.max(largestStep, Math.abs(ones[0][i] - ones[0][i - 1]));
        }
        assertTrue(largestStep < 0.01, "steps of " + largestStep);
        assertEquals(0.25 * Math.pow(10, 12 / 20.0), ones[0][ones[0].length - 1], 1e-4);
    }
}
