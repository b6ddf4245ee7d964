package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.dsp.Decibels;
import desk.session.Session;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code session.midi} from both languages, offline, with a controller played by {@code receive} inside
 * scheduled functions: a mapped fader moves on the exact sample, a note reaches a handler with its sample, a
 * switch mutes (on the control loop's next turn), a learn maps the next control that moves, soft takeover
 * holds a fader set by the script, a control's gesture is one undo group, bad input is refused in one line,
 * and the ports and mappings are saved with the session and made again when it is opened.
 */
class MidiScriptTest {
    private static final int RATE = 48_000;
    private static final String JS = """
            var vox = session.track("Vox");
            vox.input = session.generator("sine", {freq: 1000, level: -20});
            vox.pan = -1;
            session.midi.input("nano");
            session.midi.output("leds");
            var fader = session.midi.map({cc: 7}, vox, "fader", {range: [-60, 6], curve: "linear", takeover: false});
            session.midi.map({cc: 32, channel: 2}, vox, "mute", {feedback: "leds"});
            var notes = [];
            session.midi.on("note", (e) => notes.push(e.type + " " + e.number + " " + e.value + " " + e.sample));
            session.at(0.6, () => session.midi.learn(vox, "pan", {takeover: false}));
            session.at(0.25, () => session.midi.receive("nano", [0xB0, 7, 0]));
            session.at(0.5, () => session.midi.receive("nano", [0x90, 60, 100]));
            session.at(0.75, () => session.midi.receive("nano", [0xB3, 10, 0]));
            session.at(1.0, () => session.midi.receive("nano", [0xB1, 32, 127]));
            """;
    private static final String PYTHON = """
            vox = session.track("Vox")
            vox.input = session.generator("sine", freq=1000, level=-20)
            vox.pan = -1
            session.midi.input("nano")
            session.midi.output("leds")
            fader = session.midi.map({"cc": 7}, vox, "fader", range=[-60, 6], curve="linear", takeover=False)
            session.midi.map({"cc": 32, "channel": 2}, vox, "mute", feedback="leds")
            notes = []
            session.midi.on("note", lambda e: notes.append(e.type + " " + str(int(e.number)) + " " + str(int(e.value))
                                                           + " " + str(int(e.sample))))
            session.at(0.6, lambda: session.midi.learn(vox, "pan", takeover=False))
            session.at(0.25, lambda: session.midi.receive("nano", [0xB0, 7, 0]))
            session.at(0.5, lambda: session.midi.receive("nano", [0x90, 60, 100]))
            session.at(0.75, lambda: session.midi.receive("nano", [0xB3, 10, 0]))
            session.at(1.0, lambda: session.midi.receive("nano", [0xB1, 32, 127]))
            """;

    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(Language.class)
    void aControllerPlayedOfflineMovesTheMixOnItsSamples(Language language) throws IOException {
        Engine engine = new Engine(RATE, 2);
        Session session = new Session(new LocalEngineLink(engine));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean js = language == Language.JS;
        try (ScriptHost host = new ScriptHost(session, folder, false, OutputStreamSink.INSTANCE, err)) {
            host.evaluate(language, js ? JS : PYTHON, "<setup>", value -> null);
            float[] left = render(host, engine, session, (int) (1.5 * RATE));
            int ramp = RATE * desk.engine.Limits.DECLICK_MILLISECONDS / 1000;
            assertTrue(peakDb(left, 11_000, 12_000) > -20.1, "the fader is at 0 dB before the control moves");
            assertTrue(Math.abs(left[12_000 - 1]) > 0 || Math.abs(left[12_000 - 2]) > 0, "sound before");
            assertEquals(-80, peakDb(left, 12_000 + ramp, 36_000), 0.1,
                    "the control at 0 puts the fader at -60 dB from sample 12,000 on");
            assertEquals(Double.NEGATIVE_INFINITY, peakDb(left, 48_000 + 333 + ramp, 72_000),
                    "the mute switch silences it from the control loop's next turn (a block later)");
            assertEquals(-60, host.evaluate(language, "vox.fader", "<q>", value -> value.asDouble()), 1e-9);
            assertEquals("note 60 100 24000", host.evaluate(language, js ? "notes.join('|')" : "'|'.join(notes)",
                    "<q>", value -> value.asString()));
            assertEquals("cc 10, channel 4, input nano", host.evaluate(language,
                    "session.midi.mappings[2].control", "<q>", value -> value.asString()));
            assertEquals(-1.0, host.evaluate(language, "vox.pan", "<q>", value -> value.asDouble()), 1e-9,
                    "the learned control's first message only learns");
            assertEquals(4.0, host.evaluate(language, "session.midi.received", "<q>", value -> value.asDouble()));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                    "MIDI learned: cc 10, channel 4, input nano -> Vox pan (-1..1, linear)"), err.toString(StandardCharsets.UTF_8));

            ScriptException refused = org.junit.jupiter.api.Assertions.assertThrows(ScriptException.class,
                    () -> host.evaluate(language, js ? "session.midi.map({cc: 7, channel: 17}, vox, 'fader')"
                            : "session.midi.map({'cc': 7, 'channel': 17}, vox, 'fader')", "<bad>", value -> null));
            assertEquals("<bad>:1:1: session.midi.map channel 17: must be a whole number 1..16", refused.getMessage());
            assertEquals(Integer.valueOf(3), host.evaluate(language, js ? "session.midi.mappings.length" : "len(session.midi.mappings)",
                    "<q>", value -> Integer.valueOf(value.asInt())), "nothing was mapped");
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void softTakeoverHoldsAFaderTheScriptSetUntilTheControlReachesIt(Language language) {
        Engine engine = new Engine(RATE, 2);
        Session session = new Session(new LocalEngineLink(engine));
        boolean js = language == Language.JS;
        try (ScriptHost host = new ScriptHost(session, folder, false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            host.evaluate(language, js ? """
                    var vox = session.track("Vox");
                    vox.input = session.generator("sine", {freq: 1000, level: -20});
                    session.midi.input("nano");
                    session.midi.map({cc14: 7}, vox, "fader", {range: [-60, 6], curve: "linear"});
                    vox.fader = -6;
                    session.at(0.1, () => session.midi.receive("nano", [0xB0, 7, 10]));
                    session.at(0.3, () => session.midi.receive("nano", [0xB0, 7, 110]));
                    """ : """
                    vox = session.track("Vox")
                    vox.input = session.generator("sine", freq=1000, level=-20)
                    session.midi.input("nano")
                    session.midi.map({"cc14": 7}, vox, "fader", range=[-60, 6], curve="linear")
                    vox.fader = -6
                    session.at(0.1, lambda: session.midi.receive("nano", [0xB0, 7, 10]))
                    session.at(0.3, lambda: session.midi.receive("nano", [0xB0, 7, 110]))
                    """, "<setup>", value -> null);
            render(host, engine, session, RATE / 5);
            assertEquals(-6, host.evaluate(language, "vox.fader", "<q>", value -> value.asDouble()), 1e-9,
                    "a control far below the fader the script set leaves it");
            render(host, engine, session, RATE / 5);
            assertEquals(-60 + (110 << 7) / 16383.0 * 66, host.evaluate(language, "vox.fader", "<q>",
                    value -> value.asDouble()), 1e-9, "crossing it, the control takes it (14 bits: coarse half)");
            render(host, engine, session, RATE * 3 / 5);
            String undone = host.evaluate(language, "session.undo()", "<q>", value -> value.asString());
            assertTrue(undone.startsWith("Vox fader -6.0 -> -3.277"), "the control's gesture is one undo group of"
                    + " its own: " + undone);
            assertEquals(-6, host.evaluate(language, "vox.fader", "<q>", value -> value.asDouble()), 1e-9);
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void portsAndMappingsAreSavedWithTheSessionAndMadeAgainOnOpening(Language language) throws IOException {
        Path sessionFolder = folder.resolve("set");
        boolean js = language == Language.JS;
        try (ScriptHost host = new ScriptHost(new Session(new LocalEngineLink(new Engine(RATE, 2))), folder, false,
                OutputStreamSink.INSTANCE, OutputStreamSink.INSTANCE)) {
            host.evaluate(language, (js ? """
                    var vox = session.track("Vox");
                    session.midi.input("nano");
                    session.midi.output("motors");
                    session.midi.map({nrpn: 300, channel: 5}, vox, "fader", {range: [-40, 0], takeover: false, feedback: "motors"});
                    session.midi.map({pitchbend: true}, vox, "trim");
                    """ : """
                    vox = session.track("Vox")
                    session.midi.input("nano")
                    session.midi.output("motors")
                    session.midi.map({"nrpn": 300, "channel": 5}, vox, "fader", range=[-40, 0], takeover=False, feedback="motors")
                    session.midi.map({"pitchbend": True}, vox, "trim")
                    """) + "session.saveAs(\"" + sessionFolder.toString().replace("\\", "/") + "\")\n", "<setup>", value -> null);
        }
        String saved = Files.readString(sessionFolder.resolve("session.json"));
        assertTrue(saved.contains("\"midi\""), saved);
        Session opened = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        try (ScriptHost host = new ScriptHost(opened, folder, false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            host.control(() -> opened.open(sessionFolder, false));
            assertEquals("nano|motors|nrpn 300, channel 5, input nano -> Vox fader (-40..0, fader, feedback to motors)"
                            + "|pitchbend, channel 1, input nano -> Vox trim (-24..24, linear, soft takeover)",
                    host.evaluate(language, js
                            ? "[session.midi.inputs[0], session.midi.outputs[0]].concat(session.midi.mappings.map(m => String(m))).join('|')"
                            : "'|'.join([session.midi.inputs[0], session.midi.outputs[0]] + [str(m) for m in session.midi.mappings])",
                            "<q>", value -> value.asString()));
        }
    }

    /** Renders {@code frames} frames on the script thread, the session's control loop turning before each block. */
    private static float[] render(ScriptHost host, Engine engine, Session session, int frames) {
        return ScriptRenders.left(host, engine, session, frames, BlockSizes.fixed(333));
    }

    private static double peakDb(float[] x, int from, int to) {
        double peak = 0;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        return Decibels.fromGain(peak);
    }
}
