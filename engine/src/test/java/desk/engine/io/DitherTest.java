package desk.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dither against what theory predicts, on files written and read back: TPDF dither two steps wide leaves a
 * noise of one half step RMS (a quarter step squared from rounding plus a sixth from the dither), the same in
 * silence and under a tone, and independent of the signal, so a tone of two steps comes out with no
 * harmonics; plain rounding leaves silence silent and that tone distorted. Shaped dither moves the noise up
 * in frequency: less of it at low frequencies, more in all.
 */
class DitherTest {
    private static final int RATE = 48_000;

    @TempDir
    Path folder;

    /** Writes {@code samples} (mono) to a file of {@code format} with {@code kind} of dither and reads it back. */
    private float[] roundTrip(float[] samples, SampleFormat format, Dither.Kind kind) throws Exception {
        Path file = Files.createTempFile(folder, kind.label(), ".wav");
        try (WavWriter writer = WavWriter.create(file, RATE, 1, format, Dither.of(kind, 1), null)) {
            writer.write(new float[][] {samples}, 0, samples.length);
        }
        return WavReader.read(file).samples()[0];
    }

    private static float[] silenceThenTone(double amplitude, double hertz) {
        float[] samples = new float[2 * RATE];
        for (int i = RATE; i < samples.length; i++) {
            samples[i] = (float) (amplitude * Math.sin(2 * Math.PI * hertz * i / RATE));
        }
        return samples;
    }

    private static double rmsDb(float[] out, float[] in, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double e = (double) out[i] - in[i];
            sum += e * e;
        }
        return 10 * Math.log10(sum / (to - from));
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {16, 24})
    void tpdfLeavesHalfAStepRmsInSilenceAndUnderATone(int bits) throws Exception {
        SampleFormat format = bits == 16 ? SampleFormat.PCM_16 : SampleFormat.PCM_24;
        float[] in = silenceThenTone(0.1, 997);
        float[] out = roundTrip(in, format, Dither.Kind.TPDF);
        double predicted = 20 * Math.log10(Math.pow(2, -(bits - 1)) / 2);
        assertEquals(predicted, rmsDb(out, in, 0, RATE), 0.1, "noise floor in silence");
        assertEquals(predicted, rmsDb(out, in, RATE, 2 * RATE), 0.1, "noise floor under the tone");
    }

    @Test
    void plainRoundingLeavesSilenceSilent() throws Exception {
        float[] out = roundTrip(silenceThenTone(0.1, 997), SampleFormat.PCM_16, Dither.Kind.NONE);
        for (int i = 0; i < RATE; i++) {
            assertEquals(0f, out[i], "sample " + i);
        }
    }

    /** The largest of harmonics 2 to 9 of {@code hertz} in the error over the tone's second, in steps. */
    private static double largestHarmonic(float[] out, float[] in, double hertz, double step) {
        double largest = 0;
        for (int h = 2; h <= 9; h++) {
            double re = 0;
            double im = 0;
            for (int i = RATE; i < 2 * RATE; i++) {
                double e = (double) out[i] - in[i];
                double phase = 2 * Math.PI * h * hertz * i / RATE;
                re += e * Math.cos(phase);
                im += e * Math.sin(phase);
            }
            largest = Math.max(largest, 2 * Math.hypot(re, im) / RATE / step);
        }
        return largest;
    }

    @Test
    void tpdfTakesTheDistortionOutOfAToneTwoStepsHigh() throws Exception {
        double step = Math.pow(2, -15);
        float[] in = silenceThenTone(2 * step, 1000);
        double rounded = largestHarmonic(roundTrip(in, SampleFormat.PCM_16, Dither.Kind.NONE), in, 1000, step);
        double dithered = largestHarmonic(roundTrip(in, SampleFormat.PCM_16, Dither.Kind.TPDF), in, 1000, step);
        assertTrue(rounded > 0.05, "rounding alone distorts: a harmonic of " + rounded + " steps");
        assertTrue(dithered < 0.02, "dithered, the harmonics are in the noise: " + dithered + " steps");
    }

    /** Mean power of the error over the tone's second at 20 frequencies from 100 Hz to 3.9 kHz, in dB. */
    private static double lowFrequencyDb(float[] out, float[] in) {
        double sum = 0;
        for (int hertz = 100; hertz < 4000; hertz += 200) {
            double re = 0;
            double im = 0;
            for (int i = RATE; i < 2 * RATE; i++) {
                double e = (double) out[i] - in[i];
                double phase = 2 * Math.PI * hertz * i / RATE;
                re += e * Math.cos(phase);
                im += e * Math.sin(phase);
            }
            sum += (re * re + im * im) / RATE;
        }
        return 10 * Math.log10(sum / 20);
    }

    @Test
    void shapedDitherMovesTheNoiseUp() throws Exception {
        float[] in = silenceThenTone(0.1, 997);
        float[] tpdf = roundTrip(in, SampleFormat.PCM_16, Dither.Kind.TPDF);
        float[] shaped = roundTrip(in, SampleFormat.PCM_16, Dither.Kind.SHAPED);
        assertTrue(rmsDb(shaped, in, RATE, 2 * RATE) > rmsDb(tpdf, in, RATE, 2 * RATE) + 6, "more noise in all");
        assertTrue(lowFrequencyDb(shaped, in) < lowFrequencyDb(tpdf, in) - 10, "much less of it low down: "
                + lowFrequencyDb(shaped, in) + " against " + lowFrequencyDb(tpdf, in) + " dB");
    }

    @Test
    void theSameSamplesGiveTheSameFile() throws Exception {
        float[] in = silenceThenTone(0.5, 440);
        assertArrayEquals(roundTrip(in, SampleFormat.PCM_24, Dither.Kind.SHAPED),
                roundTrip(in, SampleFormat.PCM_24, Dither.Kind.SHAPED));
    }
}
