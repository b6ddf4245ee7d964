package desk.script;

import desk.engine.Engine;
import desk.engine.Interpolation;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.session.Lane;
import desk.session.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lane.addPoints(...)} from both languages: many points in one call land as the same points, and sound
 * the same, as {@code add} one by one; a bad point is refused in one line and adds nothing; a mute lane's
 * points are steps unless a curve is given.
 */
class LanePointsScriptTest {
    private static final int RATE = 48000;

    @ParameterizedTest
    @EnumSource(Language.class)
    void manyPointsAtOnceAreThePointsAddGivesOneByOne(Language language) throws IOException {
        boolean js = language == Language.JS;
        Engine drawnEngine = new Engine(RATE, 2);
        Session drawn = session(drawnEngine);
        List<Lane.Point> points;
        try (ScriptHost host = new ScriptHost(drawn, Path.of(""), false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            host.evaluate(language, js
                    ? "session.tracks[0].lane('fader').addPoints([[0, -6], [0.25, -20, 'scurve'], ['1:2:0', 0, 'step'],"
                    + " [0.25, -3]])"
                    : "session.tracks[0].lane('fader').addPoints([[0, -6], [0.25, -20, 'scurve'], ['1:2:0', 0, 'step'],"
                    + " [0.25, -3]])", "<draw>", value -> null);
            String refused = js
                    ? "try { session.tracks[0].lane('fader').addPoints([[1, -6], [2, 99]]) } catch (e) { e.message }"
                    : "def refused():\n    try:\n        session.tracks[0].lane('fader').addPoints([[1, -6], [2, 99]])\n"
                    + "    except DeskError as e:\n        return str(e)\nrefused()";
            String message = host.evaluate(language, refused, "<refused>", value -> value.asString());
            assertTrue(message.startsWith("Vox.lane(\"fader\") point value 99 "), message);
            assertEquals("step", host.evaluate(language, "session.tracks[0].lane('mute').add(2, 0).points[0].curve",
                    "<mute>", value -> value.asString()), "a mute lane's points are steps unless a curve is given");
            host.evaluate(language, "session.tracks[0].lane('mute').clear()", "<unmute>", value -> null);
            points = drawn.tracks().getFirst().lane("fader").points();
        }
        assertEquals(List.of(new Lane.Point(0, -6, Interpolation.DB), new Lane.Point(RATE / 4, -20, Interpolation.S_CURVE),
                new Lane.Point(RATE / 4, -3, Interpolation.DB), new Lane.Point(RATE / 2, 0, Interpolation.STEP)), points,
                "in time order, two at one time in the order given, nothing of the refused call");

        Engine oneByOneEngine = new Engine(RATE, 2);
        Session oneByOne = session(oneByOneEngine);
        Lane lane = oneByOne.tracks().getFirst().lane("fader");
        lane.add(0, -6, null).add(RATE / 4, -20, Interpolation.S_CURVE).add(RATE / 2, 0, Interpolation.STEP)
                .add(RATE / 4, -3, null);
        float[][] expected = render(oneByOne, oneByOneEngine);
        float[][] actual = render(drawn, drawnEngine);
        assertArrayEquals(expected[0], actual[0]);
        assertArrayEquals(expected[1], actual[1]);
    }

    private static Session session(Engine engine) {
        Session session = new Session(new LocalEngineLink(engine));
        session.tempo().bpm(120);
        session.track("Vox").input(session.generator("sine", Map.of("freq", 440.0, "level", -12.0)));
        return session;
    }

    private static float[][] render(Session session, Engine engine) throws IOException {
        session.play();
        return new OfflineRenderer(engine).renderToMemory(RATE, BlockSizes.fixed(128));
    }
}
