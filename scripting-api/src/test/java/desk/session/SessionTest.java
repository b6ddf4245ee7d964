package desk.session;

import desk.engine.Engine;
import desk.engine.Limits;
import desk.engine.LocalEngineLink;
import desk.engine.NodeIds;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session model: names, routing, sends, and refusals that name the thing, the value and what is allowed. */
class SessionTest {
    private Engine engine;
    private Session session;

    @BeforeEach
    void setUp() {
        engine = new Engine(48000, 4);
        session = new Session(new LocalEngineLink(engine));
    }

    private float[][] render(int frames) throws IOException {
        return new OfflineRenderer(engine).renderToMemory(frames, BlockSizes.fixed(256));
    }

    private static void refused(String message, Runnable action) {
        DeskException refusal = assertThrows(DeskException.class, action::run);
        assertEquals(message, refusal.getMessage());
        assertFalse(refusal.getMessage().contains("\n"), "one line");
    }

    @Test
    void trackAndBusAreCreatedOnceAndFoundByName() {
        Track vox = session.track("Vox");
        assertSame(vox, session.track("Vox"));
        Bus drums = session.bus("Drums", "group", 2);
        assertSame(drums, session.bus("Drums"));
        assertSame(vox, session.find("Vox"));
        assertSame(session.master(), session.find("master"));
        assertNull(session.find("Nobody"));
        assertEquals(List.of(vox), session.tracks());
        assertEquals(List.of(drums), session.buses());
        assertEquals(List.of("system:capture_1", "system:capture_2", "system:capture_3", "system:capture_4"),
                session.inputs());
    }

    @Test
    void objectsPrintUsefully() {
        Track vox = session.track("Vox");
        Bus drums = session.bus("Drums", "group", 2);
        vox.input("system:capture_1");
        vox.fader(-6);
        vox.pan(-0.2);
        vox.output(drums);
        assertEquals("Track Vox (mono) in=system:capture_1 trim 0.0 fader -6.0 dB pan L20 -> Drums", vox.toString());
        assertEquals("Bus Drums (group, stereo) trim 0.0 fader 0.0 dB bal C -> master", drums.toString());
        Send send = vox.send(session.bus("Verb", "aux", 2), -12, false);
        assertEquals("Send Vox -> Verb -12 dB post-fader", send.toString());
        assertEquals("Master (stereo) trim 0.0 fader 0.0 dB bal C", session.master().toString());
    }

    @Test
    void polarityPrintsWhichChannelsAreInvertedUnlessAllAre() {
        Track wide = session.track("Wide", 4);
        wide.phase(new boolean[]{false, true, false, false});
        assertTrue(wide.toString().endsWith(" in=none trim 0.0 fader 0.0 dB bal C phase-inverted (channel 2) -> master"),
                wide.toString());
        wide.phase(new boolean[]{true, false, true, false});
        assertTrue(wide.toString().contains(" bal C phase-inverted (channels 1, 3) -> "), wide.toString());
        wide.phase(true);
        assertTrue(wide.toString().contains(" bal C phase-inverted -> "), wide.toString());
        Track vox = session.track("Vox");
        vox.phase(true);
        assertTrue(vox.toString().contains(" pan C phase-inverted -> "), vox.toString());
    }

    @Test
    void theNeedleMetersOfAStripGoneSilentReadMinusInfinityNotTheirDecayingTail() throws IOException {
        Track tone = session.track("Tone");
        tone.input(session.generator("sine", Map.of("freq", 1000, "level", -12)));
        render(24000);
        tone.input((Object) null);
        render(5 * 48000);
        MeterSnapshot post = tone.meters();
        assertEquals(Double.NEGATIVE_INFINITY, post.value(MeterQuantity.VU));
        assertEquals(Double.NEGATIVE_INFINITY, post.value(MeterQuantity.K20));
        assertTrue(post.toString().endsWith(" dBFS, rms -inf dBFS"), "silence reads -inf, and no VU: " + post);
    }

    @Test
    void badNamesAreRefused() {
        session.track("Vox");
        session.bus("Drums");
        refused("name \"Vox\" is taken by track Vox", () -> session.bus("Vox", "aux", 2));
        refused("name \"Drums\" is taken by bus Drums", () -> session.track("Drums"));
        refused("name \"Master\" is the master's", () -> session.track("Master"));
        refused("name \"\": a track or bus needs a name that is not blank", () -> session.track(""));
        refused("name null: a track or bus needs a name that is not blank", () -> session.track(null));
        refused("name \" Vox\": no control characters or leading/trailing spaces", () -> session.track(" Vox"));
        refused("track Vox exists as mono; asked for 2 channels", () -> session.track("Vox", 2));
        refused("track Keys channels 9: must be 1..8", () -> session.track("Keys", 9));
        refused("bus FX kind \"send\": must be \"group\" or \"aux\"", () -> session.bus("FX", "send", 2));
        refused("bus FX channels 3: must be 1 or 2", () -> session.bus("FX", "aux", 3));
        Track vox = session.track("Vox");
        refused("name \"Drums\" is taken by bus Drums", () -> vox.name("Drums"));
        assertEquals(List.of("Vox"), session.tracks().stream().map(Strip::name).toList());
    }

    @Test
    void badValuesAreRefusedAndNothingChanges() throws IOException {
        Track vox = session.track("Vox");
        vox.input(session.generator("sine", Map.of("freq", 1000, "level", -20)));
        vox.pan(-1);
        vox.fader(-6);
        refused("Vox.fader 1000000000 is out of range: must be -inf or -144..12 dB", () -> vox.fader(1e9));
        refused("Vox.fader NaN is not a number: must be -inf or -144..12 dB", () -> vox.fader(Double.NaN));
        refused("Vox.fader inf is out of range: must be -inf or -144..12 dB", () -> vox.fader(Double.POSITIVE_INFINITY));
        refused("Vox.trim -inf is out of range: must be -24..24 dB", () -> vox.trim(Double.NEGATIVE_INFINITY));
        refused("Vox.pan 2 is out of range: must be -1..1", () -> vox.pan(2));
        refused("Vox.balance applies to stereo and wider strips; Vox is mono: use pan", () -> vox.balance(0));
        refused("Vox.panLaw -2 must be 0, -3, -4.5 or -6 (dB at the centre)", () -> vox.panLaw(-2));
        refused("Vox.phase needs 1 flag (one per channel), got 2", () -> vox.phase(new boolean[]{true, false}));
        assertEquals(-6, vox.fader());
        assertEquals(-1, vox.pan());
        float[][] out = render(4800);
        assertEquals(-26, desk.engine.dsp.Decibels.fromGain(peak(out[0])), 0.01, "the mix still plays as it was");
        assertEquals(0f, peak(out[1]));
    }

    @Test
    void routingLoopsAreRefusedWithTheLoopByName() {
        Bus a = session.bus("A");
        Bus b = session.bus("B");
        Bus fx = session.bus("FX", "aux", 2);
        a.output(b);
        b.send(fx, -6, false);
        refused("FX.output = A would make a loop: FX -> A -> B -> FX", () -> fx.output(a));
        refused("FX.send(B) would make a loop: FX -> B -> FX", () -> fx.send(b, 0, false));
        refused("A.output = A would make a loop: A -> A", () -> a.output(a));
        refused("A.send(master): sends go to group or aux buses; use output for the master",
                () -> a.send(session.master(), 0, true));
        refused("master.output: the master feeds the interface's playback ports and cannot be routed",
                () -> session.master().output(a));
        assertSame(session.master(), fx.output());
        assertSame(b, a.output());
        assertArrayEquals(new int[]{a.id, b.id, fx.id, NodeIds.MASTER_ID}, engine.processingOrder());
    }

    @Test
    void badInputsAndGeneratorsAreRefused() {
        Track vox = session.track("Vox");
        Track keys = session.track("Keys", 2);
        refused("input port \"system:capture_9\": must be one of system:capture_1..system:capture_4",
                () -> vox.input("system:capture_9"));
        refused("Keys.input needs 2 entries (one per channel), got 1", () -> keys.input(List.of("system:capture_1")));
        refused("Vox.input 42: must be a port name such as \"system:capture_1\", a generator or file source, or null",
                () -> vox.input(42));
        refused("generator type \"saw\": must be sine, square, noise, impulse or silence",
                () -> session.generator("saw", Map.of()));
        refused("generator sine has no option \"color\": it takes freq, level",
                () -> session.generator("sine", Map.of("color", "pink")));
        refused("generator sine freq \"high\": must be a number", () -> session.generator("sine", Map.of("freq", "high")));
        refused("generator frequency 30000 Hz: must be above 0 and below 24000 Hz (half the sample rate)",
                () -> session.generator("sine", Map.of("freq", 30000)));
        refused("generator noise color \"blue\": must be \"white\" or \"pink\"",
                () -> session.generator("noise", Map.of("color", "blue")));
        assertTrue(session.sources().isEmpty(), "no refused generator was kept");
        assertEquals(Arrays.asList(new Object[]{null}), vox.input());
    }

    @Test
    void sendsAreUpdatedWhenMadeAgainAndRemovable() {
        Track vox = session.track("Vox");
        Bus verb = session.bus("Verb", "aux", 2);
        Send send = vox.send(verb, -12, false);
        assertSame(send, vox.send(verb, -6, true));
        assertEquals(-6, send.level());
        assertTrue(send.pre());
        refused("Vox.send(Verb).level 7 is out of range: must be -inf or -144..6 dB", () -> send.level(7));
        send.remove();
        assertTrue(vox.sends().isEmpty());
        refused("Vox.send(Verb) was removed", () -> send.level(0));
    }

    @Test
    void removingABusReroutesWhatFedItToTheMaster() throws IOException {
        Track kick = session.track("Kick");
        Track vox = session.track("Vox");
        Bus drums = session.bus("Drums");
        Bus verb = session.bus("Verb", "aux", 2);
        kick.output(drums);
        Send send = vox.send(verb, -10, false);
        drums.remove();
        verb.remove();
        assertSame(session.master(), kick.output());
        assertTrue(vox.sends().isEmpty());
        refused("Drums was removed", () -> drums.fader(0));
        refused("Vox.send(Verb) was removed", () -> send.level(-3));
        assertEquals(List.of(), session.buses());
        render(Limits.MAX_BLOCK + 48000 * Limits.CROSSFADE_MILLISECONDS / 1000 + 1);
        engine.maintain();
        assertArrayEquals(new int[]{kick.id, vox.id, NodeIds.MASTER_ID}, engine.processingOrder(),
                "the removed buses leave the plan once faded out");
        refused("master.remove: the master cannot be removed", () -> session.master().remove());
    }

    @Test
    void metersReadThroughTheSession() throws IOException {
        Track tone = session.track("Tone");
        tone.input(session.generator("sine", Map.of("freq", 1000, "level", -12)));
        tone.fader(-6);
        render(48000);
        assertEquals(-12, tone.meter(MeterPoint.PRE_FADER).peak(), 0.01);
        assertEquals(-18, tone.meter().peak(), 0.01);
        assertEquals(-18 - 3.0103, tone.meter().rms(), 0.01);
    }

    private static float peak(float[] x) {
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }
}
