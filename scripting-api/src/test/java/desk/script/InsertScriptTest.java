package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.fx.BuiltIns;
import desk.engine.insert.ProcessorType;
import desk.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inserts from both languages: the same members, values as users write them, the same refusals, the same sound. */
class InsertScriptTest {
    private record Run(String result, float[] left) {
    }

    private static Run run(Language language, String code) {
        Engine engine = new Engine(48000, 2);
        Session session = new Session(new LocalEngineLink(engine));
        try (ScriptHost host = new ScriptHost(session, Path.of(""), false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            String result = host.evaluate(language, code, "<in>", value -> value.asString());
            float[] left = new float[4800];
            int[] at = {0};
            try {
                new OfflineRenderer(engine).render(4800, BlockSizes.fixed(256), (master, count) -> {
                    System.arraycopy(master[0], 0, left, at[0], count);
                    at[0] += count;
                }, horizon -> host.control(() -> session.tick(horizon)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new Run(result, left);
        }
    }

    private static final String JS = """
            const tone = session.generator("sine", {freq: 1000, level: -6});
            const vox = session.track("Vox");
            vox.input = tone;
            vox.pan = -1;
            const u = vox.insert("utility", {gain: -6, polarity: "left", mono: false});
            const first = vox.insert("utility", {at: 0, dc_cut: true, bypass: true});
            const types = session.insertTypes.map(t => t.name).join("/");
            const gain = u.parameters[0];
            u.move(0);
            [u.type, u.gain, u.polarity, u.mono, u.index, first.index, first.bypass, vox.inserts.length,
             u.latency, vox.latency, u.gainReduction, types, gain.name, gain.unit, gain.min, gain.max, gain.default,
             u.parameters[3].choices.join("/"), String(u)].join(",");
            """;

    private static final String PYTHON = """
            tone = session.generator("sine", freq=1000, level=-6)
            vox = session.track("Vox")
            vox.input = tone
            vox.pan = -1
            u = vox.insert("utility", gain=-6, polarity="left", mono=False)
            first = vox.insert("utility", at=0, dc_cut=True, bypass=True)
            types = "/".join(t.name for t in session.insertTypes)
            gain = u.parameters[0]
            u.move(0)
            def js(v):
                if v is None:
                    return ""
                if isinstance(v, bool):
                    return "true" if v else "false"
                if isinstance(v, float) and v == int(v):
                    return str(int(v))
                return str(v)
            ",".join(js(v) for v in [u.type, u.gain, u.polarity, u.mono, u.index, first.index, first.bypass,
                len(vox.inserts), u.latency, vox.latency, u.gainReduction, types, gain.name, gain.unit, gain.min,
                gain.max, gain.default, "/".join(u.parameters[3].choices), str(u)])
            """;

    @Test
    void bothLanguagesSeeTheSameInsertsAndRenderTheSameSamples() {
        Run js = run(Language.JS, JS);
        Run python = run(Language.PYTHON, PYTHON);
        String types = BuiltIns.all().stream().map(ProcessorType::name).collect(Collectors.joining("/"));
        assertEquals("utility,-6,left,false,0,1,true,2,0,0,," + types + ",gain,dB,-96,24,0,normal/left/right/both,"
                + "Vox.inserts[0] (utility)", js.result());
        assertEquals(js.result(), python.result());
        assertArrayEquals(js.left(), python.left());
        double expected = -Math.pow(10, -12 / 20.0);
        assertEquals(expected * Math.sin(2 * Math.PI * 1000 * 4000 / 48000.0), js.left()[4000], 1e-4,
                "-6 dBFS, turned down 6 dB and inverted");
    }

    /**
     * Every built-in type, on a stereo track, with every parameter set as users write it (a number in range,
     * a choice by name, a switch as a boolean) and read back: the same in both languages, the same samples.
     */
    @Test
    void everyInsertTypeWithEveryParameterWorksTheSameInBothLanguages() {
        StringBuilder js = new StringBuilder("const pad = session.track('Pad', {channels: 2});\n"
                + "pad.input = session.generator('noise', {color: 'pink', level: -18, seed: 3});\nconst read = [];\n");
        StringBuilder python = new StringBuilder("pad = session.track('Pad', channels=2)\n"
                + "pad.input = session.generator('noise', color='pink', level=-18, seed=3)\nread = []\n");
        for (ProcessorType type : BuiltIns.all()) {
            String name = "i_" + type.name();
            js.append("const ").append(name).append(" = pad.insert('").append(type.name()).append("');\n");
            python.append(name).append(" = pad.insert('").append(type.name()).append("')\n");
            for (desk.engine.insert.InsertParameter parameter : type.parameters()) {
                String[] value = sample(parameter);
                js.append(name).append('.').append(parameter.name()).append(" = ").append(value[0]).append(";\n")
                        .append("read.push(String(").append(name).append('.').append(parameter.name()).append("));\n");
                python.append(name).append('.').append(parameter.name()).append(" = ").append(value[1]).append('\n')
                        .append("read.append(js(").append(name).append('.').append(parameter.name()).append("))\n");
            }
        }
        js.append("read.join(',') + ' | ' + pad.inserts.map(i => i.type).join(',');\n");
        python.append("','.join(read) + ' | ' + ','.join(i.type for i in pad.inserts)\n");
        String helper = """
                def js(v):
                    if isinstance(v, bool):
                        return "true" if v else "false"
                    if isinstance(v, float) and v == int(v):
                        return str(int(v))
                    return str(v)
                """;
        Run inJs = run(Language.JS, js.toString());
        Run inPython = run(Language.PYTHON, helper + python);
        assertEquals(inJs.result(), inPython.result());
        assertTrue(inJs.result().endsWith(" | " + BuiltIns.all().stream().map(ProcessorType::name)
                .collect(Collectors.joining(","))), inJs.result());
        assertArrayEquals(inJs.left(), inPython.left(), "the same samples through every insert");
        float peak = 0;
        for (float sample : inJs.left()) {
            peak = Math.max(peak, Math.abs(sample));
        }
        assertTrue(peak > 1e-6, "and sound comes out (the utility alone takes it down 51 dB): " + peak);
    }

    @Test
    void noInsertParameterHidesAMemberOfTheInsertItself() {
        ApiType<?> insert = DeskApi.registry(new Session(new LocalEngineLink(new Engine(48000, 0))), Path.of(""))
                .types().stream().filter(type -> type.name().equals("Insert")).findFirst().orElseThrow();
        for (ProcessorType type : BuiltIns.all()) {
            for (desk.engine.insert.InsertParameter parameter : type.parameters()) {
                assertTrue(!insert.members().containsKey(parameter.name()), type.name() + "." + parameter.name()
                        + " would hide Insert." + parameter.name());
            }
        }
        java.util.Set<String> taken = new java.util.TreeSet<>(insert.members().keySet());
        taken.addAll(java.util.List.of("at", "preset"));
        assertEquals(taken, new java.util.TreeSet<>(desk.engine.lv2.Lv2World.RESERVED_NAMES), "a plugin's port symbols"
                + " are renamed when they are one of the Insert's members or insert()'s options, and only then");
    }

    /** A value for {@code parameter} other than its default, as JavaScript and Python write it. */
    private static String[] sample(desk.engine.insert.InsertParameter parameter) {
        if (parameter.isToggle()) {
            return parameter.initial() == 0 ? new String[]{"true", "True"} : new String[]{"false", "False"};
        }
        if (parameter.isChoice()) {
            String choice = "'" + parameter.choices().get(parameter.choices().size() - 1) + "'";
            return new String[]{choice, choice};
        }
        double value = parameter.min() + (parameter.max() - parameter.min()) * 0.375;
        String text = Double.toString(Math.round(value * 100) / 100.0);
        return new String[]{text, text};
    }

    @Test
    void aChoiceTakesItsNameInAnyCaseOrTheNumberItIs() {
        for (Language language : Language.values()) {
            Engine engine = new Engine(48000, 2);
            Session session = new Session(new LocalEngineLink(engine));
            try (ScriptHost host = new ScriptHost(session, Path.of(""), false, OutputStreamSink.INSTANCE,
                    OutputStreamSink.INSTANCE)) {
                host.evaluate(language, language == Language.JS
                        ? "const vox = session.track('Vox'); const eq = vox.insert('eq'); const c = vox.insert('compressor');"
                                + " eq.hpf_slope = 24; eq.lpf_slope = '24'; c.detector = 'RMS';"
                                + " vox.lane('fader').mode = 'Touch'"
                        : "vox = session.track('Vox'); eq = vox.insert('eq'); c = vox.insert('compressor')\n"
                                + "eq.hpf_slope = 24; eq.lpf_slope = '24'; c.detector = 'RMS'\n"
                                + "vox.lane('fader').mode = 'Touch'", "<setup>", v -> null);
                assertEquals("24 24 rms touch", host.evaluate(language, language == Language.JS
                        ? "[eq.hpf_slope, eq.lpf_slope, c.detector, vox.lane('fader').mode].join(' ')"
                        : "' '.join([eq.hpf_slope, eq.lpf_slope, c.detector, vox.lane('fader').mode])", "<check>",
                        v -> v.asString()), language.toString());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            vox.insert('chorus')                     | vox.insert('chorus')                    | <in>:1:1: Vox.insert("chorus"): the inserts are {types} |
            vox.insert('utility', {gain: 30})        | vox.insert('utility', gain=30)          | <in>:1:1: Vox.insert("utility") gain 30 is out of range: must be -96..24 dB |
            vox.insert('utility', {volume: 1})       | vox.insert('utility', volume=1)         | <in>:1:1: Vox.insert has no option "volume": it takes at, bypass, dc_cut, gain, mono, polarity, width |
            vox.insert('utility', {at: 3})           | vox.insert('utility', at=3)             | <in>:1:1: Vox.insert at 3: must be a whole number 0..1 |
            u.gain = 'loud'                          | u.gain = 'loud'                         | <in>:1:1: Vox.inserts[0] (utility).gain "loud" is not a number: must be -96..24 dB |
            u.polarity = 'up'                        | u.polarity = 'up'                       | <in>:1:1: Vox.inserts[0] (utility).polarity "up": must be "normal", "left", "right" or "both" |
            u.mono = 1                               | u.mono = 1                              | <in>:1:1: Vox.inserts[0] (utility).mono 1: must be true or false | <in>:1:1: Vox.inserts[0] (utility).mono 1: must be True or False
            u.volume = 1                             | u.volume = 1                            | <in>:1:1: Insert has no member "volume": its members are type, strip, index, bypass, parameters, latency, failed, gainReduction, sidechain, sidechainFrom, move, remove, lane, lanes, ramp, gain, width, mono, polarity, dc_cut |
            u.lane('polarity')                       | u.lane('polarity')                      | <in>:1:1: Vox.inserts[0] (utility).lane("polarity"): polarity is a choice; it is set, not automated |
            u.sidechain = vox                        | u.sidechain = vox                       | <in>:1:1: Vox.inserts[0] (utility).sidechain: a utility has no side chain |
            u.move(4)                                | u.move(4)                               | <in>:1:1: Vox.inserts[0] (utility).move index 4: must be a whole number 0..0 |
            """)
    void badInputGetsOneLineInEachLanguagesWordsAndChangesNothing(String js, String python, String expected,
                                                                   String inPython) {
        String setupJs = "const vox = session.track('Vox'); const u = vox.insert('utility', {gain: -3});\n";
        String setupPython = "vox = session.track('Vox'); u = vox.insert('utility', gain=-3)\n";
        for (Language language : Language.values()) {
            Engine engine = new Engine(48000, 2);
            Session session = new Session(new LocalEngineLink(engine));
            try (ScriptHost host = new ScriptHost(session, Path.of(""), false, OutputStreamSink.INSTANCE,
                    OutputStreamSink.INSTANCE)) {
                host.evaluate(language, language == Language.JS ? setupJs : setupPython, "<setup>", v -> null);
                ScriptException refused = assertThrows(ScriptException.class, () -> host.evaluate(language,
                        (language == Language.JS ? js : python).strip(), "<in>", v -> null));
                String words = language == Language.PYTHON && inPython != null ? inPython : expected;
                assertEquals(words.replace("{types}", BuiltIns.all().stream().map(t -> '"' + t.name() + '"')
                        .collect(Collectors.joining(", ")) + ", or an LV2 plugin as \"lv2:<URI or name>\""),
                        refused.getMessage(), language.toString());
                assertEquals("-3.0 1", host.evaluate(language, language == Language.JS
                        ? "u.gain.toFixed(1) + ' ' + vox.inserts.length"
                        : "'%.1f %d' % (u.gain, len(vox.inserts))", "<check>", v -> v.asString()), "unchanged");
            }
        }
    }
}
