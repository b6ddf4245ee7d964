package desk.engine.fx;

import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimiterTest {
    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void pinkNoiseTwelveDecibelsOverTheCeilingComesOutUnderItsTruePeak(int rate) {
        Processor limiter = ProcessorRun.create(Limiter.TYPE, rate, 2, "ceiling", -1);
        float[][] signal = FxSignals.pinkNoise(2, 10 * rate, Math.pow(10, 11 / 20.0), rate);
        assertTrue(FxSignals.truePeakDbtp(signal, rate) >= 10.999, "the input's true peak is 12 dB over the ceiling");
        ProcessorRun.process(limiter, signal, null, 11);
        double truePeak = FxSignals.truePeakDbtp(signal, rate);
        System.out.printf("limiter, pink noise +12 dB at %d Hz: output true peak %.4f dBTP%n", rate, truePeak);
        assertTrue(truePeak <= -1.0, "true peak " + truePeak + " dBTP over the -1 dBTP ceiling");
        assertTrue(truePeak > -1.2, "the output reaches the ceiling: " + truePeak);
    }

    /**
     * Pink noise kept below 0.4 of the sample rate, where the limiter's 32-tap interpolator is exact within 1e-4,
     * pushed 12 dB over the ceiling: a reconstruction finer than both of the limiter's (sixteen times, 64 taps
     * per phase) reads the output under the ceiling too.
     */
    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void aFinerReconstructionReadsTheOutputUnderTheCeiling(int rate) {
        Processor limiter = ProcessorRun.create(Limiter.TYPE, rate, 2, "ceiling", -1);
        float[][] signal = lowPassed(FxSignals.pinkNoise(2, 10 * rate, 1, rate + 2), 0.4);
        signal = FxSignals.scaled(signal, 11 - ReferenceTruePeak.dbtp(signal));
        ProcessorRun.process(limiter, signal, null, 12);
        double truePeak = ReferenceTruePeak.dbtp(signal);
        System.out.printf("limiter, low-passed pink noise +12 dB at %d Hz: output true peak %.4f dBTP by the"
                + " reference, %.4f by BS.1770-4%n", rate, truePeak, FxSignals.truePeakDbtp(signal, rate));
        assertTrue(truePeak <= -1.0, "true peak " + truePeak + " dBTP over the -1 dBTP ceiling");
        assertTrue(truePeak > -1.2, "the output reaches the ceiling: " + truePeak);
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void interSamplePeaksAreCaughtWhereTheSamplesThemselvesStayUnder(int rate) {
        Processor limiter = ProcessorRun.create(Limiter.TYPE, rate, 2, "ceiling", -1);
        float[][] signal = new float[2][rate];
        for (int i = 0; i < rate; i++) {
            float x = (float) Math.sin(Math.PI / 2 * i + Math.PI / 4);
            signal[0][i] = x;
            signal[1][i] = -x;
        }
        assertTrue(ProcessorRun.db(ProcessorRun.peak(signal[0], 0, rate)) < -2.9, "samples at -3 dBFS");
        assertTrue(FxSignals.truePeakDbtp(signal, rate) > -0.1, "true peak near 0 dBTP");
        ProcessorRun.process(limiter, signal, null, 4);
        double truePeak = FxSignals.truePeakDbtp(signal, rate);
        assertTrue(truePeak <= -1.0 && truePeak > -1.1, "true peak " + truePeak);
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void hardClippedNoiseDrivenFurtherStaysUnderTheCeiling(int rate) {
        Processor limiter = ProcessorRun.create(Limiter.TYPE, rate, 2, "ceiling", -2, "input_gain", 12,
                "release", 5);
        float[][] signal = FxSignals.pinkNoise(2, 5 * rate, 4, rate + 1);
        for (float[] channel : signal) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] = Math.max(-1f, Math.min(1f, channel[i]));
            }
        }
        ProcessorRun.process(limiter, signal, null, 5);
        double truePeak = FxSignals.truePeakDbtp(signal, rate);
        System.out.printf("limiter, clipped noise +12 dB at %d Hz: output true peak %.4f dBTP%n", rate, truePeak);
        assertTrue(truePeak <= -2.0 && truePeak > -2.2, "true peak " + truePeak);
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void underTheCeilingTheOutputIsTheInputDelayedByTheLatency(int rate) {
        Processor limiter = ProcessorRun.create(Limiter.TYPE, rate, 2, "ceiling", -1);
        float[][] input = FxSignals.pinkNoise(2, 2 * rate, Math.pow(10, -4 / 20.0), 9);
        assertTrue(FxSignals.truePeakDbtp(input, rate) < -1.0);
        float[][] output = FxSignals.copy(input);
        ProcessorRun.process(limiter, output, null, 2);
        int latency = limiter.latency();
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < latency; i++) {
                assertEquals(0f, output[c][i], "silence before the delayed input");
            }
            for (int i = latency; i < output[c].length; i++) {
                assertEquals(input[c][i - latency], output[c][i], "frame " + i);
            }
        }
        assertEquals(0, limiter.gainReductionDb());
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void latencyIsTheDelayOfAnImpulseAndAFewMilliseconds(int rate) {
        Processor limiter = ProcessorRun.create(Limiter.TYPE, rate, 1);
        float[][] signal = FxSignals.impulse(1, rate / 10, 100, 0.5f);
        ProcessorRun.process(limiter, signal, null, 3);
        int latency = limiter.latency();
        for (int i = 0; i < signal[0].length; i++) {
            assertEquals(i == 100 + latency ? 0.5f : 0f, signal[0][i], "frame " + i);
        }
        double milliseconds = 1000.0 * latency / rate;
        assertTrue(milliseconds >= 1.5 && milliseconds <= 5, milliseconds + " ms");
        long ramp = Math.round(rate * 1.5 / 1000);
        assertEquals(2 * ramp + 29, latency, "two 1.5 ms ramps and the 32-tap interpolator's window less three");
    }

    @Test
    void aSteadySineIsTurnedDownByItsExcessAndReportsIt() {
        Processor limiter = ProcessorRun.create(Limiter.TYPE, 48_000, 2, "ceiling", -6);
        float[][] signal = ProcessorRun.sine(2, 1000, 1, 48_000, 48_000);
        ProcessorRun.process(limiter, signal, null, 8);
        assertEquals(6.02, limiter.gainReductionDb(), 0.02);
        assertEquals(-6.02, ProcessorRun.db(ProcessorRun.peak(signal[0], 24_000, 48_000)), 0.02);
    }

    @Test
    void linkedChannelsShareOneGain() {
        Processor limiter = ProcessorRun.create(Limiter.TYPE, 48_000, 2, "ceiling", -6);
        float[][] signal = ProcessorRun.sine(2, 1000, 1, 48_000, 48_000);
        for (int i = 0; i < signal[1].length; i++) {
            signal[1][i] *= 0.25f;
        }
        ProcessorRun.process(limiter, signal, null, 8);
        assertEquals(-12.04 - 6.02, ProcessorRun.db(ProcessorRun.peak(signal[1], 24_000, 48_000)), 0.05);
    }

    @Test
    void blockSizesDoNotChangeTheOutput() {
        float[][] input = FxSignals.pinkNoise(2, 96_000, 3, 77);
        float[][] first = FxSignals.copy(input);
        float[][] second = FxSignals.copy(input);
        ProcessorRun.process(ProcessorRun.create(Limiter.TYPE, 48_000, 2, "input_gain", 6), first, null, 1);
        ProcessorRun.process(ProcessorRun.create(Limiter.TYPE, 48_000, 2, "input_gain", 6), second, null, 2);
        assertArrayEquals(first[0], second[0]);
        assertArrayEquals(first[1], second[1]);
    }

    /**
     * {@code signal} through a linear-phase low-pass of 255 taps (a sinc cut off at {@code edge} of the sample
     * rate less 0.02, under a Kaiser window of beta 10): above {@code edge}, about 100 dB down.
     */
    private static float[][] lowPassed(float[][] signal, double edge) {
        int taps = 255;
        int centre = taps / 2;
        double cutoff = 2 * (edge - 0.02);
        double[] kernel = new double[taps];
        double sum = 0;
        for (int k = 0; k < taps; k++) {
            double x = Math.PI * cutoff * (k - centre);
            double reach = (double) (k - centre) / (centre + 1);
            kernel[k] = (x == 0 ? 1 : Math.sin(x) / x)
                    * ReferenceTruePeak.besselI0(10 * Math.sqrt(1 - reach * reach));
            sum += kernel[k];
        }
        float[][] out = new float[signal.length][signal[0].length];
        for (int c = 0; c < signal.length; c++) {
            for (int i = 0; i < signal[c].length; i++) {
                double y = 0;
                for (int k = Math.max(0, i + centre - signal[c].length + 1); k < taps && k <= i + centre; k++) {
                    y += kernel[k] * signal[c][i + centre - k];
                }
                out[c][i] = (float) (y / sum);
            }
        }
        return out;
    }
}
