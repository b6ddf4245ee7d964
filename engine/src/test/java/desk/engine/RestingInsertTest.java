package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resting insert (a frozen track's) does not run at all, where a bypassed one with latency keeps running to
 * keep its lookahead full: a limiter with lookahead, bypassed and resting on a sine pushed into its ceiling,
 * reports no gain reduction while the same limiter only bypassed does, and both pass the same samples (the dry
 * signal delayed by the limiter's latency). Woken and engaged, it runs again and, once its lookahead has filled
 * and its envelope settled, plays what the limiter that never rested plays. Across sample rates and block sizes.
 */
class RestingInsertTest {
    private static final int TRACK = 3;
    private static final int LIMITER = 4;

    @ParameterizedTest(name = "{0} Hz, {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void aRestingInsertDoesNotRunAndComesBackAsTheOneThatNeverRested(int rate, BlockSizes blocks) throws IOException {
        Engine resting = limited(rate);
        Engine bypassed = limited(rate);
        resting.execute(new EngineCommand.RestInsert(LIMITER, true));

        float[] restingOut = render(resting, rate, blocks);
        float[] bypassedOut = render(bypassed, rate, blocks);
        assertEquals(0.0, resting.insert(LIMITER).gainReductionDb(), "a resting limiter never ran");
        assertTrue(bypassed.insert(LIMITER).gainReductionDb() > 3, "a bypassed limiter with lookahead runs: "
                + bypassed.insert(LIMITER).gainReductionDb() + " dB");
        assertTrue(resting.insert(LIMITER).latency() > 0, "the limiter looks ahead");
        assertArrayEquals(bypassedOut, restingOut, "both pass the dry signal, delayed alike");

        resting.execute(new EngineCommand.RestInsert(LIMITER, false));
        resting.execute(new EngineCommand.SetInsertBypass(LIMITER, false));
        bypassed.execute(new EngineCommand.SetInsertBypass(LIMITER, false));
        float[] woken = render(resting, rate, blocks);
        float[] engaged = render(bypassed, rate, blocks);
        assertTrue(resting.insert(LIMITER).gainReductionDb() > 3, "woken, it runs");
        int settled = woken.length / 2;
        double worst = 0;
        for (int i = settled; i < woken.length; i++) {
            worst = Math.max(worst, Math.abs(woken[i] - engaged[i]));
        }
        assertTrue(20 * Math.log10(worst) < -80, "woken and settled, it plays what the one that never rested plays:"
                + " they differ by " + 20 * Math.log10(worst) + " dBFS");
    }

    /** A 1 kHz sine at -6 dBFS through a limiter pushed 12 dB into its -1 dBFS ceiling, bypassed, on a track. */
    private static Engine limited(int rate) {
        Engine engine = new Engine(rate, 0);
        engine.execute(new EngineCommand.CreateGenerator(2, GeneratorSpec.sine(1000, -6)));
        engine.execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.SetInput(TRACK, 0, 2, 0));
        engine.execute(new EngineCommand.AddInsert(LIMITER, TRACK, "limiter", -1,
                Map.of("ceiling", -1.0, "input_gain", 12.0), true));
        return engine;
    }

    /** One second of the master's left channel. */
    private static float[] render(Engine engine, int rate, BlockSizes blocks) throws IOException {
        float[] left = new float[rate];
        int[] at = {0};
        new OfflineRenderer(engine).render(rate, blocks, (master, frames) -> {
            System.arraycopy(master[0], 0, left, at[0], frames);
            at[0] += frames;
        });
        return left;
    }
}
