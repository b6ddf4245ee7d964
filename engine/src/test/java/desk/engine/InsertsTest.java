package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inserts through the whole engine: a chain between trim and fader, changed while playing without a click,
 * parameters set, automated and ramped on their samples, refusals that change nothing, meters on either side.
 */
class InsertsTest {
    private static final double MINUS_6_DB = Math.pow(10, -6 / 20.0);

    /** A mono track fed a -6 dBFS sine, panned hard left, so the master's left channel is the strip's signal. */
    private static int sineTrack(Rig rig, double frequency) {
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(frequency, -6)));
        rig.set(track, Parameter.PAN, -1);
        return track;
    }

    private static void insert(Rig rig, int id, int strip, String type, int index, Map<String, Double> parameters) {
        rig.engine.execute(new EngineCommand.AddInsert(id, strip, type, index, parameters, false));
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void anInsertBeforeTheFirstBlockProcessesFromTheFirstSample(int rate, BlockSizes blocks) {
        Rig reference = new Rig(rate);
        sineTrack(reference, 1000);
        float[] dry = reference.render(rate / 10, blocks)[0];
        Rig rig = new Rig(rate);
        int track = sineTrack(rig, 1000);
        insert(rig, rig.id(), track, "utility", -1, Map.of("gain", -6.0));
        float[] out = rig.render(rate / 10, blocks)[0];
        for (int i = 0; i < out.length; i++) {
            assertEquals(dry[i] * MINUS_6_DB, out[i], 1e-6, "sample " + i);
        }
    }

    @Test
    void addingWhilePlayingCrossfadesOverTheCrossfadeTime() {
        int rate = 48_000;
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(rate / 4.0 - 1, 0)));
        rig.set(track, Parameter.PAN, -1);
        rig.render(1000, BlockSizes.fixed(64));
        insert(rig, rig.id(), track, "utility", -1, Map.of("gain", -40.0));
        float[] out = rig.render(rate / 20, BlockSizes.random(5, 1, 300))[0];
        int fade = rate * Limits.CROSSFADE_MILLISECONDS / 1000;
        double target = Math.pow(10, -40 / 20.0);
        double largestStep = 0;
        for (int i = 1; i < fade; i++) {
            largestStep = Math.max(largestStep, Math.abs(Math.abs(out[i]) - Math.abs(out[i - 1])));
        }
        assertTrue(largestStep <= (1 - target) / fade + 1e-5, "envelope steps " + largestStep);
        assertTrue(Math.abs(out[0]) > 0.99, "starts from the dry signal: " + out[0]);
        for (int i = fade; i < out.length; i++) {
            assertEquals(target, Math.abs(out[i]), 1e-6, "processed from the end of the fade, sample " + i);
        }
    }

    @Test
    void bypassCrossfadesToTheDrySignalAndBack() {
        int rate = 44_100;
        Rig rig = new Rig(rate);
        int track = sineTrack(rig, 441);
        int utility = rig.id();
        insert(rig, utility, track, "utility", -1, Map.of("gain", -6.0));
        Rig reference = new Rig(rate);
        sineTrack(reference, 441);
        float[] dry = reference.render(rate, BlockSizes.fixed(100))[0];
        float[] before = rig.render(rate / 2, BlockSizes.fixed(100))[0];
        rig.engine.execute(new EngineCommand.SetInsertBypass(utility, true));
        float[] after = rig.render(rate / 2, BlockSizes.fixed(100))[0];
        int fade = rate * Limits.CROSSFADE_MILLISECONDS / 1000;
        assertEquals(dry[rate / 2 - 1] * MINUS_6_DB, before[rate / 2 - 1], 1e-6);
        for (int i = fade; i < after.length; i++) {
            assertEquals(dry[rate / 2 + i], after[i], 1e-6, "dry after the fade, sample " + i);
        }
        assertEquals(0.5 * (1 + MINUS_6_DB) * dry[rate / 2 + fade / 2 - 1], after[fade / 2 - 1], 1e-3,
                "half-way through the fade, half of each");
    }

    @Test
    void removingFadesOutAndFreesTheId() {
        Rig rig = new Rig(48_000);
        int track = sineTrack(rig, 1000);
        int utility = rig.id();
        insert(rig, utility, track, "utility", -1, Map.of("gain", -20.0));
        rig.render(4800, BlockSizes.fixed(256));
        rig.engine.execute(new EngineCommand.RemoveInsert(utility));
        float[] out = rig.render(4800, BlockSizes.fixed(256))[0];
        assertEquals(-6, Rig.peakDb(out, 2400, 4800), 0.01, "the dry signal once faded out");
        EngineException gone = assertThrows(EngineException.class, () -> rig.engine.insert(utility));
        assertEquals("insert " + utility + " does not exist", gone.getMessage());
        insert(rig, utility, track, "utility", 0, Map.of());
    }

    @Test
    void theChainRunsInTheOrderSetAndMovesChangeIt() {
        Rig rig = new Rig(48_000);
        int track = rig.track(2);
        int left = rig.generator(GeneratorSpec.sine(500, -6));
        rig.engine.execute(new EngineCommand.SetInput(track, 0, left, 0));
        int invert = rig.id();
        int fold = rig.id();
        insert(rig, invert, track, "utility", -1, Map.of("polarity", 2.0));
        insert(rig, fold, track, "utility", 0, Map.of("mono", 1.0));
        float[][] foldThenInvert = rig.render(4800, BlockSizes.fixed(64));
        assertEquals(-foldThenInvert[0][1000], foldThenInvert[1][1000], 1e-7, "folded, then the right inverted");
        rig.engine.execute(new EngineCommand.MoveInsert(invert, 0));
        rig.render(4800, BlockSizes.fixed(64));
        float[][] invertThenFold = rig.render(4800, BlockSizes.fixed(64));
        assertEquals(invertThenFold[0][1000], invertThenFold[1][1000], 1e-7, "inverted (a silent right), then folded");
        assertTrue(Math.abs(invertThenFold[0][1000]) > 0.01);
    }

    @Test
    void aParameterLaneDrivesTheProcessorOnTheTransportClock() {
        int rate = 48_000;
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(rate / 4.0 - 1, 0)));
        rig.set(track, Parameter.PAN, -1);
        int utility = rig.id();
        insert(rig, utility, track, "utility", -1, Map.of());
        rig.engine.execute(new EngineCommand.SetInsertLane(utility, "gain", new AutomationLane(
                new long[]{0, rate}, new double[]{0, -20}, new Interpolation[]{Interpolation.GAIN, Interpolation.GAIN})));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[] out = rig.render(2 * rate, BlockSizes.random(3, 1, 512))[0];
        assertEquals(-10, Rig.peakDb(out, rate / 2 - 10, rate / 2 + 10), 0.05, "half-way along the lane");
        assertEquals(-20, Rig.peakDb(out, rate + 1000, 2 * rate), 0.001, "at the lane's end");
        double largestStep = 0;
        for (int i = 1; i < rate; i++) {
            largestStep = Math.max(largestStep, Math.abs(Math.abs(out[i]) - Math.abs(out[i - 1])));
        }
        assertTrue(largestStep < 1e-3, "no zipper: envelope steps " + largestStep);
    }

    @Test
    void aRampMovesAParameterAndLeavesItThere() {
        int rate = 48_000;
        Rig rig = new Rig(rate);
        int track = sineTrack(rig, 1000);
        int utility = rig.id();
        insert(rig, utility, track, "utility", -1, Map.of());
        rig.engine.execute(new EngineCommand.GlideInsert(utility, "gain", -12, rate / 2, null));
        float[] out = rig.render(rate, BlockSizes.fixed(128))[0];
        assertEquals(-18, Rig.peakDb(out, rate / 2 + 2400, rate), 0.01);
        rig.engine.maintain();
        assertEquals(-18, Rig.peakDb(rig.render(rate / 10, BlockSizes.fixed(128))[0], 0, rate / 10), 0.01);
    }

    @Test
    void refusalsNameTheInsertTheParameterAndWhatIsAllowedAndChangeNothing() {
        Rig rig = new Rig(48_000);
        int track = sineTrack(rig, 1000);
        int id = rig.id();
        EngineException unknownType = assertThrows(EngineException.class,
                () -> insert(rig, id, track, "chorus", -1, Map.of()));
        assertTrue(unknownType.getMessage().startsWith("insert type \"chorus\": the inserts are \"eq\", ")
                && unknownType.getMessage().endsWith("\"utility\", or an LV2 plugin as \"lv2:<URI or name>\""),
                unknownType.getMessage());
        EngineException range = assertThrows(EngineException.class,
                () -> insert(rig, id, track, "utility", -1, Map.of("gain", 30.0)));
        assertEquals("a new utility gain 30 is out of range: must be -96..24 dB", range.getMessage());
        EngineException place = assertThrows(EngineException.class,
                () -> insert(rig, id, track, "utility", 2, Map.of()));
        assertEquals("insert place 2 on strip " + track + ": must be 0..0 (or -1 for last)", place.getMessage());
        insert(rig, id, track, "utility", -1, Map.of());
        EngineException name = assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.SetInsertParameter(id, "volume", 1)));
        assertEquals("insert " + id + " (utility) has no parameter \"volume\": it has gain, width, mono, polarity, dc_cut",
                name.getMessage());
        EngineException choice = assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.SetInsertParameter(id, "polarity", 1.5)));
        assertEquals("insert " + id + " (utility) polarity 1.5 is not one of them: must be \"normal\", \"left\", "
                + "\"right\" or \"both\"", choice.getMessage());
        EngineException noKey = assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.SetInsertKey(id, track, MeterPoint.PRE_FADER)));
        assertTrue(noKey.getMessage().startsWith("insert " + id + " (utility) has no side chain"), noKey.getMessage());
        assertEquals(-6, Rig.peakDb(rig.render(4800, BlockSizes.fixed(64))[0], 2400, 4800), 0.01,
                "the refused changes left the insert as it was");
    }

    @Test
    void aCompressorKeyedFromAnotherStripDucksUnderIt() {
        int rate = 48_000;
        Rig rig = new Rig(rate);
        int pad = sineTrack(rig, 500);
        int kick = rig.track(1);
        rig.feed(kick, 1, rig.generator(GeneratorSpec.square(60, 0)));
        rig.set(kick, Parameter.MUTE, 1);
        int compressor = rig.id();
        insert(rig, compressor, pad, "compressor", -1, Map.of("threshold", -30.0, "ratio", 4.0, "knee", 0.0,
                "attack", 1.0, "release", 1000.0));
        float[] alone = rig.render(rate / 2, BlockSizes.fixed(256))[0];
        assertEquals(-6 - 18, Rig.peakDb(alone, rate / 4, rate / 2), 0.1, "keyed by itself: 24 dB over at 4:1");
        rig.engine.execute(new EngineCommand.SetInsertKey(compressor, kick, MeterPoint.PRE_FADER));
        assertTrue(indexOf(rig.engine.processingOrder(), kick) < indexOf(rig.engine.processingOrder(), pad),
                "the key runs first");
        float[] ducked = rig.render(rate, BlockSizes.random(4, 1, 700))[0];
        assertEquals(-6 - 22.5, Rig.peakDb(ducked, rate / 2, rate), 0.2, "a 0 dBFS key 30 dB over the threshold at 4:1");
        assertEquals(22.5, rig.engine.insert(compressor).gainReductionDb(), 0.2);
        EngineException loop = assertThrows(EngineException.class, () -> {
            int bus = rig.bus(StripKind.GROUP_BUS, 2);
            rig.output(pad, bus);
            int busCompressor = rig.id();
            insert(rig, busCompressor, bus, "compressor", -1, Map.of());
            rig.engine.execute(new EngineCommand.SetInsertKey(busCompressor, pad, MeterPoint.POST_FADER));
            rig.engine.execute(new EngineCommand.SetInsertKey(compressor, bus, MeterPoint.POST_FADER));
        });
        assertTrue(loop.getMessage().contains("cannot listen to strip") && loop.getMessage().contains("would wait for"
                + " itself"), loop.getMessage());
    }

    private static int indexOf(int[] order, int id) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] == id) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theInputMeterReadsBeforeTheChainAndThePreFaderMeterAfterIt() {
        Rig rig = new Rig(48_000);
        int track = sineTrack(rig, 1000);
        insert(rig, rig.id(), track, "utility", -1, Map.of("gain", -10.0));
        rig.render(9600, BlockSizes.fixed(64));
        MeterReading input = rig.engine.meter(track, MeterPoint.INPUT);
        MeterReading pre = rig.engine.meter(track, MeterPoint.PRE_FADER);
        assertEquals(-6, input.peakMaxDb()[0], 0.01);
        assertEquals(-16, pre.peakMaxDb()[0], 0.01);
    }

    @Test
    void anInsertReportsItsLatency() {
        Rig rig = new Rig(48_000);
        int track = sineTrack(rig, 1000);
        int id = rig.id();
        insert(rig, id, track, "utility", -1, Map.of());
        assertEquals(new InsertReading(0, Double.NaN), rig.engine.insert(id));
    }
}
