package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.dsp.Decibels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Generators give their analytic levels, at exact positions, and the same samples at any block size. */
class GeneratorTest {
    /** Renders a mono generator hard left through unity gain and returns the left channel. */
    private static float[] render(int rate, GeneratorSpec spec, int frames, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(spec));
        rig.set(track, Parameter.PAN, -1);
        return rig.render(frames, blocks)[0];
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void sineAndSquareHaveTheirAnalyticPeakAndRms(int rate, BlockSizes blocks) {
        float[] sine = render(rate, GeneratorSpec.sine(1000, -20), rate, blocks);
        assertEquals(-20, Rig.peakDb(sine, 0, rate), 0.01, "sine peak");
        assertEquals(-20 - Decibels.fromGain(Math.sqrt(2)), Rig.rmsDb(sine, 0, rate), 0.01, "sine RMS");
        float[] square = render(rate, GeneratorSpec.square(100, -10), rate, blocks);
        assertEquals(-10, Rig.peakDb(square, 0, rate), 0.01, "square peak");
        assertEquals(-10, Rig.rmsDb(square, 0, rate), 0.01, "square RMS");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void noiseHasItsRmsLevelAndIsTheSameAtAnyBlockSize(int rate, BlockSizes blocks) {
        float[] white = render(rate, GeneratorSpec.noise(false, -18, 3), rate, blocks);
        assertEquals(-18, Rig.rmsDb(white, 0, rate), 0.05, "white RMS");
        float[] pink = render(rate, GeneratorSpec.noise(true, -18, 3), rate / 2, blocks);
        assertArrayEquals(render(rate, GeneratorSpec.noise(true, -18, 3), rate / 2, BlockSizes.fixed(512)), pink);
        assertArrayEquals(render(rate, GeneratorSpec.noise(false, -18, 3), rate, BlockSizes.fixed(512)), white);
        assertFalse(java.util.Arrays.equals(white, render(rate, GeneratorSpec.noise(false, -18, 4), rate, blocks)),
                "another seed gives other noise");
    }

    @Test
    void pinkNoiseHasItsRmsLevelAndFallsThreeDbPerOctave() {
        int rate = 48000;
        float[] longRun = render(rate, GeneratorSpec.noise(true, -18, 5), 30 * rate, BlockSizes.fixed(4096));
        assertEquals(-18, Rig.rmsDb(longRun, 0, longRun.length), 0.15, "pink RMS over 30 s");
        float[] pink = render(rate, GeneratorSpec.noise(true, -18, 11), 4 * rate, BlockSizes.fixed(1000));
        double low = bandPower(pink, rate, 250, 500);
        double high = bandPower(pink, rate, 4000, 8000);
        assertEquals(0, Decibels.fromPower(high / low), 1.0, "pink noise has equal power per octave");
        float[] white = render(rate, GeneratorSpec.noise(false, -18, 11), 4 * rate, BlockSizes.fixed(1000));
        assertEquals(10 * Math.log10(16), Decibels.fromPower(bandPower(white, rate, 4000, 8000)
                / bandPower(white, rate, 250, 500)), 0.5, "white noise has equal power per hertz");
    }

    /** Power per hertz in [from, to) Hz, from a plain DFT of every fifth bin over 1/8 s frames (fine for a test). */
    private static double bandPower(float[] x, int rate, double from, double to) {
        double power = 0;
        int frame = rate / 8;
        for (int start = 0; start + frame <= x.length; start += frame) {
            for (int bin = (int) (from * frame / rate); bin < to * frame / rate; bin += 5) {
                double re = 0;
                double im = 0;
                for (int n = 0; n < frame; n += 1) {
                    double angle = 2 * Math.PI * bin * n / frame;
                    re += x[start + n] * Math.cos(angle);
                    im += x[start + n] * Math.sin(angle);
                }
                power += re * re + im * im;
            }
        }
        return power;
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void impulsesLandOnTheirExactSamples(int rate, BlockSizes blocks) {
        float[] x = render(rate, GeneratorSpec.impulse(-6, 12_345, 1000), 20_000, blocks);
        float amplitude = (float) Decibels.toGain(-6);
        for (int i = 0; i < x.length; i++) {
            boolean expected = i >= 12_345 && (i - 12_345) % 1000 == 0;
            assertEquals(expected ? amplitude : 0f, x[i], "sample " + i);
        }
    }
}
