package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.dsp.Decibels;
import desk.engine.dsp.PanLaw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct outs: a bus's signal after its fader and mute, channel to channel, on playback channels of its own;
 * independent of the bus's balance, of the master and of solo; switched on and off without a click; refused
 * in one line where it cannot go.
 */
class DirectOutTest {
    private static final int CHANNELS = 6;
    private static final double TONE_DB = -12;
    private static final double BUS_FADER_DB = -6;

    /** A mono track with a sine, panned centre into a stereo group bus at -6 dB; the bus's direct out on 3 and 4. */
    private record Desk(Rig rig, int track, int bus) {
        static Desk build(int rate) {
            Rig rig = new Rig(rate, CHANNELS);
            int track = rig.track(1);
            rig.feed(track, 1, rig.generator(GeneratorSpec.sine(997, TONE_DB)));
            int bus = rig.bus(StripKind.GROUP_BUS, 2);
            rig.output(track, bus);
            rig.set(bus, Parameter.FADER, BUS_FADER_DB);
            return new Desk(rig, track, bus);
        }

        void directOut(int... channels) {
            rig.engine.execute(new EngineCommand.SetDirectOut(bus, channels));
        }
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void theDirectOutIsTheBusAfterItsFaderBitForBitWhateverTheMasterAndTheBalanceDo(int rate, BlockSizes blocks) {
        Desk plain = Desk.build(rate);
        plain.directOut(2, 3);
        float[][] alone = plain.rig().renderPlayback(rate / 2, blocks);
        assertArrayEquals(alone[0], alone[2], "left: the direct out equals the bus's path to a unity master");
        assertArrayEquals(alone[1], alone[3], "right");
        for (int c = 4; c < CHANNELS; c++) {
            assertEquals(Double.NEGATIVE_INFINITY, Rig.peakDb(alone[c], 0, alone[c].length), "channel " + (c + 1) + " is silent");
        }
        double expected = TONE_DB + Decibels.fromGain(PanLaw.MINUS_3_DB.left(0)) + BUS_FADER_DB;
        assertEquals(expected, Rig.peakDb(alone[2], rate / 4, rate / 2), 0.001, "level after the bus fader");

        Desk moved = Desk.build(rate);
        moved.directOut(2, 3);
        moved.rig().set(moved.bus(), Parameter.BALANCE, 0.5);
        moved.rig().set(NodeIds.MASTER_ID, Parameter.FADER, -20);
        float[][] out = moved.rig().renderPlayback(rate / 2, blocks);
        assertArrayEquals(alone[2], out[2], "the direct out ignores balance and the master");
        assertArrayEquals(alone[3], out[3]);
        assertEquals(expected - 20 + Decibels.fromGain(0.5), Rig.peakDb(out[0], rate / 4, rate / 2), 0.001,
                "the master follows its own fader and the bus's balance");
    }

    @Test
    void aMonoBusHasOneChannelAndAMutedBusNoneWhileSoloLeavesItAlone() {
        Rig rig = new Rig(48000, CHANNELS);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(1000, TONE_DB)));
        int aux = rig.bus(StripKind.AUX_BUS, 1);
        rig.send(track, aux, true, -4);
        rig.output(track, NodeIds.NO_NODE);
        rig.set(track, Parameter.SOLO_SAFE, 1);
        int other = rig.track(1);
        rig.engine.execute(new EngineCommand.SetDirectOut(aux, new int[]{5}));
        rig.set(other, Parameter.SOLO, 1);
        float[][] soloed = rig.renderPlayback(24000, BlockSizes.fixed(256));
        assertEquals(TONE_DB - 4, Rig.peakDb(soloed[5], 12000, 24000), 0.001, "a pre-fader send at -4 dB");
        assertEquals(Double.NEGATIVE_INFINITY, Rig.peakDb(soloed[0], 12000, 24000), "solo mutes the bus's way to the master");

        rig.set(aux, Parameter.MUTE, 1);
        float[][] muted = rig.renderPlayback(24000, BlockSizes.fixed(256));
        assertEquals(Double.NEGATIVE_INFINITY, Rig.peakDb(muted[5], 480, 24000), "mute closes the direct out");
    }

    @Test
    void turningItOnAndOffFadesOverTenMillisecondsWithoutAClickThenLeavesSilence() {
        int rate = 48000;
        Desk desk = Desk.build(rate);
        desk.rig().renderPlayback(4800, BlockSizes.fixed(64));
        desk.directOut(2, 3);
        float[] on = desk.rig().renderPlayback(4800, BlockSizes.fixed(64))[2];
        double full = Decibels.toGain(TONE_DB + Decibels.fromGain(PanLaw.MINUS_3_DB.left(0)) + BUS_FADER_DB);
        double natural = full * 2 * Math.PI * 997 / rate;
        assertTrue(Math.abs(on[0]) < natural, "starts from silence: " + on[0]);
        assertTrue(maxStep(on) <= natural * 1.05, "no click: largest step " + maxStep(on) + ", the sine's own " + natural);
        assertEquals(Decibels.fromGain(full), Rig.peakDb(on, rate / 100, 4800), 0.001, "full level after 10 ms");

        desk.directOut();
        assertFalse(desk.rig().engine.playbackSilent(new int[]{2, 3}), "fading out");
        float[] off = desk.rig().renderPlayback(Limits.MAX_BLOCK + rate / 50, BlockSizes.fixed(64))[2];
        assertTrue(maxStep(off) <= natural * 1.05, "no click: largest step " + maxStep(off));
        assertEquals(Decibels.fromGain(full), Rig.peakDb(off, 0, 48), 0.2, "still playing as the fade starts");
        assertEquals(Double.NEGATIVE_INFINITY, Rig.peakDb(off, rate / 100, off.length), "silent after 10 ms");
        assertTrue(desk.rig().engine.playbackSilent(new int[]{2, 3}), "nothing writes there any more");
    }

    @Test
    void removingTheBusFadesItsDirectOutAndFreesItsChannels() {
        Desk desk = Desk.build(48000);
        desk.directOut(4, 5);
        desk.rig().renderPlayback(4800, BlockSizes.fixed(256));
        desk.rig().engine.execute(new EngineCommand.RemoveStrip(desk.bus()));
        assertFalse(desk.rig().engine.playbackSilent(new int[]{5}));
        float[][] after = desk.rig().renderPlayback(Limits.MAX_BLOCK + 960, BlockSizes.fixed(256));
        assertEquals(Double.NEGATIVE_INFINITY, Rig.peakDb(after[4], 480, after[4].length));
        assertTrue(desk.rig().engine.playbackSilent(new int[]{4, 5}));
        int next = desk.rig().bus(StripKind.AUX_BUS, 2);
        desk.rig().engine.execute(new EngineCommand.SetDirectOut(next, new int[]{4, 5}));
    }

    @Test
    void impossibleDirectOutsAreRefusedInOneLineAndChangeNothing() {
        Desk desk = Desk.build(48000);
        Rig rig = desk.rig();
        int mono = rig.bus(StripKind.AUX_BUS, 1);
        rig.engine.execute(new EngineCommand.SetDirectOut(mono, new int[]{5}));
        assertMessage("strip " + desk.track() + " is a track: direct outs belong to group and aux buses",
                () -> rig.engine.execute(new EngineCommand.SetDirectOut(desk.track(), new int[]{2})));
        assertMessage("the master plays on playback channels 1 and 2 always: it has no direct out",
                () -> rig.engine.execute(new EngineCommand.SetDirectOut(NodeIds.MASTER_ID, new int[]{2, 3})));
        assertMessage("bus 99 does not exist", () -> rig.engine.execute(new EngineCommand.SetDirectOut(99, new int[]{2})));
        assertMessage("direct out of bus " + desk.bus() + " needs 2 playback channels (one per channel), got 1",
                () -> desk.directOut(2));
        assertMessage("direct out of bus " + desk.bus() + ": playback channel 2: must be 3..6 (1 and 2 are the master's)",
                () -> desk.directOut(1, 2));
        assertMessage("direct out of bus " + desk.bus() + ": playback channel 7: must be 3..6 (1 and 2 are the master's)",
                () -> desk.directOut(3, 6));
        assertMessage("direct out of bus " + desk.bus() + ": playback channel 3 is given twice", () -> desk.directOut(2, 2));
        assertMessage("direct out of bus " + desk.bus() + ": playback channel 6 carries the direct out of bus " + mono,
                () -> desk.directOut(4, 5));
        Rig masterOnly = new Rig(48000);
        int bus = masterOnly.bus(StripKind.GROUP_BUS, 1);
        assertMessage("direct out of bus " + bus + ": playback channel 3 does not exist: this interface plays the"
                + " master alone", () -> masterOnly.engine.execute(new EngineCommand.SetDirectOut(bus, new int[]{2})));
        float[][] out = rig.renderPlayback(4800, BlockSizes.fixed(480));
        for (int c = 2; c < 5; c++) {
            assertEquals(Double.NEGATIVE_INFINITY, Rig.peakDb(out[c], 0, 4800), "channel " + (c + 1) + " stays silent");
        }
    }

    private static double maxStep(float[] x) {
        double step = 0;
        for (int i = 1; i < x.length; i++) {
            step = Math.max(step, Math.abs(x[i] - x[i - 1]));
        }
        return step;
    }

    private static void assertMessage(String expected, Runnable action) {
        assertEquals(expected, assertThrows(EngineException.class, action::run).getMessage());
    }
}
