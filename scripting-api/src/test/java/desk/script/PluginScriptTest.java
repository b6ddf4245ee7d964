package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.session.Session;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LV2 plugins from both languages: {@code session.plugins} lists and filters them, {@code insert("lv2:...")} puts
 * one on a strip by URI or unique name with its parameters as properties, a mono plugin runs as a pair on a stereo
 * track, a plugin's reported latency moves the session's, bad names and values are refused in one line, and a
 * session with plugins (one keeping LV2 state) saved and opened in another session renders the same samples.
 */
class PluginScriptTest {
    private static final int RATE = 48_000;
    private static final String JS = """
            var vox = session.track("Vox", {channels: 2});
            vox.input = session.generator("noise", {level: -18, seed: 3});
            var eq = vox.insert("lv2:http://gareus.org/oss/lv2/fil4#stereo", {gain1: 4, freq1: 1500});
            var amp = vox.insert("lv2:Simple amplifier", {gain: -3});
            var bus = session.bus("Verb");
            vox.send(bus, {level: -6});
            var late = bus.insert("lv2:http://gareus.org/oss/lv2/nodelay", {delay: 300});
            amp.gain = -4.5;
            """;
    private static final String PYTHON = """
            vox = session.track("Vox", channels=2)
            vox.input = session.generator("noise", level=-18, seed=3)
            eq = vox.insert("lv2:http://gareus.org/oss/lv2/fil4#stereo", gain1=4, freq1=1500)
            amp = vox.insert("lv2:Simple amplifier", gain=-3)
            bus = session.bus("Verb")
            vox.send(bus, level=-6)
            late = bus.insert("lv2:http://gareus.org/oss/lv2/nodelay", delay=300)
            amp.gain = -4.5
            """;

    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(Language.class)
    void pluginsInsertByUriOrNameAndASavedSessionRendersTheSameWhenOpened(Language language) throws IOException {
        boolean js = language == Language.JS;
        Path saved = folder.resolve("with-plugins");
        float[] original;
        Engine engine = new Engine(RATE, 2);
        Session session = new Session(new LocalEngineLink(engine));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ScriptHost host = new ScriptHost(session, folder, false, OutputStreamSink.INSTANCE, err)) {
            host.evaluate(language, js ? JS : PYTHON, "<setup>", value -> null);
            assertEquals("lv2:http://plugin.org.uk/swh-plugins/amp", host.evaluate(language, "amp.type", "<q>",
                    value -> value.asString()), "a unique name finds the plugin; its URI is kept");
            assertEquals(-4.5, host.evaluate(language, "amp.gain", "<q>", value -> value.asDouble()), 1e-9);
            assertEquals(Integer.valueOf(300), host.evaluate(language, "late.latency", "<q>", value -> value.asInt()));
            assertEquals(Integer.valueOf(300), host.evaluate(language, "session.latency.inserts", "<q>",
                    value -> value.asInt()));
            assertTrue(host.evaluate(language, js ? "session.plugins().length" : "len(session.plugins())", "<q>",
                    value -> value.asInt()) > 100);
            assertEquals("Simple amplifier", host.evaluate(language, js ? "session.plugins('simple amp')[0].name"
                    : "session.plugins('simple amp')[0].name", "<q>", value -> value.asString()));
            assertEquals("Hz", host.evaluate(language, js
                    ? "session.plugins('singlePara')[0].parameters.filter(p => p.name == 'fc')[0].unit"
                    : "[p for p in session.plugins('singlePara')[0].parameters if p.name == 'fc'][0].unit", "<q>",
                    value -> value.asString()));
            assertRefused(host, language, "vox.insert('lv2:no such plugin')",
                    "Vox.insert(\"lv2:no such plugin\"): no installed LV2 plugin has the URI or name \"no such plugin\"");
            assertRefused(host, language, "vox.insert('lv2:http://gareus.org/oss/lv2/meters#goniometer')",
                    "cannot be hosted: it is an analyser that shows what it measures only in its own window");
            assertRefused(host, language, "session.track('Mono').insert('lv2:http://gareus.org/oss/lv2/dpl#stereo')",
                    "it takes 2 audio inputs, so it goes on stereo strips");
            assertRefused(host, language, "amp.gain = 99", "Vox.inserts[1] (lv2:http://plugin.org.uk/swh-plugins/amp)"
                    + " gain 99 is out of range: must be -70..70");
            host.evaluate(language, js ? "session.track('Mono').remove()" : "session.track('Mono').remove()",
                    "<q>", value -> null);
            original = render(host, engine, session);
            host.evaluate(language, "session.saveAs(\"" + saved.toString().replace("\\", "/") + "\")", "<q>",
                    value -> null);
        }
        String file = Files.readString(saved.resolve("session.json"));
        assertTrue(file.contains("\"type\": \"lv2:http://gareus.org/oss/lv2/fil4#stereo\""), file);
        assertTrue(file.contains("\"state\": \"<urn:desk:state>"), "fil4 keeps LV2 state: " + file);
        Engine reopenedEngine = new Engine(RATE, 2);
        Session reopened = new Session(new LocalEngineLink(reopenedEngine));
        try (ScriptHost host = new ScriptHost(reopened, folder, false, OutputStreamSink.INSTANCE, err)) {
            host.control(() -> reopened.open(saved, false));
            float[] again = render(host, reopenedEngine, reopened);
            assertTrue(Arrays.equals(original, again), "the opened session renders the same samples");
        }
    }

    /** A plugin's presets, listed and inserted by name, the parameters given overriding the preset's. */
    @ParameterizedTest
    @EnumSource(Language.class)
    void aPresetSetsAPluginsParametersAndTheOnesGivenOverrideIt(Language language) {
        boolean js = language == Language.JS;
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        try (ScriptHost host = new ScriptHost(session, folder, false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            host.evaluate(language, js ? "var vox = session.track('Vox')" : "vox = session.track('Vox')", "<setup>",
                    value -> null);
            assertEquals("Live/Slightly Corrected", host.evaluate(language, js
                    ? "session.plugins('fat1').filter(p => p.uri.endsWith('fat1'))[0].presets.join('/')"
                    : "'/'.join([p for p in session.plugins('fat1') if p.uri.endswith('fat1')][0].presets)", "<q>",
                    value -> value.asString()));
            host.evaluate(language, (js ? "var tune = vox.insert('lv2:http://gareus.org/oss/lv2/fat1', {preset: 'Live',"
                    + " corr: 0.5})" : "tune = vox.insert('lv2:http://gareus.org/oss/lv2/fat1', preset='Live',"
                    + " corr=0.5)"), "<q>", value -> null);
            assertEquals(0.5, host.evaluate(language, "tune.corr", "<q>", value -> value.asDouble()), 1e-9,
                    "given, over the preset's 0.84");
            assertEquals(Boolean.TRUE, host.evaluate(language, "tune.fastmode", "<q>", value -> value.asBoolean()),
                    "the preset's");
            assertRefused(host, language, js ? "vox.insert('lv2:http://gareus.org/oss/lv2/fat1', {preset: 'Studio'})"
                    : "vox.insert('lv2:http://gareus.org/oss/lv2/fat1', preset='Studio')", "preset \"Studio\": the"
                    + " plugin has no preset by that name; its presets: Live, Slightly Corrected");
            assertRefused(host, language, js ? "vox.insert('eq', {preset: 'Warm'})" : "vox.insert('eq', preset='Warm')",
                    "preset");
            assertEquals(Integer.valueOf(1), host.evaluate(language, js ? "vox.inserts.length" : "len(vox.inserts)",
                    "<q>", value -> value.asInt()), "nothing half made");
        }
    }

    private static void assertRefused(ScriptHost host, Language language, String code, String words) {
        ScriptException refused = assertThrows(ScriptException.class,
                () -> host.evaluate(language, code, "<q>", value -> null));
        assertTrue(refused.getMessage().contains(words), refused.getMessage());
        assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
    }

    private static float[] render(ScriptHost host, Engine engine, Session session) {
        return ScriptRenders.left(host, engine, session, RATE, BlockSizes.random(8, 1, 1500));
    }
}
