package desk.engine;

import desk.engine.backend.BlockSizes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delay compensation: paths that meet on a bus or the master arrive aligned whatever inserts with latency
 * lie on some of them; null tests against a copy with its polarity inverted.
 */
class DelayCompensationTest {
    /** A limiter far above the signal: it adds its lookahead and changes nothing else. */
    private static void limiter(Rig rig, int strip) {
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), strip, "limiter", -1, Map.of("ceiling", 0.0), false));
    }

    private static void invert(Rig rig, int strip, int channels) {
        boolean[] inverted = new boolean[channels];
        java.util.Arrays.fill(inverted, true);
        rig.engine.execute(new EngineCommand.SetPolarity(strip, inverted));
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void aTrackSplitToALimitedBusAndAnInvertedDryBusCancelsOnTheMaster(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(true, -12, 7)));
        int limited = rig.bus(StripKind.GROUP_BUS, 2);
        int dry = rig.bus(StripKind.GROUP_BUS, 2);
        rig.output(track, limited);
        rig.send(track, dry, false, 0);
        limiter(rig, limited);
        invert(rig, dry, 2);
        assertTrue(rig.engine.stripLatency(NodeIds.MASTER_ID) > 0, "the limiter's lookahead is the session's latency");
        assertEquals(rig.engine.stripLatency(limited), rig.engine.stripLatency(NodeIds.MASTER_ID));
        float[][] out = rig.render(rate, blocks);
        for (float[] channel : out) {
            assertTrue(Rig.peakDb(channel, 0, channel.length) < -100, "cancels: " + Rig.peakDb(channel, 0, channel.length));
        }
    }

    @ParameterizedTest(name = "pre-fader {0}")
    @ValueSource(booleans = {false, true})
    void aSendThroughALimitedAuxCancelsAgainstTheDryTrack(boolean preFader) {
        int rate = 48_000;
        Rig rig = new Rig(rate);
        int track = rig.track(2);
        rig.feed(track, 2, rig.generator(GeneratorSpec.noise(false, -18, 3)));
        int aux = rig.bus(StripKind.AUX_BUS, 2);
        rig.send(track, aux, preFader, 0);
        limiter(rig, aux);
        invert(rig, aux, 2);
        float[][] out = rig.render(rate / 2, BlockSizes.random(11, 1, 1024));
        for (float[] channel : out) {
            assertTrue(Rig.peakDb(channel, 0, channel.length) < -100, "cancels: " + Rig.peakDb(channel, 0, channel.length));
        }
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44_100, 96_000})
    void withoutCompensationTheSameSplitWouldNotCancel(int rate) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(true, -12, 7)));
        int limited = rig.bus(StripKind.GROUP_BUS, 2);
        rig.output(track, limited);
        limiter(rig, limited);
        int latency = rig.engine.stripLatency(limited);
        float[] delayed = rig.render(rate / 4, BlockSizes.fixed(256))[0];
        Rig dry = new Rig(rate);
        int plain = dry.track(1);
        dry.feed(plain, 1, dry.generator(GeneratorSpec.noise(true, -12, 7)));
        float[] direct = dry.render(rate / 4, BlockSizes.fixed(256))[0];
        for (int i = latency; i < direct.length; i++) {
            assertEquals(direct[i - latency], delayed[i], 1e-6, "the limited path is the dry one, " + latency
                    + " samples later, at " + i);
        }
    }
}
