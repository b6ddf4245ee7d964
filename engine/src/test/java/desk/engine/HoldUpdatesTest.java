package desk.engine;

import desk.engine.backend.BlockSizes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch of commands sent while the engine holds its updates back sounds exactly as the same commands sent one
 * by one: the plan, the gains, the latency compensation and the automation are worked out once, at the end.
 */
class HoldUpdatesTest {
    @ParameterizedTest
    @ValueSource(ints = {44100, 48000, 96000})
    void aHeldBatchRendersSampleForSampleAsTheSameCommandsOneByOne(int rate) {
        Rig oneByOne = new Rig(rate);
        build(oneByOne);
        Rig held = new Rig(rate);
        held.engine.execute(new EngineCommand.HoldUpdates(true));
        build(held);
        int[] orderWhileHeld = held.engine.processingOrder();
        held.engine.execute(new EngineCommand.HoldUpdates(false));

        assertEquals(1, orderWhileHeld.length, "while held, the plan still runs the master alone");
        assertArrayEquals(oneByOne.engine.processingOrder(), held.engine.processingOrder());
        assertEquals(oneByOne.engine.processingLatency(), held.engine.processingLatency());
        assertTrue(held.engine.processingLatency() > 0, "the batch has an insert with latency to compensate");
        BlockSizes blocks = BlockSizes.random(rate, 1, 512);
        float[][] expected = oneByOne.render(rate, blocks);
        float[][] actual = held.render(rate, BlockSizes.random(rate, 1, 512));
        assertTrue(Rig.peakDb(expected[0], 0, rate) > -40, "the batch makes sound");
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(expected[c], actual[c], "channel " + (c + 1));
        }
    }

    /** Tracks through a group with an insert that delays, sends pre and post to an aux, a solo, and a fader lane. */
    private static void build(Rig rig) {
        int group = rig.bus(StripKind.GROUP_BUS, 2);
        int aux = rig.bus(StripKind.AUX_BUS, 2);
        rig.set(group, Parameter.FADER, -3);
        for (int t = 0; t < 6; t++) {
            int track = rig.track(t % 2 + 1);
            int noise = rig.generator(GeneratorSpec.noise(t % 3 == 0, -18, t + 1));
            rig.feed(track, t % 2 + 1, noise);
            rig.output(track, t < 4 ? group : NodeIds.MASTER_ID);
            rig.send(track, aux, t % 2 == 0, -12);
            rig.set(track, Parameter.FADER, -6 + t);
            if (t == 2) {
                rig.engine.execute(new EngineCommand.AddInsert(rig.id(), track, "limiter", -1,
                        Map.of("ceiling", -6.0), false));
                rig.engine.execute(new EngineCommand.SetLane(track, Parameter.FADER, new AutomationLane(
                        new long[]{0, 4800}, new double[]{-20, 0}, new Interpolation[]{Interpolation.DB,
                        Interpolation.DB})));
            }
        }
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), group, "compressor", -1, Map.of("threshold", -24.0), false));
        rig.engine.execute(new EngineCommand.SetParameter(aux, Parameter.MUTE, 0));
    }
}
