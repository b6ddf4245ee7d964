package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.dsp.Decibels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Strip meters: peak and RMS of known signals before and after the fader, hold and fall, reset, off. */
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
        MeterReading master = rig.engine.meter(Engine.MASTER_ID, MeterPoint.POST_FADER);
        assertEquals(-26 - 3.0103, master.peak(), 0.01, "mono centred into the master at -3 dB");
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
        rig.engine.resetMeters();
        rig.set(track, Parameter.MUTE, 1);
        rig.set(track, Parameter.FADER, Double.NEGATIVE_INFINITY);
        renderer.renderToMemory(4800, BlockSizes.fixed(256));
        assertEquals(Double.NEGATIVE_INFINITY, rig.engine.meter(track, MeterPoint.POST_FADER).peakHold(),
                "reset, then silence after the fader: nothing held");
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
