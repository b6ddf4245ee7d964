package desk.engine.fx;

import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelayTest {
    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void anImpulseComesBackEveryTimeFallingByTheFeedback(int rate) {
        Processor delay = ProcessorRun.create(Delay.TYPE, rate, 1, "time", 123.4, "feedback", 60, "mix", 100);
        int period = (int) Math.round(123.4 * rate / 1000);
        float[][] signal = FxSignals.impulse(1, 7 * period, 10, 1f);
        ProcessorRun.process(delay, signal, null, rate);
        for (int i = 0; i < signal[0].length; i++) {
            int echo = (i - 10) / period;
            boolean onEcho = i >= 10 && (i - 10) % period == 0 && echo >= 1;
            double expected = onEcho ? Math.pow(0.6, echo - 1) : 0;
            assertEquals(expected, signal[0][i], 1e-6, "frame " + i);
        }
        assertEquals(0, delay.latency());
    }

    @Test
    void pingpongAlternatesTheEchoesBetweenTheChannels() {
        Processor delay = ProcessorRun.create(Delay.TYPE, 48_000, 2, "time", 10, "feedback", 50, "mix", 100,
                "pingpong", 1);
        float[][] signal = FxSignals.impulse(2, 3000, 0, 1f);
        ProcessorRun.process(delay, signal, null, 6);
        for (int echo = 1; echo <= 5; echo++) {
            int at = echo * 480;
            float expected = (float) Math.pow(0.5, echo - 1);
            assertEquals(echo % 2 == 1 ? expected : 0f, signal[0][at], 1e-6, "left, echo " + echo);
            assertEquals(echo % 2 == 0 ? expected : 0f, signal[1][at], 1e-6, "right, echo " + echo);
        }
    }

    @Test
    void withoutPingpongEachChannelEchoesItself() {
        Processor delay = ProcessorRun.create(Delay.TYPE, 48_000, 2, "time", 10, "feedback", 50, "mix", 100);
        float[][] signal = FxSignals.impulse(2, 3000, 0, 1f);
        signal[1][0] = 0;
        ProcessorRun.process(delay, signal, null, 6);
        for (int echo = 1; echo <= 5; echo++) {
            assertEquals(Math.pow(0.5, echo - 1), signal[0][echo * 480], 1e-6, "left, echo " + echo);
            assertEquals(0f, signal[1][echo * 480], "right stays silent");
        }
    }

    @Test
    void mixZeroIsExactlyDry() {
        Processor delay = ProcessorRun.create(Delay.TYPE, 48_000, 2, "mix", 0, "feedback", 90, "time", 20);
        float[][] input = FxSignals.pinkNoise(2, 48_000, 0.9, 3);
        float[][] output = FxSignals.copy(input);
        ProcessorRun.process(delay, output, null, 4);
        assertArrayEquals(input[0], output[0]);
        assertArrayEquals(input[1], output[1]);
    }

    @Test
    void aNewTimeCrossfadesWithoutAClick() {
        Processor delay = ProcessorRun.create(Delay.TYPE, 48_000, 1, "time", 100, "feedback", 0, "mix", 100);
        float[][] first = ProcessorRun.sine(1, 440, 1, 48_000, 48_000);
        ProcessorRun.process(delay, first, null, 1);
        delay.rtSet(Delay.TYPE.indexOf("time"), 251.3);
        float[][] second = ProcessorRun.sine(1, 440, 1, 48_000, 48_000);
        ProcessorRun.process(delay, second, null, 2);
        float[] joined = new float[96_000];
        System.arraycopy(first[0], 0, joined, 0, 48_000);
        System.arraycopy(second[0], 0, joined, 48_000, 48_000);
        double sineStep = 2 * Math.PI * 440 / 48_000;
        double largestStep = 0;
        for (int i = 4801; i < joined.length; i++) {
            largestStep = Math.max(largestStep, Math.abs(joined[i] - joined[i - 1]));
        }
        assertTrue(largestStep < sineStep + 2.0 / (0.03 * 48_000) + 1e-4, "largest step " + largestStep);
        float[][] expected = ProcessorRun.sine(1, 440, 1, 48_000, 96_000);
        int settled = 48_000 + 1440;
        int period = (int) Math.round(251.3 * 48);
        for (int i = settled + 1; i < joined.length; i++) {
            assertEquals(expected[0][i - period], joined[i], 1e-6, "frame " + i + " on the new time");
        }
    }

    @Test
    void theTailLastsUntilTheEchoesAreSixtyDecibelsDown() {
        Processor delay = ProcessorRun.create(Delay.TYPE, 48_000, 1, "time", 50, "feedback", 50, "mix", 100);
        double tail = delay.tailSeconds();
        assertEquals(0.05 * (1 + Math.log(1000) / Math.log(2)) + 0.03, tail, 1e-9);
        float[][] signal = FxSignals.impulse(1, 48_000, 0, 1f);
        ProcessorRun.process(delay, signal, null, 9);
        int end = (int) Math.ceil(tail * 48_000);
        assertTrue(ProcessorRun.peak(signal[0], end, signal[0].length) < 1e-3, "quiet after the tail");
        assertTrue(ProcessorRun.peak(signal[0], end - 2 * 2400, end) > 1e-3, "an echo above -60 dB within two periods of the end");
    }

    @Test
    void blockSizesDoNotChangeTheOutput() {
        float[][] input = FxSignals.pinkNoise(2, 96_000, 0.5, 12);
        float[][] first = FxSignals.copy(input);
        float[][] second = FxSignals.copy(input);
        ProcessorRun.process(ProcessorRun.create(Delay.TYPE, 48_000, 2, "pingpong", 1, "time", 7), first, null, 1);
        ProcessorRun.process(ProcessorRun.create(Delay.TYPE, 48_000, 2, "pingpong", 1, "time", 7), second, null, 2);
        assertArrayEquals(first[0], second[0]);
        assertArrayEquals(first[1], second[1]);
    }
}
