package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.fx.EqBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EQs of a session's strips, run side by side through the vector API, give the master the engine gives with
 * every EQ run one at a time, bit for bit: mono and stereo tracks, EQs first, after a compressor and on a bus,
 * with four peaking bands or filters and shelves too, in blocks of random length.
 */
class EqSideBySideTest {
    @BeforeAll
    static void theVectorLoopsAreCompiled() throws InterruptedException {
        assertTrue(EqBatch.awaitTaking(60, TimeUnit.SECONDS), "the tests run with the vector API");
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void aMixWithEqsSideBySideNullsAgainstTheSameMixWithThemOneAtATime(int rate) {
        long lanesBefore = EqBatch.lanesRun();
        float[][] batched = mix(rate).render(rate, BlockSizes.random(rate, 1, 4096));
        long lanesBatched = EqBatch.lanesRun() - lanesBefore;
        Rig oneAtATime;
        System.setProperty(EqBatch.ONE_AT_A_TIME, "true");
        try {
            oneAtATime = mix(rate);
        } finally {
            System.clearProperty(EqBatch.ONE_AT_A_TIME);
        }
        lanesBefore = EqBatch.lanesRun();
        float[][] alone = oneAtATime.render(rate, BlockSizes.random(rate + 1, 1, 4096));
        assertTrue(lanesBatched > 0, "the EQs ran side by side");
        assertEquals(0, EqBatch.lanesRun() - lanesBefore, "the reference ran them one at a time");
        double peak = 0;
        for (float sample : batched[0]) {
            peak = Math.max(peak, Math.abs(sample));
        }
        assertTrue(peak > 0.01, "the mix sounds: " + peak);
        for (int c = 0; c < batched.length; c++) {
            assertArrayEquals(alone[c], batched[c], "master channel " + c);
        }
    }

    /** Twelve tracks of noise with EQs and compressors into a group bus with an EQ of its own, and the master. */
    private static Rig mix(int rate) {
        Rig rig = new Rig(rate);
        SplittableRandom random = new SplittableRandom(5);
        int group = rig.bus(StripKind.GROUP_BUS, 2);
        rig.output(group, NodeIds.MASTER_ID);
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), group, "eq", -1, Map.of("b1_gain", -3.0,
                "b2_gain", 2.0, "b3_gain", 1.0, "b4_gain", -1.0), false));
        for (int t = 0; t < 12; t++) {
            int track = rig.track(t % 3 == 0 ? 1 : 2);
            rig.feed(track, t % 3 == 0 ? 1 : 2, rig.generator(GeneratorSpec.noise(t % 2 == 0, -12, 100 + t)));
            Map<String, Double> bands = Map.of("b1_freq", 200.0 + 20 * t, "b1_gain", random.nextDouble(-6, 6),
                    "b2_gain", random.nextDouble(-6, 6), "b3_gain", random.nextDouble(-6, 6),
                    "b4_gain", random.nextDouble(-6, 6), "b4_q", random.nextDouble(0.5, 4));
            rig.engine.execute(new EngineCommand.AddInsert(rig.id(), track, "eq", -1, bands, false));
            if (t % 2 == 0) {
                rig.engine.execute(new EngineCommand.AddInsert(rig.id(), track, "compressor", -1,
                        Map.of("threshold", -30.0, "ratio", 3.0), false));
                rig.engine.execute(new EngineCommand.AddInsert(rig.id(), track, "eq", -1, Map.of("hpf", 80.0,
                        "low_gain", 2.0, "b2_gain", -2.0), false));
            }
            rig.set(track, Parameter.FADER, -6);
            rig.output(track, t % 4 == 0 ? NodeIds.MASTER_ID : group);
        }
        return rig;
    }
}
