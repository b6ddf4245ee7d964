package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Meter watches: edges, not levels; cancel; reset re-arms; refusals; failing callbacks. */
class MeterWatchTest {
    private static final int BLOCK = 480;
    private Engine engine;
    private Session session;
    private OfflineRenderer renderer;

    @BeforeEach
    void setUp() {
        engine = new Engine(48000, 0);
        session = new Session(new LocalEngineLink(engine));
        renderer = new OfflineRenderer(engine);
    }

    /** Renders {@code blocks} blocks of 10 ms, polling the watches after each, as the control loop does offline. */
    private void play(int blocks) throws IOException {
        for (int i = 0; i < blocks; i++) {
            renderer.render(BLOCK, BlockSizes.fixed(BLOCK), (master, frames) -> { });
            session.pollMeterWatches();
        }
    }

    @Test
    void masterTruePeakWatchFiresOnceOnTheCrossingAndAgainAfterAReset() throws IOException {
        Track click = session.track("Click", 2);
        click.input(session.generator("impulse", Map.of("level", -0.5, "at", 0.5, "every", 1)));
        List<Double> seen = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        MeterWatch watch = session.master().meters().when(MeterQuantity.TRUE_PEAK, -1, true, value -> {
            seen.add(value);
            times.add(session.seconds());
        });
        play(100);
        assertEquals(1, seen.size(), "one crossing in the first second: " + seen);
        assertTrue(seen.getFirst() > -1 && seen.getFirst() < 0.5, "the true peak of a -0.5 dBFS click: " + seen);
        assertEquals(0.51, times.getFirst(), 1e-9, "fired at the first poll after the click at 0.5 s");
        session.resetMeters();
        play(100);
        assertEquals(2, seen.size(), "a reset brings the true peak back under, so the next click fires again");
        assertEquals(1.51, times.get(1), 1e-9);
        watch.cancel();
        session.resetMeters();
        play(100);
        assertEquals(2, seen.size(), "a cancelled watch stays quiet");
        assertFalse(watch.active());
        assertTrue(session.meterWatches().isEmpty());
    }

    @Test
    void belowWatchFiresWhenThePeakDisplayFallsUnderTheThreshold() throws IOException {
        Track vox = session.track("Vox");
        vox.input(session.generator("sine", Map.of("freq", 1000, "level", -6)));
        List<Double> seen = new ArrayList<>();
        vox.meters().when(MeterQuantity.PEAK, -30, false, seen::add);
        play(50);
        assertTrue(seen.isEmpty(), "the peak stays at -6 dBFS");
        vox.fader(Double.NEGATIVE_INFINITY);
        play(300);
        assertEquals(1, seen.size(), "the display falls through -30 dBFS once: " + seen);
        assertTrue(seen.getFirst() < -30 && seen.getFirst() > -31, "the reading that crossed: " + seen);
    }

    @Test
    void watchesOnReadingsThePointDoesNotMeasureAreRefused() {
        Track vox = session.track("Vox");
        DeskException refusal = assertThrows(DeskException.class,
                () -> vox.meters().when(MeterQuantity.TRUE_PEAK, -1, true, value -> { }));
        assertEquals("Vox.meter.when(\"truePeak\"): Vox measures loudness nowhere; set Vox.loudness = \"post\" first",
                refusal.getMessage());
        refusal = assertThrows(DeskException.class,
                () -> session.master().meters().pre().when(MeterQuantity.INTEGRATED, -23, true, value -> { }));
        assertEquals("master.meter.pre.when(\"integrated\"): master measures loudness at post; set"
                + " master.loudness = \"pre\" first", refusal.getMessage());
        refusal = assertThrows(DeskException.class, () -> MeterQuantity.ofScriptName("loud", "Vox.meter.when reading"));
        assertTrue(refusal.getMessage().startsWith("Vox.meter.when reading \"loud\": must be one of peak, peakHold,"),
                refusal.getMessage());
        vox.loudness("post");
        assertTrue(vox.meters().when(MeterQuantity.TRUE_PEAK, -1, true, value -> { }).active());
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthersIsCancelledAndIsRethrownNamed() throws IOException {
        Track vox = session.track("Vox");
        vox.input(session.generator("sine", Map.of("freq", 1000, "level", -6)));
        List<String> calls = new ArrayList<>();
        vox.meters().when(MeterQuantity.PEAK, -20, true, value -> {
            calls.add("first");
            throw new IllegalStateException("callback failed");
        });
        vox.meters().pre().when(MeterQuantity.PEAK, -20, true, value -> calls.add("second"));
        renderer.render(BLOCK, BlockSizes.fixed(BLOCK), (master, frames) -> { });
        CallbackFailure failure = assertThrows(CallbackFailure.class, session::pollMeterWatches);
        assertEquals("Watch Vox.meter.peak above -20 dBFS failed and is cancelled: callback failed",
                failure.getMessage());
        assertEquals("callback failed", failure.getCause().getMessage());
        assertEquals(List.of("first", "second"), calls);
        assertEquals(1, session.meterWatches().size(), "the failing watch is cancelled, the other goes on");
        session.pollMeterWatches();
        assertEquals(2, calls.size(), "no crossing, no call");
        vox.remove();
        assertTrue(session.meterWatches().isEmpty(), "watches on a removed strip end");
        assertSame(session, vox.session);
    }
}
