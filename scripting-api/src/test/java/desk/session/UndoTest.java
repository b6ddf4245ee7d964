package desk.session;

import desk.engine.Engine;
import desk.engine.Interpolation;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Undo and redo: 200 random edits of every kind (levels, pans, mutes, polarity, routing, sends, inserts and
 * their parameters, lanes, tracks and buses made and removed, punch range and take settings), each its own
 * change group, undone one by one
 * pass through every state on the way back to the start, where the session renders the same samples as one
 * that was never edited; redone, they come back to the end.
 */
class UndoTest {
    private static final int RATE = 48000;
    private static final int EDITS = 200;

    private record Desk(Session session, Engine engine) {
    }

    private static Desk desk() {
        Engine engine = new Engine(RATE, 2);
        Session session = new Session(new LocalEngineLink(engine));
        Bus drums = session.bus("Drums");
        session.bus("Verb", "aux", 2);
        for (int t = 0; t < 3; t++) {
            Track track = session.track("T" + t, t == 2 ? 2 : 1);
            track.input(session.generator("sine", Map.of("freq", 200.0 + 100 * t, "level", -18.0)));
            track.output(drums);
        }
        session.tracks().getFirst().insert("eq", Map.of("b2_gain", 3.0), -1, false);
        session.checkpoint();
        return new Desk(session, engine);
    }

    private static String text(Session session) {
        var document = SessionDocument.of(session, null);
        document.remove("engine");
        return SessionJson.format(document);
    }

    @Test
    void twoHundredRandomEditsUndoneAndRedoneOneByOne() throws IOException {
        Desk edited = desk();
        Session session = edited.session();
        Random random = new Random(1204);
        List<String> states = new ArrayList<>();
        states.add(text(session));
        int made = 0;
        int names = 0;
        while (made < EDITS) {
            try {
                edit(session, random, names++);
            } catch (DeskException refused) {
                continue;
            }
            session.checkpoint();
            String now = text(session);
            if (!now.equals(states.getLast())) {
                states.add(now);
                made++;
            }
        }
        assertEquals(Math.min(EDITS, SessionHistory.LIMIT), session.history().size());
        for (int step = states.size() - 1; step > states.size() - 1 - SessionHistory.LIMIT; step--) {
            session.undo();
            assertEquals(states.get(step - 1), text(session), "undo back to state " + (step - 1));
        }
        assertThrows(DeskException.class, session::undo, "at most " + SessionHistory.LIMIT + " groups are kept");
        for (int step = states.size() - SessionHistory.LIMIT; step < states.size(); step++) {
            session.redo();
            assertEquals(states.get(step), text(session), "redo to state " + step);
        }
        assertEquals("session.redo: nothing to redo", assertThrows(DeskException.class, session::redo).getMessage());
    }

    @Test
    void editsUndoneToTheStartRenderTheSameSamplesAsANeverEditedSession() throws IOException {
        Desk edited = desk();
        Desk untouched = desk();
        Random random = new Random(20261204);
        int names = 0;
        int base = edited.session().history().size();
        int groups = base;
        while (groups < base + 60) {
            try {
                edit(edited.session(), random, names++);
            } catch (DeskException refused) {
                continue;
            }
            edited.session().checkpoint();
            groups = edited.session().history().size();
        }
        while (edited.session().history().size() > base) {
            edited.session().undo();
        }
        assertEquals(text(untouched.session()), text(edited.session()));
        float[][] expected = render(untouched);
        float[][] actual = render(edited);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(expected[c], actual[c], "channel " + (c + 1) + " sample for sample");
        }
    }

    @Test
    void undoSaysWhatItTookBack() {
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        session.track("T0");
        session.checkpoint();
        session.find("T0").fader(-3);
        session.checkpoint();
        session.track("Bass");
        session.checkpoint();
        assertEquals(List.of("track T0 added", "T0 fader 0.0 -> -3.0", "track Bass added"), session.history());
        assertEquals("track Bass added", session.undo());
        assertEquals(null, session.find("Bass"));
        assertEquals("T0 fader 0.0 -> -3.0", session.undo());
        assertEquals(0.0, session.find("T0").fader());
        assertEquals("track T0 added", session.undo());
        assertEquals("session.undo: nothing to undo", assertThrows(DeskException.class, session::undo).getMessage());
        assertEquals("track T0 added", session.redo());
        assertEquals("T0 fader 0.0 -> -3.0", session.redo());
        assertEquals(-3.0, session.find("T0").fader());
    }

    /**
     * Half a second of the desk's master after a tenth of a second unheard: changes glide (declicks, crossfades,
     * an insert fading out of its chain), and an undo is a change like any other.
     */
    private static float[][] render(Desk desk) throws IOException {
        new OfflineRenderer(desk.engine()).render(RATE / 10, BlockSizes.fixed(256), (master, count) -> { });
        desk.session().play();
        float[][] audio = new float[2][RATE / 2];
        int[] at = {0};
        new OfflineRenderer(desk.engine()).render(RATE / 2, BlockSizes.fixed(256), (master, count) -> {
            for (int c = 0; c < 2; c++) {
                System.arraycopy(master[c], 0, audio[c], at[0], count);
            }
            at[0] += count;
        }, horizon -> desk.session().tick(horizon));
        return audio;
    }

    /** One random edit of one of the kinds a session file holds; a refused one throws DeskException. */
    private static void edit(Session session, Random random, int serial) {
        List<Track> tracks = session.tracks();
        List<Bus> buses = session.buses();
        Track track = tracks.isEmpty() ? null : tracks.get(random.nextInt(tracks.size()));
        Bus bus = buses.isEmpty() ? null : buses.get(random.nextInt(buses.size()));
        double level = Math.round(random.nextDouble() * 46 - 40) / 2.0;
        switch (random.nextInt(15)) {
            case 0 -> need(track).fader(level);
            case 1 -> need(track).trim(level / 4);
            case 2 -> {
                if (need(track).channels() == 1) {
                    track.pan(Math.round(random.nextDouble() * 20 - 10) / 10.0);
                } else {
                    track.balance(Math.round(random.nextDouble() * 20 - 10) / 10.0);
                }
            }
            case 3 -> need(track).mute(!track.mute());
            case 4 -> need(track).phase(!need(track).phase()[0]);
            case 5 -> need(track).output(random.nextBoolean() || bus == null ? session.master() : bus);
            case 6 -> need(track).send(need(bus), level, random.nextBoolean());
            case 7 -> {
                List<Send> sends = need(track).sends();
                if (sends.isEmpty()) {
                    throw new DeskException("no send");
                }
                Send send = sends.get(random.nextInt(sends.size()));
                if (random.nextBoolean()) {
                    send.remove();
                } else {
                    send.level(level);
                }
            }
            case 8 -> need(track).insert(List.of("eq", "compressor", "utility").get(random.nextInt(3)), Map.of(),
                    random.nextInt(2) == 0 ? 0 : -1, random.nextBoolean());
            case 9 -> {
                List<Insert> inserts = need(track).inserts();
                if (inserts.isEmpty()) {
                    throw new DeskException("no insert");
                }
                Insert insert = inserts.get(random.nextInt(inserts.size()));
                switch (random.nextInt(3)) {
                    case 0 -> insert.remove();
                    case 1 -> insert.bypass(!insert.bypass());
                    default -> insert.set(insert.parameters().getFirst().name(),
                            insert.parameters().getFirst().min() + random.nextInt(5));
                }
            }
            case 10 -> need(track).lane("fader").add(random.nextInt(RATE), level, Interpolation.DB);
            case 11 -> session.track("New " + serial, 1 + random.nextInt(2))
                    .input(session.generator("square", Map.of("freq", 100.0 + serial, "level", -24.0)));
            case 13 -> {
                switch (random.nextInt(3)) {
                    case 0 -> session.recorder().punchOut(random.nextBoolean() ? null : RATE + (long) random.nextInt(RATE));
                    case 1 -> session.recorder().format(random.nextBoolean() ? "24" : "32f");
                    default -> session.recorder().exclusiveArm(!session.recorder().exclusiveArm());
                }
            }
            case 12 -> {
                if (tracks.size() < 2) {
                    throw new DeskException("keep two");
                }
                need(track).remove();
            }
            default -> {
                if (random.nextBoolean() && buses.size() < 5) {
                    session.bus("Bus " + serial, random.nextBoolean() ? "group" : "aux", 2);
                } else if (bus != null && buses.size() > 1) {
                    bus.remove();
                } else {
                    throw new DeskException("no bus edit");
                }
            }
        }
    }

    private static <T> T need(T thing) {
        if (thing == null) {
            throw new DeskException("none");
        }
        return thing;
    }

    @Test
    void aRefusedEditLeavesNoGroup() {
        Desk desk = desk();
        int before = desk.session().history().size();
        assertThrows(DeskException.class, () -> desk.session().find("T0").fader(99));
        desk.session().checkpoint();
        assertEquals(before, desk.session().history().size());
    }
}
