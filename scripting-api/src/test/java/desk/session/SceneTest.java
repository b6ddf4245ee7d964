package desk.session;

import desk.engine.Engine;
import desk.engine.Interpolation;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenes: a recall lands on its exact sample, at once or over a fade, the same samples as the same moves
 * scheduled by hand (a null test), with no step larger than the signal's own; filters store only what they
 * pick; scenes are saved with the session.
 */
class SceneTest {
    private static final int RATE = 48000;

    @TempDir
    Path folder;

    private record Desk(Session session, Engine engine) {
    }

    private static Desk desk() {
        Engine engine = new Engine(RATE, 2);
        Session session = new Session(new LocalEngineLink(engine));
        Bus verb = session.bus("Verb", "aux", 2);
        Track vox = session.track("Vox");
        vox.input(session.generator("sine", Map.of("freq", 997.0, "level", -6.0)));
        vox.send(verb, -20, false);
        vox.insert("utility", Map.of("gain", 0.0), -1, false);
        return new Desk(session, engine);
    }

    private static float[][] render(Desk desk, Consumer<Session> before) throws IOException {
        before.accept(desk.session());
        desk.session().play();
        float[][] audio = new float[2][RATE];
        int[] at = {0};
        new OfflineRenderer(desk.engine()).render(RATE, BlockSizes.fixed(333), (master, count) -> {
            for (int c = 0; c < 2; c++) {
                System.arraycopy(master[c], 0, audio[c], at[0], count);
            }
            at[0] += count;
        }, horizon -> desk.session().tick(horizon));
        return audio;
    }

    /** The quiet scene: the fader 12 dB down, the send off, the utility's gain -6 dB, the pan to the left. */
    private static void storeQuiet(Session session) {
        Track vox = (Track) session.find("Vox");
        vox.fader(-12);
        vox.pan(-0.5);
        vox.sends().getFirst().level(Double.NEGATIVE_INFINITY);
        vox.inserts().getFirst().set("gain", -6);
        session.scene("quiet", null, null);
        vox.fader(0);
        vox.pan(0);
        vox.sends().getFirst().level(-20);
        vox.inserts().getFirst().set("gain", 0);
    }

    @Test
    void aRecallLandsOnItsSampleAsTheSameChangesScheduledByHand() throws IOException {
        float[][] recalled = render(desk(), session -> {
            storeQuiet(session);
            session.recall("quiet", 0.5, 0);
        });
        float[][] byHand = render(desk(), session -> {
            storeQuiet(session);
            session.at(0.5, () -> {
                Track vox = (Track) session.find("Vox");
                vox.fader(-12);
                vox.pan(-0.5);
                vox.sends().getFirst().level(Double.NEGATIVE_INFINITY);
                vox.inserts().getFirst().set("gain", -6);
            });
        });
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(byHand[c], recalled[c], "channel " + (c + 1) + " nulls against the moves made by hand");
        }
        assertNoClick(recalled);
        double before = peak(recalled[1], RATE / 2 - 4800, RATE / 2);
        double after = peak(recalled[1], RATE - 4800, RATE);
        assertTrue(after < before / 5, "the right channel fell with the recall: " + before + " -> " + after);
        float[][] untouched = render(desk(), SceneTest::storeQuiet);
        assertArrayEquals(java.util.Arrays.copyOf(untouched[1], RATE / 2), java.util.Arrays.copyOf(recalled[1], RATE / 2),
                "nothing moved before the recall's sample");
        assertTrue(untouched[1][RATE / 2 + 10] != recalled[1][RATE / 2 + 10], "the recall moved things from its sample on");
    }

    @Test
    void aFadedRecallMovesOverItsFadeAsRampsScheduledByHand() throws IOException {
        float[][] recalled = render(desk(), session -> {
            storeQuiet(session);
            session.recall("quiet", 0.25, RATE / 10);
        });
        float[][] byHand = render(desk(), session -> {
            storeQuiet(session);
            session.at(0.25, () -> {
                Track vox = (Track) session.find("Vox");
                vox.ramp("fader", -12, RATE / 10, Interpolation.DB);
                vox.ramp("pan", -0.5, RATE / 10, Interpolation.DB);
                vox.sends().getFirst().level(Double.NEGATIVE_INFINITY);
                vox.inserts().getFirst().ramp("gain", -6, RATE / 10, Interpolation.DB);
            });
        });
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(byHand[c], recalled[c], "channel " + (c + 1) + " nulls against the ramps made by hand");
        }
        assertNoClick(recalled);
    }

    @Test
    void aFilterStoresOnlyWhatItPicksAndScenesAreSavedWithTheSession() {
        Desk desk = desk();
        Session session = desk.session();
        Track vox = (Track) session.find("Vox");
        vox.mute(true);
        vox.fader(-30);
        session.scene("muted", List.of("mute"), List.of("Vox"));
        vox.mute(false);
        vox.fader(-3);
        session.recall("muted", null, 0);
        assertTrue(vox.mute());
        assertEquals(-3, vox.fader(), "the fader was not in the scene");

        session.saveAs(folder.resolve("song"));
        Session opened = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        opened.open(folder.resolve("song"), false);
        assertEquals(List.of("muted"), opened.scenes());
        opened.find("Vox").mute(false);
        opened.recall("muted", null, 0);
        assertTrue(opened.find("Vox").mute());

        assertEquals("session.recall \"chorus\": no such scene; there are muted",
                assertThrows(DeskException.class, () -> session.recall("chorus", null, 0)).getMessage());
        assertEquals("session.scene only \"level\": must be among trim, fader, pan, balance, mute, sends, inserts",
                assertThrows(DeskException.class, () -> session.scene("x", List.of("level"), null)).getMessage());
        assertEquals(List.of("muted"), session.scenes(), "a refused scene is not stored");
    }

    /** No sample-to-sample step larger than the full-level signal's own (a 997 Hz sine at -6 dBFS). */
    private static void assertNoClick(float[][] audio) {
        double ownStep = 2 * Math.sin(Math.PI * 997 / RATE) * Math.pow(10, -6 / 20.0);
        for (float[] channel : audio) {
            for (int i = 1; i < channel.length; i++) {
                assertTrue(Math.abs(channel[i] - channel[i - 1]) <= ownStep * 1.0001, "a step at sample " + i);
            }
        }
    }

    private static double peak(float[] samples, int from, int to) {
        double peak = 0;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs(samples[i]));
        }
        return peak;
    }
}
