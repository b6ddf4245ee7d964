package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.dsp.Decibels;
import desk.engine.meter.LoudnessReading;
import desk.engine.meter.Meter;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * StripNode meters: peak, RMS, VU and the K-meter average of known signals at the input, before and after the
 * fader; clip counts; loudness and true peak at each pick-off point; hold and fall, reset, off.
 */
class MeterTest {
    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void sineReadsItsPeakAndRmsBeforeAndAfterTheFader(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(1000, -10)));
        rig.set(track, Parameter.TRIM, 4);
        rig.set(track, Parameter.FADER, -20);
        rig.render(rate / 2, blocks);
        MeterReading pre = rig.engine.meter(track, MeterPoint.PRE_FADER);
        MeterReading post = rig.engine.meter(track, MeterPoint.POST_FADER);
        assertEquals(-6, pre.peak(), 0.01, "pre-fader peak includes trim");
        assertEquals(-6 - 3.0103, pre.rms(), 0.01, "pre-fader RMS of a sine");
        assertEquals(-26, post.peak(), 0.01, "post-fader peak");
        assertEquals(-26 - 3.0103, post.rms(), 0.01, "post-fader RMS");
        assertEquals(-26, post.peakHold(), 0.01);
        MeterReading master = rig.engine.meter(NodeIds.MASTER_ID, MeterPoint.POST_FADER);
        assertEquals(-26 - 3.0103, master.peak(), 0.01, "mono centred into the master at -3 dB");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void squareReadsItsPeakAndRmsAtEveryPoint(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(100, -9)));
        rig.set(track, Parameter.TRIM, -3);
        rig.set(track, Parameter.FADER, 6);
        rig.render(rate * 2, blocks);
        MeterReading input = rig.engine.meter(track, MeterPoint.INPUT);
        MeterReading pre = rig.engine.meter(track, MeterPoint.PRE_FADER);
        MeterReading post = rig.engine.meter(track, MeterPoint.POST_FADER);
        assertEquals(-9, input.peak(), 0.01, "input peak, before trim");
        assertEquals(-9, input.rms(), 0.01, "a square's RMS is its peak");
        assertEquals(-9 + 3.0103, input.rmsAes17(), 0.01, "AES17 RMS of a square");
        assertEquals(-9 + 20 * Math.log10(Math.PI / 2), input.vu(), 0.01, "VU: the rectified average, scaled for a sine");
        assertEquals(-12, pre.peak(), 0.01, "pre-fader peak after the trim");
        assertEquals(-12, pre.rms(), 0.01);
        assertEquals(-6, post.peak(), 0.01, "post-fader peak");
        assertEquals(-6, post.rms(), 0.01);
        assertEquals(-6, post.peakMax(), 0.01);
        assertEquals(-6 + 3.0103, post.average(), 0.01, "AES17 RMS since the start");
        assertEquals(0, post.clips(), "nothing reaches full scale");
    }

    @ParameterizedTest(name = "{0} Hz")
    @org.junit.jupiter.params.provider.ValueSource(ints = {44100, 48000, 96000})
    void uniformNoiseReadsItsRmsAndItsPeakRootThreeAbove(int rate) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(false, -20, 3)));
        rig.render(rate * 30, BlockSizes.random(17, 1, 4096));
        MeterReading reading = rig.engine.meter(track, MeterPoint.POST_FADER);
        assertEquals(-20 + Meter.AES17_OFFSET_DB, reading.average(), 0.01, "RMS of 30 s of noise (AES17)");
        assertEquals(-20 + 20 * Math.log10(Math.sqrt(3)), reading.peakMax(), 0.01, "uniform noise peaks at root 3 times its RMS");
        assertEquals(-20, reading.rms(), 0.1, "the last 300 ms");
        assertEquals(-20 + Meter.AES17_OFFSET_DB, reading.kAverage(), 0.1, "the K-meter average");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void clippedSamplesAreCountedWhereTheyReachFullScale(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(rate / 100.0, -6)));
        rig.set(track, Parameter.TRIM, 7);
        rig.set(track, Parameter.FADER, -2);
        rig.render(rate, blocks);
        assertEquals(0, rig.engine.meter(track, MeterPoint.INPUT).clips(), "the input stays under full scale");
        assertEquals(rate, rig.engine.meter(track, MeterPoint.PRE_FADER).clips(),
                "every sample passes full scale after 7 dB of trim");
        assertEquals(0, rig.engine.meter(track, MeterPoint.POST_FADER).clips(), "the fader brings it back");
        rig.engine.execute(new EngineCommand.ResetMeters(track));
        rig.render(rate / 10, blocks);
        assertEquals(rate / 10, rig.engine.meter(track, MeterPoint.PRE_FADER).clips(), "counted afresh after a reset");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void loudnessAndTruePeakAtTheChosenPoint(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(997, -20)));
        rig.set(track, Parameter.TRIM, 4);
        rig.set(track, Parameter.FADER, -6);
        assertNull(rig.engine.loudnessPoint(track), "tracks do not measure loudness until asked");
        double sinePower = -20 - 3.0103;
        double[] expected = {sinePower, sinePower + 4, sinePower - 2};
        for (MeterPoint point : MeterPoint.values()) {
            rig.engine.execute(new EngineCommand.SetLoudness(track, point));
            rig.render(rate * 4, blocks);
            LoudnessReading loudness = rig.engine.meter(track, point).loudness();
            double level = expected[point.ordinal()];
            assertEquals(level, loudness.momentary(), 0.05, point + " momentary");
            assertEquals(level, loudness.shortTerm(), 0.05, point + " short-term");
            assertEquals(level, loudness.integrated(), 0.05, point + " integrated");
            assertEquals(level, loudness.momentaryMax(), 0.05, point + " momentary maximum");
            assertEquals(0, loudness.range(), 0.1, point + " a steady tone has no loudness range");
            double peak = level + 3.0103;
            assertTrue(loudness.truePeak() >= rig.engine.meter(track, point).peakMax() - 1e-9
                    && loudness.truePeak() <= peak + 0.05, point + " true peak " + loudness.truePeak());
            for (MeterPoint other : MeterPoint.values()) {
                if (other != point) {
                    assertNull(rig.engine.meter(track, other).loudness(), "loudness only at " + point);
                }
            }
        }
        assertEquals(MeterPoint.POST_FADER, rig.engine.loudnessPoint(NodeIds.MASTER_ID), "the master measures loudness");
        assertEquals(sinePower - 2, rig.engine.meter(NodeIds.MASTER_ID, MeterPoint.POST_FADER).loudness().shortTerm(), 0.05,
                "a mono track centred at -3 dB into both sides of the master sums to its own loudness");
        rig.engine.execute(new EngineCommand.SetLoudness(track, null));
        assertNull(rig.engine.meter(track, MeterPoint.POST_FADER).loudness());
    }

    @Test
    void peakFallsAfterTheSignalStopsWhileTheHoldStaysTwoSeconds() throws IOException {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        int click = rig.generator(GeneratorSpec.impulse(-3, 4800, 0));
        rig.feed(track, 1, click);
        OfflineRenderer renderer = new OfflineRenderer(rig.engine);
        renderer.renderToMemory(9600, BlockSizes.fixed(480));
        MeterReading soon = rig.engine.meter(track, MeterPoint.PRE_FADER);
        assertEquals(-3, soon.peakHold(), 0.01, "the hold catches a single-sample peak");
        int chunksSince = (9600 - 5280) / 480;
        assertEquals(-3 - Meter.RELEASE_DB_PER_SECOND * chunksSince * 0.010, soon.peak(), 0.01,
                "the display falls chunk by chunk after the chunk holding the impulse");
        renderer.renderToMemory(48000, BlockSizes.fixed(480));
        MeterReading oneSecondLater = rig.engine.meter(track, MeterPoint.PRE_FADER);
        double fallen = -3 - Meter.RELEASE_DB_PER_SECOND * (48000 + 4800 - 480) / 48000.0;
        assertEquals(fallen, oneSecondLater.peak(), 0.2, "peak falls 20 dB in 1.7 s");
        assertEquals(-3, oneSecondLater.peakHold(), 0.01, "hold still up after 1 s");
        renderer.renderToMemory(60000, BlockSizes.fixed(480));
        assertTrue(rig.engine.meter(track, MeterPoint.PRE_FADER).peakHold() < -20, "hold released after 2 s");
    }

    @Test
    void resetClearsAndMeteringOffFreezes() throws IOException {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(100, -12)));
        OfflineRenderer renderer = new OfflineRenderer(rig.engine);
        renderer.renderToMemory(4800, BlockSizes.fixed(256));
        rig.set(track, Parameter.MUTE, 1);
        rig.set(track, Parameter.FADER, Double.NEGATIVE_INFINITY);
        renderer.renderToMemory(480, BlockSizes.fixed(256));
        assertEquals(-12, rig.engine.meter(track, MeterPoint.POST_FADER).peakHold(), 0.01, "held from before");
        rig.engine.resetMeters();
        renderer.renderToMemory(4800, BlockSizes.fixed(256));
        assertEquals(Double.NEGATIVE_INFINITY, rig.engine.meter(track, MeterPoint.POST_FADER).peakHold(),
                "reset, then silence after the fader: nothing held");
        assertEquals(-12, rig.engine.meter(track, MeterPoint.PRE_FADER).peakMax(), 0.01, "the pre-fader meter measures on");
        rig.set(track, Parameter.FADER, 0);
        rig.engine.execute(new EngineCommand.SetMetering(false));
        renderer.renderToMemory(4800, BlockSizes.fixed(256));
        assertEquals(Double.NEGATIVE_INFINITY, rig.engine.meter(track, MeterPoint.POST_FADER).peak(),
                "metering off: readings stand still");
        rig.engine.execute(new EngineCommand.SetMetering(true));
        renderer.renderToMemory(4800, BlockSizes.fixed(256));
        assertEquals(-12, rig.engine.meter(track, MeterPoint.POST_FADER).peak(), 0.01, "metering on again");
        assertEquals(Double.NEGATIVE_INFINITY, Decibels.fromGain(0));
    }
}
