package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.session.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code track.on} from both languages on one engine: a track made here runs on no node, staying where it is
 * changes nothing, and a node that was never joined is refused in one line with nothing changed. Moving between
 * engines is tested on two JACK servers joined by netjack2 (the REPL's {@code NodeTest}).
 */
class TrackOnScriptTest {
    @ParameterizedTest
    @EnumSource(Language.class)
    void aTrackHereRunsOnNoNodeAndAMoveToANodeNeverJoinedIsRefused(Language language) {
        Session session = new Session(new LocalEngineLink(new Engine(48000, 2)));
        try (ScriptHost host = new ScriptHost(session, Path.of(""), false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            boolean js = language == Language.JS;
            host.evaluate(language, js ? "var gtr = session.track('Gtr'); gtr.fader = -4; gtr.on = null"
                    : "gtr = session.track('Gtr')\ngtr.fader = -4\ngtr.on = None", "<setup>", value -> null);
            assertEquals(true, host.evaluate(language, js ? "gtr.on === null" : "gtr.on is None", "<on>",
                    value -> value.asBoolean()));
            String refused = js ? "try { gtr.on = 'stage2' } catch (e) { e.message }"
                    : "def refused():\n    try:\n        gtr.on = 'stage2'\n"
                    + "    except DeskError as e:\n        return str(e)\nrefused()";
            assertEquals("Gtr.on \"stage2\": no such node; join it first with session.node(name, {engine, token})",
                    host.evaluate(language, refused, "<refused>", value -> value.asString()));
            assertEquals(-4, session.find("Gtr").fader());
            assertEquals(1, session.tracks().size(), "nothing was made or taken out");
        }
    }
}
