package desk.engine.fx;

import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReverbTest {
    @ParameterizedTest
    @CsvSource({"44100, 50, 0.5", "44100, 100, 8", "48000, 20, 1", "48000, 100, 3", "48000, 75, 20",
            "96000, 50, 2", "96000, 0, 0.3", "96000, 100, 12"})
    void theMeasuredDecayTimeIsTheDecaySet(int rate, double size, double decay) {
        float[][] response = impulseResponse(rate, decay, "size", size, "decay", decay, "damping", 0);
        double measured = Rt60.fromImpulseResponse(response, rate);
        double error = measured / decay - 1;
        System.out.printf("reverb RT60 at %d Hz, size %.0f %%: set %.2f s, measured %.3f s (%+.1f %%)%n", rate,
                size, decay, measured, 100 * error);
        assertEquals(0, error, 0.1, "RT60 " + measured + " s for " + decay + " s");
    }

    @ParameterizedTest
    @CsvSource({"48000, 2", "44100, 5", "96000, 1"})
    void dampingShortensTheHighsAndKeepsTheLows(int rate, double decay) {
        float[][] response = impulseResponse(rate, decay, "decay", decay, "damping", 50);
        double low = Rt60.fromImpulseResponse(Rt60.bandPassed(response, rate, 250), rate);
        double high = Rt60.fromImpulseResponse(Rt60.bandPassed(response, rate, 5000), rate);
        System.out.printf("reverb RT60 at %d Hz, damping 50 %%: 250 Hz %.3f s, 5 kHz %.3f s for %.2f s%n", rate,
                low, high, decay);
        assertEquals(1, low / decay, 0.1, "RT60 at 250 Hz " + low);
        assertEquals(0.55, high / decay, 0.1, "RT60 at 5 kHz " + high);
    }

    @Test
    void mixZeroIsExactlyDry() {
        Processor reverb = ProcessorRun.create(Reverb.TYPE, 48_000, 2, "mix", 0, "decay", 10);
        float[][] input = FxSignals.pinkNoise(2, 96_000, 0.9, 5);
        float[][] output = FxSignals.copy(input);
        ProcessorRun.process(reverb, output, null, 6);
        assertArrayEquals(input[0], output[0]);
        assertArrayEquals(input[1], output[1]);
        assertEquals(0, reverb.latency());
    }

    @Test
    void theTailIsSixtyDecibelsDownOnceItsTimeIsUp() {
        for (double decay : new double[]{0.1, 1.5}) {
            Processor reverb = ProcessorRun.create(Reverb.TYPE, 48_000, 2, "mix", 100, "decay", decay,
                    "predelay", 150, "size", 100, "damping", 0);
            double tail = reverb.tailSeconds();
            assertTrue(tail >= decay + 0.15, "tail " + tail);
            float[][] signal = FxSignals.impulse(2, (int) (48_000 * (tail + 1)), 0, 1f);
            ProcessorRun.process(reverb, signal, null, 7);
            int end = (int) Math.ceil(tail * 48_000);
            double loudest = Math.max(ProcessorRun.peak(signal[0], 0, end), ProcessorRun.peak(signal[1], 0, end));
            double after = Math.max(ProcessorRun.peak(signal[0], end, signal[0].length),
                    ProcessorRun.peak(signal[1], end, signal[0].length));
            assertTrue(after < loudest / 1000, "after the tail " + after + " against " + loudest);
            assertEquals(0f, signal[0][(int) (0.149 * 48_000)], "nothing before the predelay");
        }
    }

    @Test
    void aMonoInputComesOutAsADecorrelatedStereoTail() {
        Processor reverb = ProcessorRun.create(Reverb.TYPE, 48_000, 2, "mix", 100);
        float[][] signal = FxSignals.impulse(2, 48_000, 0, 1f);
        ProcessorRun.process(reverb, signal, null, 8);
        double both = 0;
        double left = 0;
        double right = 0;
        for (int i = 0; i < signal[0].length; i++) {
            both += signal[0][i] * signal[1][i];
            left += signal[0][i] * signal[0][i];
            right += signal[1][i] * signal[1][i];
        }
        double correlation = both / Math.sqrt(left * right);
        assertTrue(Math.abs(correlation) < 0.2, "correlation " + correlation);
        assertEquals(1, left / right, 0.5, "both sides about as loud");
    }

    @Test
    void aMonoStripGetsItsReverbToo() {
        Processor reverb = ProcessorRun.create(Reverb.TYPE, 48_000, 1, "mix", 100, "predelay", 0);
        float[][] signal = FxSignals.impulse(1, 48_000, 0, 1f);
        ProcessorRun.process(reverb, signal, null, 8);
        assertTrue(ProcessorRun.rms(signal[0], 4800, 9600) > 1e-3);
    }

    @Test
    void staysStableAtEveryExtremeAndThroughSweeps() {
        Random random = new Random(42);
        for (int rate : new int[]{44_100, 96_000}) {
            for (double size : new double[]{0, 100}) {
                for (double decay : new double[]{0.1, 20}) {
                    for (double damping : new double[]{0, 100}) {
                        Processor reverb = ProcessorRun.create(Reverb.TYPE, rate, 2, "size", size, "decay", decay,
                                "damping", damping, "predelay", random.nextBoolean() ? 0 : 200, "mix", 100);
                        float[][] noise = FxSignals.pinkNoise(2, 2 * rate, 1, rate + (long) size);
                        ProcessorRun.process(reverb, noise, null, 3);
                        float[][] silence = new float[2][2 * rate];
                        for (int step = 0; step < 20; step++) {
                            int index = random.nextInt(4);
                            InsertParameter parameter = Reverb.TYPE.parameters().get(index);
                            reverb.rtSet(index, random.nextBoolean() ? parameter.min() : parameter.max());
                        }
                        reverb.rtSet(0, size);
                        reverb.rtSet(1, decay);
                        ProcessorRun.process(reverb, silence, null, 4);
                        double largest = Math.max(ProcessorRun.peak(noise[0], 0, 2 * rate),
                                ProcessorRun.peak(silence[0], 0, 2 * rate));
                        assertTrue(largest < 20, "bounded at " + rate + "/" + size + "/" + decay + "/" + damping
                                + ": " + largest);
                        double start = ProcessorRun.rms(silence[1], 0, rate / 2);
                        double end = ProcessorRun.rms(silence[1], 3 * rate / 2, 2 * rate);
                        assertTrue(end < start, "dying away: " + end + " after " + start);
                    }
                }
            }
        }
    }

    @Test
    void blockSizesDoNotChangeTheOutput() {
        float[][] input = FxSignals.pinkNoise(2, 96_000, 0.5, 21);
        float[][] first = FxSignals.copy(input);
        float[][] second = FxSignals.copy(input);
        Processor one = ProcessorRun.create(Reverb.TYPE, 48_000, 2);
        Processor two = ProcessorRun.create(Reverb.TYPE, 48_000, 2);
        one.rtSet(0, 80);
        two.rtSet(0, 80);
        ProcessorRun.process(one, first, null, 1);
        ProcessorRun.process(two, second, null, 2);
        assertArrayEquals(first[0], second[0]);
        assertArrayEquals(first[1], second[1]);
    }

    private static float[][] impulseResponse(int rate, double decay, Object... settings) {
        Object[] all = new Object[settings.length + 4];
        System.arraycopy(settings, 0, all, 0, settings.length);
        all[settings.length] = "mix";
        all[settings.length + 1] = 100;
        all[settings.length + 2] = "predelay";
        all[settings.length + 3] = 0;
        Processor reverb = ProcessorRun.create(Reverb.TYPE, rate, 2, all);
        float[][] signal = FxSignals.impulse(2, (int) (rate * (1.3 * decay + 0.2)), 0, 1f);
        ProcessorRun.process(reverb, signal, null, 17);
        return signal;
    }
}
