package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every level change is a ramp: no step, complete within 10 ms, at any rate and block size. */
class DeclickTest {
    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void faderJumpToMinusInfinityRampsWithoutAStepAndEndsWithin10Ms(int rate, BlockSizes blocks) throws IOException {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(rate / 4.0 - 1, 0)));
        rig.set(track, Parameter.PAN, -1);
        rig.set(track, Parameter.SOLO_SAFE, 0);
        OfflineRenderer renderer = new OfflineRenderer(rig.engine);
        int before = rate / 10;
        renderer.renderToMemory(before, blocks);
        rig.set(track, Parameter.FADER, Double.NEGATIVE_INFINITY);
        float[] out = renderer.renderToMemory(rate / 20, blocks)[0];
        int tenMs = rate / 100;
        double largestStep = 0;
        double previous = 1.0;
        for (int i = 0; i < tenMs; i++) {
            double gain = Math.abs(out[i]);
            largestStep = Math.max(largestStep, Math.abs(previous - gain));
            previous = gain;
        }
        int rampSamples = rate * Limits.DECLICK_MILLISECONDS / 1000;
        assertTrue(largestStep <= 1.0 / rampSamples + 1e-5, "largest gain step " + largestStep);
        for (int i = tenMs; i < out.length; i++) {
            assertEquals(0f, out[i], "silent from 10 ms on, sample " + i);
        }
        assertTrue(Math.abs(out[0]) > 0.9f, "the ramp starts from where the fader was");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void polarityFlipPassesThroughZeroSmoothly(int rate, BlockSizes blocks) throws IOException {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(rate / 4.0 - 1, -6)));
        rig.set(track, Parameter.PAN, -1);
        OfflineRenderer renderer = new OfflineRenderer(rig.engine);
        renderer.renderToMemory(1000, blocks);
        rig.engine.execute(new EngineCommand.SetPolarity(track, new boolean[]{true}));
        float[] out = renderer.renderToMemory(rate / 50, blocks)[0];
        double amplitude = desk.engine.dsp.Decibels.toGain(-6);
        int rampSamples = rate * Limits.DECLICK_MILLISECONDS / 1000;
        for (int i = 1; i < rampSamples; i++) {
            double envelopeStep = Math.abs(Math.abs(out[i]) - Math.abs(out[i - 1]));
            assertTrue(envelopeStep <= 2 * amplitude / rampSamples + 1e-5, "envelope step " + envelopeStep + " at " + i);
        }
    }
}
