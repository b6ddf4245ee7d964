package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.session.RoutingView;
import desk.session.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code session.routing()} from both languages: the tree by default, DOT on asking, a bad format in one line. */
class RoutingScriptTest {
    private static final String JS = """
            var drums = session.bus("Drums");
            var verb = session.bus("Verb", {kind: "aux"});
            var kick = session.track("Kick");
            kick.input = "system:capture_1";
            kick.output = drums;
            kick.send(verb, {level: -12, pre: true});
            """;
    private static final String PYTHON = """
            drums = session.bus("Drums")
            verb = session.bus("Verb", kind="aux")
            kick = session.track("Kick")
            kick.input = "system:capture_1"
            kick.output = drums
            kick.send(verb, level=-12, pre=True)
            """;

    @ParameterizedTest
    @EnumSource(Language.class)
    void routingReturnsTheTreeOrTheDotText(Language language) {
        Session session = new Session(new LocalEngineLink(new Engine(48000, 2)));
        try (ScriptHost host = new ScriptHost(session, Path.of(""), false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            boolean js = language == Language.JS;
            host.evaluate(language, js ? JS : PYTHON, "<setup>", value -> null);
            assertEquals("""
                    master (stereo)  fader 0.0 dB
                    |   out -> system:playback_1, system:playback_2
                    |-- Drums (group, stereo)  fader 0.0 dB
                    |   `-- Kick (mono)  <- system:capture_1  fader 0.0 dB
                    |           send -> Verb  -12.0 dB  pre
                    `-- Verb (aux, stereo)  fader 0.0 dB
                            <- sends from Kick
                    """, host.evaluate(language, "session.routing()", "<tree>", value -> value.asString()));
            String dot = host.evaluate(language, js ? "session.routing({format: \"dot\"})"
                    : "session.routing(format=\"dot\")", "<dot>", value -> value.asString());
            assertEquals(RoutingView.dot(session), dot);
            assertTrue(dot.contains("  \"strip:Kick\" -> \"strip:Verb\" [label=\"-12.0 dB pre\", style=dashed];\n"), dot);
            String refused = js ? "try { session.routing({format: 'svg'}) } catch (e) { e.message }"
                    : "def refused():\n    try:\n        session.routing(format='svg')\n"
                    + "    except DeskError as e:\n        return str(e)\nrefused()";
            assertEquals("session.routing format \"svg\": must be \"tree\" or \"dot\"",
                    host.evaluate(language, refused, "<refused>", value -> value.asString()));
        }
    }
}
