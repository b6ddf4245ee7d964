package desk.engine.fx;

import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EQ against the RBJ Audio EQ Cookbook: the magnitude response measured by rendering sines at 20
 * frequencies per setting matches |H(e^jw)| of the cookbook's biquads, worked out here independently, within
 * 0.05 dB wherever the response is above -80 dB (below that the input's own rounding noise is what is
 * measured), for seven filter types at five or more settings each, at 44.1, 48 and 96 kHz.
 */
class EqTest {
    private static final int[] RATES = {44_100, 48_000, 96_000};

    /** One filter setting: the EQ's parameters and the cookbook sections it should equal. */
    private record Setting(String name, Object[] parameters, double[][] sections) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final double Q2 = Math.sqrt(0.5);
    private static final double[] Q4 = {1 / (2 * Math.cos(Math.PI / 8)), 1 / (2 * Math.cos(3 * Math.PI / 8))};

    /** Sections as {shape, frequency, gain, q}: shape 0 high-pass, 1 low-pass, 2 low shelf, 3 high shelf, 4 peak. */
    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>();
        for (double hz : new double[]{30, 80, 200, 1000, 5000}) {
            all.add(new Setting("hpf 12 at " + hz, new Object[]{"hpf", hz}, new double[][]{{0, hz, 0, Q2}}));
            all.add(new Setting("hpf 24 at " + hz, new Object[]{"hpf", hz, "hpf_slope", 1},
                    new double[][]{{0, hz, 0, Q4[0]}, {0, hz, 0, Q4[1]}}));
        }
        for (double hz : new double[]{500, 2000, 8000, 12000, 18000}) {
            all.add(new Setting("lpf 12 at " + hz, new Object[]{"lpf", hz}, new double[][]{{1, hz, 0, Q2}}));
            all.add(new Setting("lpf 24 at " + hz, new Object[]{"lpf", hz, "lpf_slope", 1},
                    new double[][]{{1, hz, 0, Q4[0]}, {1, hz, 0, Q4[1]}}));
        }
        double[][] lows = {{100, 6}, {200, -12}, {500, 3}, {80, -6}, {1000, 12}};
        for (double[] low : lows) {
            all.add(new Setting("low shelf " + low[0] + " " + low[1], new Object[]{"low_freq", low[0], "low_gain", low[1]},
                    new double[][]{{2, low[0], low[1], Q2}}));
        }
        double[][] highs = {{2000, -6}, {5000, 6}, {8000, -12}, {10000, 3}, {12000, 9}};
        for (double[] high : highs) {
            all.add(new Setting("high shelf " + high[0] + " " + high[1],
                    new Object[]{"high_freq", high[0], "high_gain", high[1]}, new double[][]{{3, high[0], high[1], Q2}}));
        }
        double[][] peaks = {{100, 6, 0.7}, {500, -12, 2}, {1000, 9, 4}, {3000, -3, 0.5}, {8000, 12, 1}, {15000, -6, 8}};
        for (int i = 0; i < peaks.length; i++) {
            double[] peak = peaks[i];
            String band = "b" + (i % 4 + 1);
            all.add(new Setting("peak " + band + " " + peak[0] + " " + peak[1] + " q " + peak[2],
                    new Object[]{band + "_freq", peak[0], band + "_gain", peak[1], band + "_q", peak[2]},
                    new double[][]{{4, peak[0], peak[1], peak[2]}}));
        }
        all.add(new Setting("everything at once", new Object[]{"hpf", 40, "lpf", 16000, "low_gain", 3, "high_gain", -4,
                "b1_gain", 2, "b2_gain", -3, "b3_gain", 4, "b4_gain", -2},
                new double[][]{{0, 40, 0, Q2}, {1, 16000, 0, Q2}, {2, 100, 3, Q2}, {3, 10000, -4, Q2}, {4, 100, 2, 1},
                        {4, 500, -3, 1}, {4, 2000, 4, 1}, {4, 8000, -2, 1}}));
        return all;
    }

    static Stream<Arguments> ratesAndSettings() {
        List<Arguments> cases = new ArrayList<>();
        for (int rate : RATES) {
            for (Setting setting : settings()) {
                cases.add(Arguments.of(rate, setting));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} Hz: {1}")
    @MethodSource("ratesAndSettings")
    void theMeasuredResponseMatchesTheCookbook(int rate, Setting setting) {
        double worst = 0;
        String where = "";
        for (int k = 0; k < 20; k++) {
            double hz = 25 * Math.pow(0.45 * rate / 25, k / 19.0);
            double expected = 0;
            for (double[] section : setting.sections()) {
                expected += cookbookDb(section, hz, rate);
            }
            if (expected < -80) {
                continue;
            }
            double measured = measuredDb(setting.parameters(), hz, rate);
            double error = Math.abs(measured - expected);
            if (error > worst) {
                worst = error;
                where = String.format("%.1f Hz: measured %.4f dB, cookbook %.4f dB", hz, measured, expected);
            }
        }
        assertTrue(worst <= 0.05, setting + " at " + rate + " Hz differs by " + worst + " dB at " + where);
    }

    /** The gain of a sine of {@code hz} through an EQ set to {@code parameters}, after the transient, in dB. */
    private static double measuredDb(Object[] parameters, double hz, int rate) {
        Processor eq = ProcessorRun.create(Eq.TYPE, rate, 1, parameters);
        int settle = rate;
        int cycles = (int) Math.max(20, Math.ceil(0.25 * hz));
        int window = (int) Math.round(cycles * rate / hz);
        float[][] signal = ProcessorRun.sine(1, hz, 0.5, rate, settle + window);
        ProcessorRun.process(eq, signal, null, 42);
        double sine = 0;
        double cosine = 0;
        for (int i = settle; i < settle + window; i++) {
            double phase = 2 * Math.PI * hz * i / rate;
            sine += signal[0][i] * Math.sin(phase);
            cosine += signal[0][i] * Math.cos(phase);
        }
        double amplitude = 2 * Math.hypot(sine, cosine) / window;
        return 20 * Math.log10(amplitude / 0.5);
    }

    /** |H(e^jw)| in dB of one cookbook section {shape, frequency, gain, q} at {@code hz}. */
    static double cookbookDb(double[] section, double hz, int rate) {
        double w0 = 2 * Math.PI * Math.min(section[1], 0.49 * rate) / rate;
        double cos = Math.cos(w0);
        double sin = Math.sin(w0);
        double alpha = sin / (2 * section[3]);
        double a = Math.pow(10, section[2] / 40);
        double root = 2 * Math.sqrt(a) * sin / 2 * Math.sqrt(2);
        double[] c = switch ((int) section[0]) {
            case 0 -> new double[]{(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha};
            case 1 -> new double[]{(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha};
            case 2 -> new double[]{a * ((a + 1) - (a - 1) * cos + root), 2 * a * ((a - 1) - (a + 1) * cos),
                    a * ((a + 1) - (a - 1) * cos - root), (a + 1) + (a - 1) * cos + root, -2 * ((a - 1) + (a + 1) * cos),
                    (a + 1) + (a - 1) * cos - root};
            case 3 -> new double[]{a * ((a + 1) + (a - 1) * cos + root), -2 * a * ((a - 1) + (a + 1) * cos),
                    a * ((a + 1) + (a - 1) * cos - root), (a + 1) - (a - 1) * cos + root, 2 * ((a - 1) - (a + 1) * cos),
                    (a + 1) - (a - 1) * cos - root};
            default -> new double[]{1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a};
        };
        double w = 2 * Math.PI * hz / rate;
        double numeratorRe = c[0] + c[1] * Math.cos(w) + c[2] * Math.cos(2 * w);
        double numeratorIm = -c[1] * Math.sin(w) - c[2] * Math.sin(2 * w);
        double denominatorRe = c[3] + c[4] * Math.cos(w) + c[5] * Math.cos(2 * w);
        double denominatorIm = -c[4] * Math.sin(w) - c[5] * Math.sin(2 * w);
        return 20 * Math.log10(Math.hypot(numeratorRe, numeratorIm) / Math.hypot(denominatorRe, denominatorIm));
    }

    @Test
    void aFlatEqLeavesEverySampleAsItWas() {
        Processor eq = ProcessorRun.create(Eq.TYPE, 48_000, 2, "b1_freq", 300, "b2_q", 4, "low_freq", 200);
        float[][] noise = noise(2, 48_000, 3);
        float[][] copy = {noise[0].clone(), noise[1].clone()};
        ProcessorRun.process(eq, noise, null, 9);
        assertArrayEquals(copy[0], noise[0]);
        assertArrayEquals(copy[1], noise[1]);
    }

    @Test
    void theOutputDoesNotDependOnHowBlocksAreCut() {
        Object[] setting = {"hpf", 60, "b2_gain", 6, "b2_freq", 900, "high_gain", -3, "lpf", 15000, "lpf_slope", 1};
        float[][] first = noise(2, 96_000, 5);
        float[][] second = {first[0].clone(), first[1].clone()};
        ProcessorRun.process(ProcessorRun.create(Eq.TYPE, 48_000, 2, setting), first, null, 1);
        ProcessorRun.process(ProcessorRun.create(Eq.TYPE, 48_000, 2, setting), second, null, 2);
        assertArrayEquals(first[0], second[0], "bit-identical whatever the blocks");
        assertArrayEquals(first[1], second[1]);
    }

    @Test
    void fastAutomationOverTheWholeRangeStaysStableAndBounded() {
        int rate = 48_000;
        Processor eq = ProcessorRun.create(Eq.TYPE, rate, 1, "b1_gain", 6, "hpf", 100, "hpf_slope", 1);
        SplittableRandom random = new SplittableRandom(11);
        float[][] block = new float[1][32];
        double largest = 0;
        for (int done = 0; done < 10 * rate; done += 32) {
            eq.rtSet(Eq.TYPE.indexOf("b1_freq"), Math.exp(random.nextDouble(Math.log(20), Math.log(20000))));
            eq.rtSet(Eq.TYPE.indexOf("b1_gain"), random.nextDouble(-24, 24));
            eq.rtSet(Eq.TYPE.indexOf("b1_q"), random.nextDouble(0.1, 18));
            eq.rtGlide(Eq.TYPE.indexOf("hpf"), random.nextDouble(0, 20000), 1 + random.nextInt(64));
            eq.rtSet(Eq.TYPE.indexOf("high_gain"), random.nextDouble(-24, 24));
            for (int i = 0; i < 32; i++) {
                block[0][i] = (float) random.nextDouble(-0.5, 0.5);
            }
            eq.rtProcess(block, 32, null);
            for (float x : block[0]) {
                assertTrue(Float.isFinite(x), "finite at sample " + done);
                largest = Math.max(largest, Math.abs(x));
            }
        }
        assertTrue(largest < 200, "bounded: the largest sample was " + largest);
    }

    @Test
    void aGainChangeGlidesOverTheDeclickTime() {
        int rate = 48_000;
        Processor eq = ProcessorRun.create(Eq.TYPE, rate, 1, "b2_freq", 1000, "b2_gain", 0.0);
        float[][] tone = ProcessorRun.sine(1, 1000, 0.5, rate, rate);
        eq.rtSet(Eq.TYPE.indexOf("b2_gain"), 12);
        ProcessorRun.process(eq, tone, null, 4);
        double early = ProcessorRun.peak(tone[0], 0, 48);
        double late = ProcessorRun.peak(tone[0], rate / 2, rate);
        assertTrue(early < 0.6, "starts near unity: " + early);
        assertEquals(12, ProcessorRun.db(late / 0.5), 0.01, "ends 12 dB up");
    }

    private static float[][] noise(int channels, int frames, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] noise = new float[channels][frames];
        for (float[] channel : noise) {
            for (int i = 0; i < frames; i++) {
                channel[i] = (float) random.nextDouble(-0.5, 0.5);
            }
        }
        return noise;
    }
}
