package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.session.Session;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Languages started before the session exists (as the REPL starts them while it finds the audio backend):
 * a host takes them over with the API and the sandbox as a host that starts its own, and languages never
 * taken over close cleanly.
 */
class StartedAheadTest {
    private static Session session() {
        return new Session(new LocalEngineLink(new Engine(48000, 2)));
    }

    @Test
    void aHostTakesOverBothLanguagesWithTheApiAndTheSandbox() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ScriptLanguages languages = ScriptLanguages.start(Path.of(""), false, output, output, true);
        try (ScriptHost host = new ScriptHost(session(), languages)) {
            host.startJavaScript();
            host.warmUpPython().join();
            assertTrue(host.isReady(Language.PYTHON));
            assertEquals("Track Vox (mono)", host.evaluate(Language.JS, "String(session.track('Vox')).split(' in=')[0]",
                    "<ahead>", value -> value.asString()));
            assertEquals("Vox", host.evaluate(Language.PYTHON, "session.find('Vox').name", "<ahead>",
                    value -> value.asString()));
            ScriptException refused = assertThrows(ScriptException.class, () -> host.evaluate(Language.PYTHON,
                    "session.find('Vox').fader = 'loud'", "<ahead>", value -> null));
            assertTrue(refused.getMessage().contains("Vox.fader \"loud\" is not a number"), refused.getMessage());
            ScriptException sandboxed = assertThrows(ScriptException.class, () -> host.evaluate(Language.PYTHON,
                    "open('/etc/hostname').read()", "<ahead>", value -> null));
            assertTrue(sandboxed.getMessage().contains("<ahead>:1"), sandboxed.getMessage());
            assertThrows(ScriptException.class, () -> host.evaluate(Language.JS, "Java.type('java.lang.System')",
                    "<ahead>", value -> null));
        }
    }

    @Test
    void languagesNeverTakenOverCloseWithoutWaiting() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ScriptLanguages languages = ScriptLanguages.start(Path.of(""), false, OutputStreamSink.INSTANCE,
                    OutputStreamSink.INSTANCE, true);
            languages.close();
            languages.close();
            assertThrows(ScriptException.class, () -> languages.take(Language.JS));
        });
    }
}
