package desk.engine;

import desk.engine.backend.BlockSizes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing: dependency order, refusal of loops and of impossible routes, and nothing applied on refusal. */
class RoutingTest {
    @Test
    void busesRunAfterEverythingThatFeedsThem() {
        Rig rig = new Rig(48000);
        int a = rig.bus(StripKind.GROUP_BUS, 2);
        int b = rig.bus(StripKind.GROUP_BUS, 2);
        int track = rig.track(1);
        rig.output(a, b);
        rig.output(track, a);
        int[] order = rig.engine.processingOrder();
        assertArrayEquals(new int[]{track, a, b, NodeIds.MASTER_ID}, order);
    }

    @Test
    void loopsThroughOutputsAndSendsAreRefusedWithThePathAndNothingChanges() {
        Rig rig = new Rig(48000);
        int a = rig.bus(StripKind.GROUP_BUS, 2);
        int b = rig.bus(StripKind.GROUP_BUS, 2);
        int c = rig.bus(StripKind.AUX_BUS, 2);
        rig.output(a, b);
        rig.send(b, c, false, 0);
        int[] before = rig.engine.processingOrder();
        EngineException loop = assertThrows(EngineException.class, () -> rig.output(c, a));
        assertEquals("routing " + c + " into " + a + " would make a loop: " + c + " -> " + a + " -> " + b + " -> " + c,
                loop.getMessage());
        assertThrows(EngineException.class, () -> rig.send(c, a, true, 0));
        assertThrows(EngineException.class, () -> rig.output(a, a));
        assertArrayEquals(before, rig.engine.processingOrder());
    }

    @Test
    void impossibleRoutesAreRefused() {
        Rig rig = new Rig(48000);
        int track = rig.track(2);
        int other = rig.track(1);
        int aux = rig.bus(StripKind.AUX_BUS, 2);
        assertMessage("strip " + other + " is a track: outputs and sends go to buses or the master",
                () -> rig.output(track, other));
        assertMessage("bus 99 does not exist", () -> rig.output(track, 99));
        assertMessage("sends go to group or aux buses, not to the master", () -> rig.send(track, NodeIds.MASTER_ID, false, 0));
        rig.send(track, aux, false, 0);
        assertTrue(assertThrows(EngineException.class, () -> rig.send(track, aux, true, -3)).getMessage()
                .contains("already sends to bus " + aux));
        assertMessage("the master has no sends", () -> rig.send(NodeIds.MASTER_ID, aux, false, 0));
    }

    @Test
    void badValuesAreRefusedWithOneLineAndChangeNothing() {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(1000, -20)));
        float[][] before = new Rig(48000).render(0, BlockSizes.fixed(64));
        assertMessage("fader 1000000000 is out of range: must be -inf or -144..12 dB",
                () -> rig.set(track, Parameter.FADER, 1e9));
        assertMessage("fader NaN is not a number: must be -inf or -144..12 dB",
                () -> rig.set(track, Parameter.FADER, Double.NaN));
        assertMessage("trim -inf is out of range: must be -24..24 dB",
                () -> rig.set(track, Parameter.TRIM, Double.NEGATIVE_INFINITY));
        assertMessage("pan inf is out of range: must be -1..1", () -> rig.set(track, Parameter.PAN, Double.POSITIVE_INFINITY));
        assertMessage("panLaw -5 must be 0, -3, -4.5 or -6 (dB at the centre)", () -> rig.set(track, Parameter.PAN_LAW, -5));
        assertMessage("balance applies to stereo and wider strips; strip " + track + " is mono: use pan",
                () -> rig.set(track, Parameter.BALANCE, 0.5));
        assertMessage("id " + track + " is already in use", () -> rig.engine.execute(
                new EngineCommand.CreateStrip(track, StripKind.TRACK, 1)));
        assertMessage("channels 9: a track has 1..8", () -> rig.engine.execute(
                new EngineCommand.CreateStrip(rig.id(), StripKind.TRACK, 9)));
        assertMessage("channels 3: a bus has 1..2", () -> rig.engine.execute(
                new EngineCommand.CreateStrip(rig.id(), StripKind.GROUP_BUS, 3)));
        assertMessage("generator frequency 30000 Hz: must be above 0 and below 24000 Hz (half the sample rate)",
                () -> rig.generator(GeneratorSpec.sine(30000, -20)));
        assertMessage("generator level 3 dBFS: must be -inf or -144..0 dBFS", () -> rig.generator(GeneratorSpec.sine(100, 3)));
        assertEquals(0, before[0].length);
        float[][] out = rig.render(4800, BlockSizes.fixed(480));
        double expected = -20 + desk.engine.dsp.Decibels.fromGain(Math.sqrt(0.5));
        assertEquals(expected, Rig.peakDb(out[0], 0, 4800), 0.01, "the track still plays at its old settings");
    }

    private static void assertMessage(String expected, Runnable action) {
        assertEquals(expected, assertThrows(EngineException.class, action::run).getMessage());
    }
}
