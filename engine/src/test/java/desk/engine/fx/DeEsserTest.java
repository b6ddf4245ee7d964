package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeEsserTest {
    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void underTheThresholdTheOutputIsTheInput(int rate) {
        float[][] input = FxSignals.pinkNoise(2, 2 * rate, 0.02, 5);
        float[][] vowel = ProcessorRun.sine(2, 300, 0.5, rate, 2 * rate);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < input[c].length; i++) {
                input[c][i] += vowel[c][i];
            }
        }
        float[][] output = FxSignals.copy(input);
        Processor deEsser = ProcessorRun.create(DeEsser.TYPE, rate, 2);
        ProcessorRun.process(deEsser, output, null, 5);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < input[c].length; i++) {
                assertEquals(input[c][i], output[c][i], 1e-6, "channel " + c + ", frame " + i);
            }
        }
        assertEquals(0, deEsser.gainReductionDb());
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void aSibilantToneGetsTheShelfAtFullRangeAndAVowelToneAtTheSameLevelNothing(int rate) {
        double[][] freqAndRange = {{6000, 12}, {4000, 24}, {3000, 6}};
        for (double[] setting : freqAndRange) {
            double sibilant = change(rate, 8000, -6, "freq", setting[0], "range", setting[1]);
            double expected = ProcessorRun.db(shelf(rate, 8000, setting[0], Math.pow(10, -setting[1] / 20)));
            double vowel = change(rate, 1000, -6, "freq", setting[0], "range", setting[1]);
            System.out.printf("de-esser at %d Hz, freq %.0f Hz, range %.0f dB: 8 kHz %.3f dB (shelf %.3f dB),"
                    + " 1 kHz %.4f dB%n", rate, setting[0], setting[1], sibilant, expected, vowel);
            assertEquals(expected, sibilant, 0.5);
            assertTrue(sibilant < -3, "a real cut: " + sibilant);
            assertEquals(0, vowel, 0.1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void overTheThresholdTheHighBandIsBroughtDownToIt(int rate) {
        double toneDb = -20;
        double thresholdDb = -27;
        double r = tan(rate, 9000) / tan(rate, 6000);
        double detectorDb = toneDb + ProcessorRun.db(r / Math.hypot(1, r))
                + ProcessorRun.db(r * r / Math.hypot(1 - r * r, Math.sqrt(2) * r));
        double gain = Math.pow(10, (thresholdDb - detectorDb) / 20);
        double expected = ProcessorRun.db(shelf(rate, 9000, 6000, gain));
        double measured = change(rate, 9000, toneDb, "threshold", thresholdDb, "range", 24);
        System.out.printf("de-esser at %d Hz: 9 kHz %.1f dB over the threshold in the detector: %.3f dB"
                + " (expected %.3f dB)%n", rate, detectorDb - thresholdDb, measured, expected);
        assertTrue(detectorDb - thresholdDb > 3, "the detector is over the threshold but short of the range");
        assertEquals(expected, measured, 0.5);
    }

    @Test
    void gainReductionIsTheHighBandsGainInTheLastBlock() {
        Processor deEsser = ProcessorRun.create(DeEsser.TYPE, 48_000, 1, "range", 9);
        int span = Limits.MAX_BLOCK;
        float[][] tone = ProcessorRun.sine(1, 10_000, 0.5, 48_000, 8 * span);
        for (int start = 0; start < 8 * span; start += span) {
            deEsser.rtProcess(new float[][]{Arrays.copyOfRange(tone[0], start, start + span)}, span, null);
        }
        assertEquals(9, deEsser.gainReductionDb(), 1e-9);
        deEsser.rtProcess(new float[1][span], span, null);
        assertTrue(deEsser.gainReductionDb() > 0, "still releasing");
        for (int i = 0; i < 80; i++) {
            deEsser.rtProcess(new float[1][span], span, null);
        }
        assertEquals(0, deEsser.gainReductionDb());
    }

    @Test
    void blockSizesDoNotChangeTheOutput() {
        int rate = 48_000;
        float[][] input = FxSignals.pinkNoise(2, 4 * rate, 0.3, 31);
        float[][] hiss = ProcessorRun.sine(2, 7000, 0.4, rate, 4 * rate);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < input[c].length; i++) {
                input[c][i] += (float) (hiss[c][i] * Math.max(0, Math.sin(2 * Math.PI * 2 * i / rate)));
            }
        }
        float[][] first = FxSignals.copy(input);
        float[][] second = FxSignals.copy(input);
        ProcessorRun.process(ProcessorRun.create(DeEsser.TYPE, rate, 2, "threshold", -24), first, null, 1);
        ProcessorRun.process(ProcessorRun.create(DeEsser.TYPE, rate, 2, "threshold", -24), second, null, 2);
        assertArrayEquals(first[0], second[0]);
        assertArrayEquals(first[1], second[1]);
        double cut = ProcessorRun.db(ProcessorRun.rms(first[0], 0, first[0].length)
                / ProcessorRun.rms(input[0], 0, input[0].length));
        assertTrue(cut < -0.5, "the hiss was turned down: " + cut + " dB");
    }

    /** The change in level, in dB, of a steady stereo tone through a de-esser, measured over its second half. */
    private static double change(int rate, double frequency, double db, Object... settings) {
        float[][] input = ProcessorRun.sine(2, frequency, Math.pow(10, db / 20), rate, rate);
        float[][] output = FxSignals.copy(input);
        ProcessorRun.process(ProcessorRun.create(DeEsser.TYPE, rate, 2, settings), output, null, 4);
        double left = ProcessorRun.rms(output[0], rate / 2, rate) / ProcessorRun.rms(input[0], rate / 2, rate);
        double right = ProcessorRun.rms(output[1], rate / 2, rate) / ProcessorRun.rms(input[1], rate / 2, rate);
        assertEquals(left, right, 1e-6, "linked channels");
        return ProcessorRun.db(left);
    }

    /** The magnitude at {@code frequency} of the low band plus {@code gain} times the high band split at {@code split}. */
    private static double shelf(int rate, double frequency, double split, double gain) {
        double r = tan(rate, frequency) / tan(rate, split);
        return Math.hypot(1, gain * r) / Math.hypot(1, r);
    }

    /** The prewarped frequency of a bilinear filter. */
    private static double tan(int rate, double frequency) {
        return Math.tan(Math.PI * frequency / rate);
    }
}
