package desk.repl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: version, the REPL on a pipe, the script runner, benchmark output, one-line errors and exit codes. */
class MainTest {
    private record Result(int status, String out, String err) {
    }

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Result result = run("", "--version");
        assertEquals(0, result.status());
        assertTrue(result.out().matches("desk \\d+\\.\\d+\\.\\d+\\R"), result.out());
    }

    @Test
    void everyCommandsHelpIsPrintedWithoutAFormattingWarning() {
        PrintStream saved = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (String command : new String[]{"run", "bench", "meter", "engine"}) {
                Result result = run("", command, "--help");
                assertEquals(0, result.status(), command + ": " + result.err());
                assertTrue(result.out().startsWith("Usage: desk " + command), result.out());
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "what picocli printed on the side");
    }

    @Test
    void benchPrintsOneJsonObjectWithItsFigures() throws Exception {
        Result result = run("", "bench", "--offline", "--tracks", "4", "--seconds", "0.5", "--warm-up", "0.1", "--json");
        assertEquals(0, result.status(), result.err());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertEquals(4, json.get("tracks").asInt());
        assertEquals(0.5, json.get("seconds").asDouble(), 1e-9);
        assertTrue(json.get("realtime_factor").asDouble() > 0);
        assertTrue(json.get("cpu_us_per_track_second").asDouble() > 0);
        assertTrue(json.get("master_peak_dbfs").asDouble() > -30, "the noise is heard: " + json);
        assertFalse(json.get("meters").asBoolean());
        assertEquals(1024, json.get("buffer").asInt());
    }

    @Test
    void benchMixesMonoTracksWhenAsked() throws Exception {
        Result mono = run("", "bench", "--offline", "--mono", "--tracks", "3", "--seconds", "0.2", "--warm-up", "0",
                "--json");
        assertEquals(0, mono.status(), mono.err());
        assertEquals(1, new ObjectMapper().readTree(mono.out()).get("channels").asInt());
        Result text = run("", "bench", "--offline", "--mono", "--tracks", "3", "--seconds", "0.2", "--warm-up", "0");
        assertTrue(text.out().contains("3 mono tracks"), text.out());
    }

    @Test
    void benchFreezesEveryTrackWhenAskedAndCleansUp() throws Exception {
        Result frozen = run("", "bench", "--offline", "--tracks", "3", "--strip", "frozen", "--seconds", "0.3",
                "--warm-up", "0", "--json");
        assertEquals(0, frozen.status(), frozen.err());
        JsonNode json = new ObjectMapper().readTree(frozen.out());
        assertEquals("frozen", json.get("strip").asText());
        assertTrue(json.get("cpu_us_per_track_second").asDouble() > 0);
        assertTrue(json.get("master_peak_dbfs").asDouble() > -30, "the frozen tracks are heard: " + json);
        assertEquals("desk: --strip frozen: measured offline only (add --offline)\n",
                run("", "bench", "--jack", "--strip", "frozen").err());
    }

    @Test
    void benchPlaysClipsWhenAskedFreezesThemAndRemovesEveryFileItWrote() throws Exception {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        Set<String> before = benchFolders(temporary);
        Result frozen = run("", "bench", "--offline", "--tracks", "3", "--strip", "frozen", "--source", "clips",
                "--seconds", "0.3", "--warm-up", "0", "--json");
        assertEquals(0, frozen.status(), frozen.err());
        JsonNode json = new ObjectMapper().readTree(frozen.out());
        assertEquals("clips", json.get("source").asText());
        assertEquals("frozen", json.get("strip").asText());
        assertEquals(0, json.get("failures").asInt());
        assertTrue(json.get("master_peak_dbfs").asDouble() > -30, "the frozen tracks are heard: " + json);
        Result simple = run("", "bench", "--offline", "--tracks", "2", "--source", "clips", "--seconds", "0.2",
                "--warm-up", "0", "--json");
        assertEquals(0, simple.status(), simple.err());
        assertTrue(new ObjectMapper().readTree(simple.out()).get("master_peak_dbfs").asDouble() > -30,
                "the clips are heard: " + simple.out());
        Result text = run("", "bench", "--offline", "--tracks", "2", "--source", "clips", "--seconds", "0.2",
                "--warm-up", "0");
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("2 stereo tracks (simple strip, playing clips)"), text.out());
        assertTrue(text.out().contains(" dBFS"), text.out());
        assertEquals(before, benchFolders(temporary), "the clips and frozen files are gone");
        assertEquals("desk: --source clips: measured offline only (add --offline)\n",
                run("", "bench", "--jack", "--source", "clips").err());
        assertEquals("desk: --source tape: must be noise or clips\n",
                run("", "bench", "--offline", "--source", "tape").err());
    }

    private static Set<String> benchFolders(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(entry -> entry.getFileName().toString()).filter(name -> name.startsWith("desk-bench-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void benchPutsAnLv2PluginOnEveryTrackToMeasureHostingIt() throws Exception {
        Result plugin = run("", "bench", "--offline", "--tracks", "3", "--strip", "plugin", "--seconds", "0.3",
                "--warm-up", "0", "--json");
        assertEquals(0, plugin.status(), plugin.err());
        JsonNode json = new ObjectMapper().readTree(plugin.out());
        assertEquals("plugin", json.get("strip").asText());
        assertTrue(json.get("cpu_us_per_track_second").asDouble() > 0);
        assertEquals("desk: --strip pedal: must be simple, full, frozen, utility or plugin\n",
                run("", "bench", "--offline", "--strip", "pedal").err());
    }

    @Test
    void benchPrintsTextByDefault() {
        Result result = run("", "--buffer", "128", "bench", "--offline", "--tracks", "2", "--seconds", "0.2",
                "--warm-up", "0", "--meters");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("2 stereo tracks"), result.out());
        assertTrue(result.out().contains("128-frame blocks, meters on"), result.out());
        assertTrue(result.out().contains("us per track-second"), result.out());
    }

    @Test
    void meterReadsTheEbuReferenceFilesAsJson() throws Exception {
        Path ebu = Path.of(System.getProperty("user.dir")).resolve("../../shared/ebu-loudness").normalize();
        assertTrue(Files.isDirectory(ebu), "the EBU loudness set beside the repository: " + ebu);
        Result result = run("", "meter", "--json", ebu.resolve("seq-3341-1-16bit.wav").toString(),
                ebu.resolve("seq-3341-19-24bit.wav.wav").toString());
        assertEquals(0, result.status(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(2, lines.size(), result.out());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals(-23.0, first.get("integrated_lufs").asDouble(), 0.1);
        assertEquals(-23.0, first.get("momentary_max_lufs").asDouble(), 0.1);
        assertEquals(-23.0, first.get("short_term_max_lufs").asDouble(), 0.1);
        for (String field : new String[]{"file", "sample_peak_dbfs", "true_peak_dbtp", "rms_dbfs", "loudness_range_lu"}) {
            assertTrue(first.has(field), field);
        }
        double truePeak = new ObjectMapper().readTree(lines.get(1)).get("true_peak_dbtp").asDouble();
        assertTrue(truePeak >= 2.6 && truePeak <= 3.2, "case 19 reads +3.0 dBTP (+0.2/-0.4): " + truePeak);
    }

    @Test
    void meterPrintsTextAndReportsUnreadableFiles(@TempDir Path folder) throws Exception {
        Path ebu = Path.of(System.getProperty("user.dir")).resolve("../../shared/ebu-loudness").normalize();
        Result result = run("", "meter", ebu.resolve("1kHz Sine -20 LUFS-16bit.wav").toString(),
                folder.resolve("missing.wav").toString());
        assertEquals(1, result.status());
        assertTrue(result.out().contains("integrated -20.0 LUFS"), result.out());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("desk: ") && result.err().contains("missing.wav"), result.err());
    }

    @Test
    void badArgumentsGetOneLineAndNoStackTrace() {
        Result missingMode = run("", "bench", "--tracks", "4");
        assertEquals(1, missingMode.status());
        assertEquals("desk: bench needs --offline or --jack\n",
                missingMode.err());
        Result badCount = run("", "bench", "--offline", "--tracks", "0");
        assertEquals("desk: --tracks 0: must be 1..4096\n", badCount.err());
        Result unknown = run("", "--frobnicate");
        assertEquals(2, unknown.status());
        assertEquals(1, unknown.err().lines().count(), unknown.err());
        assertTrue(unknown.err().startsWith("desk: Unknown option: '--frobnicate'"), unknown.err());
        assertTrue(unknown.err().endsWith(" (see desk --help)\n"), unknown.err());
    }

    @Test
    void anEngineListeningBeyondLoopbackWithoutTlsIsRefusedAndTheEngineOptionsGoTogether() {
        Result open = run("", "engine", "--listen", "0.0.0.0:7770", "--no-tls");
        assertEquals(1, open.status());
        assertEquals("desk: --listen 0.0.0.0:7770 with --no-tls: a listen beyond this machine needs TLS and a token;"
                + " --no-tls is for a loopback address (127.0.0.1) alone\n", open.err());
        Result shortToken = run("", "engine", "--listen", "0.0.0.0:7770", "--token", "short");
        assertEquals("desk: --token of 5 characters: a token needs at least 16 (leave it out and the engine makes"
                + " one of 32)\n", shortToken.err());
        Result alone = run("", "--token", "0123456789abcdef");
        assertEquals("desk: --token, --fingerprint, --take-over and --no-tls go with --engine HOST:PORT\n", alone.err());
        Result both = run("", "--engine", "127.0.0.1:7770", "--backend", "dummy");
        assertEquals("desk: --engine 127.0.0.1:7770 drives an engine that has its own backend: leave out --backend and"
                + " --jack-server (give them to desk engine there)\n", both.err());
        Result bench = run("", "bench", "--offline", "--tracks", "2", "--engine", "127.0.0.1:7770");
        assertEquals("desk: desk bench measures an engine on this machine: --engine, --token, --fingerprint,"
                + " --take-over and --no-tls are for a desk that drives one on the network\n", bench.err());
        Result nobody = run("", "--engine", "127.0.0.1:1", "--token", "0123456789abcdef", "--no-tls");
        assertEquals(1, nobody.status());
        assertTrue(nobody.err().startsWith("desk: the engine at 127.0.0.1:1 does not answer ("), nobody.err());
        assertEquals(1, nobody.err().lines().count(), nobody.err());
    }

    @Test
    void withOscTheReplListensOnLoopbackOrWithATokenItMadeAndOscOptionsNeedOsc() {
        Result local = run("session.osc.address\nsession.osc.token\n", "--osc", "0");
        assertEquals(0, local.status(), local.err());
        List<String> lines = local.out().lines().toList();
        assertTrue(lines.get(0).matches("OSC on 127\\.0\\.0\\.1:\\d+"), local.out());
        assertEquals("\"" + lines.get(0).substring("OSC on ".length()) + "\"", lines.get(1));
        assertEquals("null", lines.get(2));

        Result open = run("session.osc.token\n", "--osc", "0", "--osc-bind", "0.0.0.0");
        assertEquals(0, open.status(), open.err());
        List<String> said = open.out().lines().toList();
        assertTrue(said.get(0).matches("OSC on 0\\.0\\.0\\.0:\\d+, token [A-Za-z0-9_-]{22} \\(every message carries it first\\)"),
                open.out());
        assertTrue(said.get(0).contains("token " + said.get(1).replace("\"", "") + " "), open.out());

        Result alone = run("", "--osc-token", "abc");
        assertEquals(1, alone.status());
        assertEquals("desk: --osc-bind and --osc-token go with --osc\n", alone.err());
    }

    @Test
    void onAPipeTheReplEvaluatesEachLineAndPrintsResultsWithoutPrompts() {
        Result result = run("""
                session.tracks
                var vox = session.track("Vox")
                vox.fader = -6
                session.tracks.map(t => t.name)
                function twice(x) {
                  return 2 * x
                }
                twice(21)
                :py
                session.find("Vox").fader
                session.bus("Verb", kind="aux")
                session.tracks
                """);
        assertEquals(0, result.status(), result.err());
        assertEquals("""
                []
                -6
                ["Vox"]
                42
                -6.0
                Bus Verb (aux, stereo) trim 0.0 fader 0.0 dB bal C -> master
                [Track Vox (mono) in=none trim 0.0 fader -6.0 dB pan C -> master]
                """, result.out());
        assertEquals("", result.err());
    }

    @Test
    void aLanePointEchoesAsScriptsShowItInBothLanguages() {
        Result result = run("var vox = session.track('Vox'); vox.lane('fader').add(0, -6); vox.lane('fader').points[0]\n"
                + ":py\nsession.find('Vox').lane('fader').points[0]\n");
        assertEquals("Point -6 at 0 s (sample 0), curve \"db\"\nPoint -6 at 0 s (sample 0), curve \"db\"\n",
                result.out(), result.err());
    }

    @Test
    void aCallThatGivesNothingBackEchoesNothingWhileANullPropertyEchoesNull() {
        Result result = run("var vox = session.track('Vox')\nsession.play()\nsession.resetMeters()\n"
                + "typeof session.stop()\nvox.input\n:py\nsession.play()\nprint(session.stop())\n"
                + "session.find('Vox').input\n");
        assertEquals("\"undefined\"\nnull\nNone\n", result.out(), result.err());
    }

    @Test
    void helpListsTheTypesAndExplainsMembers() {
        Result result = run(":help\n:help Send\n:help fader\n");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("Types: Session, Track, Bus, Send, Source, SourceChannel, Meter"), result.out());
        assertTrue(result.out().contains("  level") && result.out().contains("Send level, dB: -inf or -144..6 dB."),
                result.out());
        assertTrue(result.out().contains("Track.fader") && result.out().contains("Bus.fader"), result.out());
        Result send = run(":help send\n:help Track.send\n");
        assertTrue(send.out().startsWith("Send: "), "the type first: " + send.out());
        assertTrue(send.out().contains("\nTrack.send(bus, {level, pre})"), "then the members so named: " + send.out());
        assertEquals(2, send.out().lines().filter(line -> line.startsWith("Track.send(")).count(),
                "Track.send alone the second time: " + send.out());
        Result compressor = run(":help compressor\n:help nothing\n");
        assertTrue(compressor.out().startsWith("insert \"compressor\": "), compressor.out());
        assertTrue(compressor.out().lines().anyMatch(line -> line.startsWith("  threshold ") && line.contains("dB")
                && line.contains("default")), compressor.out());
        assertTrue(compressor.out().endsWith("no help on \"nothing\": try :help, a type such as :help Track, a member"
                + " such as :help Track.send, or an insert such as :help compressor\n"), compressor.out());
    }

    @Test
    void gainReportAndOneFrameOfTheMeterBridgeOnAPipe() {
        Result result = run("""
                var vox = session.track("Vox")
                vox.input = session.generator("sine", {level: -3})
                vox.trim = 6
                var until = session.clock + 0.3
                while (session.clock < until) {}
                :gain
                :gain final
                :meters
                """);
        assertEquals(1, result.status(), "the refused stage fails the run");
        assertTrue(result.out().contains("Gain report (mixing):"), result.out());
        assertTrue(result.out().matches("(?s).*  Vox: clipping: \\d+ samples at or above 0 dBFS before the fader.*"),
                result.out());
        assertEquals("gainReport stage \"final\": must be \"tracking\", \"mixing\" or \"mastering\"\n", result.err());
        assertTrue(result.out().matches("(?s).*Meters at [0-9.]+ s: .*\nVox +\\[#+-*\\] +-?[0-9.]+ hold .* CLIP \\d+\n.*"),
                result.out());
        assertTrue(result.out().contains("\nmaster "), result.out());
    }

    @Test
    void onAPipeErrorsAreOneLineOnStandardErrorAndTheStatusIsOne() {
        Result result = run("session.track(\"Vox\").fader = \"loud\"\nsession.tracks.length\n");
        assertEquals(1, result.status());
        assertEquals("1\n", result.out());
        assertEquals("<stdin>:1:1: Vox.fader \"loud\" is not a number: must be -inf or -144..12 dB\n", result.err());
    }

    @Test
    void onAPipeErrorsGiveTheirLineInTheInputInBothLanguages() {
        Result result = run("""
                var vox = session.track("Vox")

                vox.fader = -6
                function louder(db) {
                  vox.fader = db
                }
                louder(20)
                :py
                vox = session.find("Vox")
                vox.mute = None
                vox.fadr
                """);
        assertEquals(1, result.status());
        assertEquals("""
                <stdin>:5:3: Vox.fader 20 is out of range: must be -inf or -144..12 dB
                <stdin>:10:1: Vox.mute None: must be True or False
                <stdin>:11:1: AttributeError: Track has no member "fadr": did you mean fader?
                """, result.err());
    }

    @Test
    void meterHelpListsOnlyTheOptionsMeterTakes() {
        Result help = run("", "meter", "--help");
        assertEquals(0, help.status(), help.err());
        for (String option : new String[]{"--sample-rate", "--buffer", "--verbose", "--allow-io", "--backend", "--jack-server"}) {
            assertFalse(help.out().contains(option), option + " is not meter's:\n" + help.out());
        }
        assertTrue(help.out().contains("--json"), help.out());
        Result run = run("", "run", "--help");
        assertTrue(run.out().contains("--sample-rate") && run.out().contains("--backend"), "run still takes them:\n" + run.out());
        Result refused = run("", "meter", "--backend", "dummy", "x.wav");
        assertEquals(2, refused.status());
        assertTrue(refused.err().startsWith("desk: Unknown option: '--backend'"), refused.err());
        assertTrue(refused.err().endsWith(" (see desk meter --help)\n"), "the help of the command used: " + refused.err());
        Result noFile = run("", "meter");
        assertEquals("desk: Missing required parameter: 'FILE' (see desk meter --help)\n", noFile.err());
    }

    @Test
    void theReplSavesWithColonSaveAndOpensTheSessionAgainWithSession(@TempDir Path folder) {
        Path song = folder.resolve("song");
        Result saved = run("session.track('Vox').fader = -3\n:save\n", "--session", song.toString());
        assertEquals(0, saved.status(), saved.err());
        assertTrue(saved.out().contains("saved " + song.toAbsolutePath().normalize().resolve("session.json")), saved.out());
        Result opened = run("session.find('Vox').fader\n", "--session", song.toString());
        assertEquals(0, opened.status(), opened.err());
        assertEquals("-3", opened.out().strip(), opened.out());
        Result undone = run("session.find('Vox').fader = -9\n:undo\nsession.find('Vox').fader\n:redo\n:redo\n",
                "--session", song.toString());
        assertEquals("-9\nundone: Vox fader -3.0 -> -9.0\n-3\nredone: Vox fader -3.0 -> -9.0\n", undone.out());
        assertEquals("session.redo: nothing to redo\n", undone.err());
        Result nowhere = run(":save\n");
        assertTrue(nowhere.err().contains("session.save: the session has no folder"), nowhere.err());
    }

    @Test
    void aSessionSavedByOneRunIsOpenedByTheNextAndRendersTheSameBytes(@TempDir Path folder) throws Exception {
        Path build = folder.resolve("build.js");
        Path play = folder.resolve("play.py");
        Path song = folder.resolve("song");
        Files.writeString(build, """
                const drums = session.bus("Drums");
                const tone = session.track("Tone");
                tone.input = session.generator("sine", {freq: 440, level: -12});
                tone.output = drums;
                tone.insert("eq", {b2_freq: 1000, b2_gain: 4});
                tone.lane("fader").add(0, -6).add(0.5, -20);
                session.save();
                session.play();
                """);
        Files.writeString(play, "session.play()\n");
        Result built = run("", "run", build.toString(), "--offline", "--session", song.toString(), "--seconds", "1",
                "--out", folder.resolve("built.wav").toString(), "--bits", "32f");
        assertEquals(0, built.status(), built.err());
        assertTrue(Files.isRegularFile(song.resolve("session.json")), "saved into the session folder");
        Result opened = run("", "run", play.toString(), "--offline", "--session", song.toString(), "--seconds", "1",
                "--out", folder.resolve("opened.wav").toString(), "--bits", "32f");
        assertEquals(0, opened.status(), opened.err());
        assertArrayEquals(Files.readAllBytes(folder.resolve("built.wav")), Files.readAllBytes(folder.resolve("opened.wav")),
                "the opened session renders the saved one's bytes");

        Files.writeString(song.resolve("session.json"), Files.readString(song.resolve("session.json"))
                .replace("\"output\": \"Drums\"", "\"output\": \"Drumz\""));
        Result refused = run("", "run", play.toString(), "--offline", "--session", song.toString(), "--seconds", "1");
        assertEquals(1, refused.status());
        assertTrue(refused.err().matches("desk: .*session\\.json line \\d+ \\(/tracks/0/output\\): output to \"Drumz\":"
                + " no such bus\\R"), refused.err());
    }

    @Test
    void runWritesStemsOfEveryTrackAndBusBesideTheMaster(@TempDir Path folder) throws Exception {
        Path script = folder.resolve("band.js");
        Files.writeString(script, """
                const drums = session.bus("Drums");
                const tone = session.track("Tone");
                tone.input = session.generator("sine", {freq: 440, level: -12});
                tone.output = drums;
                session.track("Noise").input = session.generator("noise", {level: -30});
                session.play();
                """);
        Path stems = folder.resolve("stems");
        Result rendered = run("", "run", script.toString(), "--offline", "--seconds", "0.5", "--stems", stems.toString());
        assertEquals(0, rendered.status(), rendered.err());
        assertEquals("desk: stems of 3 strips and the master in " + stems + System.lineSeparator(), rendered.err());
        for (String name : new String[]{"master", "Tone", "Noise", "Drums"}) {
            assertEquals(24_000, desk.engine.io.WavReader.read(stems.resolve(name + ".wav")).samples()[0].length, name);
        }
        Path tailed = folder.resolve("tailed");
        Result withTail = run("", "run", script.toString(), "--offline", "--seconds", "0.5", "--stems", tailed.toString(),
                "--tail", "0.25");
        assertEquals(0, withTail.status(), withTail.err());
        for (String name : new String[]{"master", "Tone", "Noise", "Drums"}) {
            assertEquals(36_000, desk.engine.io.WavReader.read(tailed.resolve(name + ".wav")).samples()[0].length,
                    name + ": the generators play on, so the tail runs to its cap");
        }
        assertEquals("desk: --tail is rendered into --out or --stems: add one\n",
                run("", "run", script.toString(), "--offline", "--seconds", "0.5", "--tail", "auto").err());
        Result refused = run("", "run", script.toString(), "--seconds", "0.5", "--stems", stems.toString());
        assertEquals(1, refused.status(), refused.err());
        assertTrue(refused.err().startsWith("desk: --stems " + stems + ": renders offline"), refused.err());
    }

    @Test
    void runDeliversAtALoudnessTargetAndSaysWhatItMeasured(@TempDir Path folder) throws Exception {
        Path script = folder.resolve("beat.js");
        Files.writeString(script, """
                session.track("Kick").input = session.generator("impulse", {level: -6, every: 0.5});
                session.track("Bass").input = session.generator("sine", {freq: 55, level: -24});
                session.play();
                """);
        Path flac = folder.resolve("out").resolve("master.flac");
        Result delivered = run("", "run", script.toString(), "--offline", "--seconds", "8", "--out", flac.toString(),
                "--loudness", "-14", "--true-peak", "-1", "--progress", "json");
        assertEquals(0, delivered.status(), delivered.err());
        String[] lines = delivered.err().split("\\R");
        assertEquals("{\"seconds\":8.000,\"total\":8.000", lines[lines.length - 2].substring(0, 30), delivered.err());
        assertTrue(lines[lines.length - 1].matches("desk: .*master\\.flac: flac 24-bit, 8\\.000 s, integrated -14\\.0"
                + " LUFS, true peak -1\\.[0-9] dBTP, .* \\(target -14\\.0 LUFS under -1\\.0 dBTP: gain \\+[0-9.]+ dB,"
                + " limiter down to -[0-9.]+ dB\\)"), delivered.err());
        Path decoded = folder.resolve("decoded.wav");
        desk.engine.backend.JackServer.requireTools("sox");
        assertEquals(0, new ProcessBuilder("sox", flac.toString(), decoded.toString()).start().waitFor());
        desk.engine.loudness.FileMeasurement measured = desk.engine.loudness.FileMeter.measure(decoded);
        assertEquals(-14, measured.integratedLufs(), 0.1);
        assertTrue(measured.truePeakDbtp() <= -1.0, measured.truePeakDbtp() + " dBTP");

        Path png = folder.resolve("loudness.png");
        Result plotted = run("", "meter", decoded.toString(), "--plot", png.toString(), "--target", "-14");
        assertEquals(0, plotted.status(), plotted.err());
        assertTrue(plotted.out().contains("integrated -14.0 LUFS"), plotted.out());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(desk.session.LoudnessPlot.WIDTH, image.getWidth());
        Result reported = run("", "run", script.toString(), "--offline", "--seconds", "4", "--out",
                folder.resolve("r.wav").toString(), "--loudness", "-18", "--report", folder.resolve("r.png").toString());
        assertEquals(0, reported.status(), reported.err());
        assertEquals(desk.session.LoudnessPlot.HEIGHT, javax.imageio.ImageIO.read(folder.resolve("r.png").toFile())
                .getHeight());
        assertEquals("desk: --plot " + png + " draws one file: give one FILE, not 2\n",
                run("", "meter", decoded.toString(), decoded.toString(), "--plot", png.toString()).err());

        Result quiet = run("", "run", script.toString(), "--offline", "--seconds", "1", "--out",
                folder.resolve("quiet.wav").toString(), "--quiet");
        assertEquals("", quiet.err());
        Result noOut = run("", "run", script.toString(), "--offline", "--seconds", "1", "--loudness", "-14");
        assertEquals("desk: --loudness is for the file an offline render writes: add --out FILE\n", noOut.err());
        Result floatFlac = run("", "run", script.toString(), "--offline", "--seconds", "1", "--out", "x.flac", "--bits",
                "32f");
        assertEquals("desk: flac holds 16- or 24-bit samples, not 32-bit float: use 16 or 24 bits\n", floatFlac.err());
        Files.writeString(folder.resolve("silence.js"), "session.play();\n");
        Result silent = run("", "run", folder.resolve("silence.js").toString(), "--offline", "--seconds", "1",
                "--out", folder.resolve("silent.wav").toString(), "--loudness", "-14");
        assertEquals(1, silent.status());
        assertTrue(silent.err().contains("the mix is silent (below the -70 LUFS gate): there is no loudness to bring"
                + " to -14.0 LUFS"), silent.err());
        assertFalse(Files.exists(folder.resolve("silent.wav")), "no file for a silent mix");
    }

    @Test
    void runRendersTheSameBytesFromJavaScriptAndPython(@TempDir Path folder) throws Exception {
        Path js = folder.resolve("mix.js");
        Path python = folder.resolve("mix.py");
        Files.writeString(js, """
                const tone = session.track("Tone");
                tone.input = session.generator("sine", {freq: 440, level: -12});
                tone.pan = -0.5;
                tone.send(session.bus("Verb", {kind: "aux"}), {level: -6});
                """);
        Files.writeString(python, """
                tone = session.track("Tone")
                tone.input = session.generator("sine", freq=440, level=-12)
                tone.pan = -0.5
                tone.send(session.bus("Verb", kind="aux"), level=-6)
                """);
        for (Path script : new Path[]{js, python}) {
            Result result = run("", "run", script.toString(), "--offline", "--seconds", "1", "--out",
                    folder.resolve(script.getFileName() + ".wav").toString(), "--bits", "32f");
            assertEquals(0, result.status(), result.err());
        }
        byte[] fromJs = Files.readAllBytes(folder.resolve("mix.js.wav"));
        AudioFile rendered = WavReader.read(folder.resolve("mix.js.wav"));
        assertEquals(48000, rendered.frames(), "one second");
        assertEquals(2, rendered.channels());
        assertTrue(rendered.samples()[0][1000] != 0f, "the tone is in the render");
        assertArrayEquals(fromJs, Files.readAllBytes(folder.resolve("mix.py.wav")));
    }

    @Test
    void runPrintsTheNoticesOfATruncatedFileAllowedAndOfItsInvalidSamples(@TempDir Path folder) throws Exception {
        Path audio = Files.createDirectories(Path.of("target", "bad-audio")).resolve("cut.wav");
        float[] samples = new float[48_000];
        java.util.Arrays.fill(samples, 0.25f);
        samples[10] = Float.NaN;
        samples[20] = Float.POSITIVE_INFINITY;
        try (desk.engine.io.WavWriter writer = desk.engine.io.WavWriter.create(audio, 48_000, 1,
                desk.engine.io.SampleFormat.FLOAT_32)) {
            writer.write(new float[][] {samples}, 0, samples.length);
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(audio,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(audio) - 4 * 24_000);
        }
        Path script = folder.resolve("cut.js");
        Files.writeString(script, "const vox = session.track('Vox');\n"
                + "vox.input = session.file('target/bad-audio/cut.wav', {truncated: 'allow'});\n");
        Path refused = folder.resolve("refused.js");
        Files.writeString(refused, "session.file('target/bad-audio/cut.wav');\n");

        Result result = run("", "run", script.toString(), "--offline", "--seconds", "2");
        Result refusal = run("", "run", refused.toString(), "--offline", "--seconds", "1");

        assertEquals(0, result.status(), result.err());
        assertTrue(result.err().contains("cut.wav is truncated (data chunk says 192000 bytes at byte 58 but the file"
                + " ends at byte 96058): it plays the 0.5 s there\n"), result.err());
        assertTrue(result.err().contains("desk: Vox: 2 invalid samples (NaN or infinite) reached its input and played"
                + " as silence; Vox.meter.invalid is 2\n"), result.err());
        assertEquals(1, refusal.status());
        assertTrue(refusal.err().startsWith("desk: refused.js:1:1: session.file: ") && refusal.err().endsWith("cut.wav:"
                + " data chunk says 192000 bytes at byte 58 but the file ends at byte 96058 (truncated); open it with"
                + " {truncated: \"allow\"} (truncated=\"allow\" in Python) to use the 0.5 s there\n"), refusal.err());
    }

    @Test
    void runStopsWithOneLineAndStatusOneOnAScriptError(@TempDir Path folder) throws Exception {
        Path script = folder.resolve("broken.py");
        Files.writeString(script, "vox = session.track('Vox')\nvox.pan = 3\n");
        Result result = run("", "run", script.toString(), "--offline", "--seconds", "1");
        assertEquals(1, result.status());
        assertEquals("desk: broken.py:2:1: Vox.pan 3 is out of range: must be -1..1\n", result.err());
        Result missing = run("", "run", folder.resolve("nothing.js").toString(), "--offline");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("desk: script ") && missing.err().endsWith(": file not found\n"), missing.err());
        Path exits = folder.resolve("exits.py");
        Files.writeString(exits, "import sys\nsys.exit(3)\n");
        Result exited = run("", "run", exits.toString(), "--offline");
        assertEquals(3, exited.status());
        assertEquals("desk: exits.py exited with status 3\n", exited.err());
        Result badFormat = run("", "run", script.toString(), "--offline", "--seconds", "1", "--out", "x.wav", "--bits",
                "12");
        assertEquals("desk: sample format \"12\": use 16, 24 or 32f\n", badFormat.err());
        Result mp3 = run("", "run", script.toString(), "--offline", "--seconds", "1", "--out", "x.mp3");
        assertEquals("desk: --out x.mp3: Desk writes .wav, .bwf and .flac files; name it so, or give the format (wav,"
                + " bwf or flac)\n", mp3.err());
        Result bitsAsFormat = run("", "run", script.toString(), "--offline", "--seconds", "1", "--out", "x.wav",
                "--format", "24");
        assertEquals("desk: format \"24\": use wav, bwf or flac (the sample format is set by bits: 16, 24 or 32f)\n",
                bitsAsFormat.err());
        Result unmeasured = run("", "run", script.toString(), "--offline", "--out", "x.wav");
        assertEquals("desk: --out x.wav: give --seconds, how long to render\n", unmeasured.err());
        assertFalse(Files.exists(Path.of("x.mp3")) || Files.exists(Path.of("x.wav")), "nothing written");
    }

    @Test
    void theLiveSetRunsFiveTimesToTheSameBytes(@TempDir Path folder) throws Exception {
        Path example = Path.of(System.getProperty("user.dir")).resolveSibling("examples").resolve("live-set.js");
        java.util.Set<String> digests = new java.util.HashSet<>();
        for (int run = 0; run < 5; run++) {
            Path out = folder.resolve("set-" + run + ".wav");
            Result result = run("", "run", example.toString(), "--offline", "--seconds", "16", "--out", out.toString());
            assertEquals(0, result.status(), result.err());
            digests.add(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out))));
        }
        assertEquals(1, digests.size(), "five runs, one SHA-256: " + digests);
    }

    @Test
    void scheduledFunctionsThatNeverRanAreNamedInOneLine(@TempDir Path folder) throws Exception {
        Path js = folder.resolve("unplayed.js");
        Files.writeString(js, """
                session.track("Tone").input = session.generator("sine", {level: -20});
                at(1, () => expect(session.master.meter.peak).toBeAbove(-30));
                at(5, () => {});
                """);
        Result unplayed = run("", "run", js.toString(), "--offline", "--seconds", "2");
        assertEquals(0, unplayed.status(), unplayed.err());
        assertEquals("desk: unplayed.js: 2 scheduled functions never ran (the first was due at 1 s; the transport ended"
                + " at 0 s, and never started: start it with session.play(); a longer --seconds renders further)\n",
                unplayed.err());
        Files.writeString(js, "session.track('Tone').input = session.generator('sine', {level: -20});"
                + " at(1, () => {}); at(5, () => {}); session.play();\n");
        Result stopped = run("", "run", js.toString(), "--offline", "--seconds", "2");
        assertEquals("desk: unplayed.js: 1 scheduled function never ran (the first was due at 5 s; the transport ended"
                + " at 2 s; a longer --seconds renders further)\n", stopped.err());
    }

    @Test
    void failedChecksAreNamedTheStatusIsOneAndTheJUnitReportListsThem(@TempDir Path folder) throws Exception {
        Path js = folder.resolve("checks.js");
        Files.writeString(js, """
                const tone = session.track("Tone");
                tone.input = session.generator("sine", {freq: 1000, level: -20});
                at(0.5, () => {
                  expect(session.master.meter.peak, "tone at -23 dBFS").toBeCloseTo(-23.01, 0.05);
                  expect(session.master.meter.peak).toBeBelow(-30);
                });
                session.play();
                """);
        Path report = folder.resolve("reports").resolve("checks.xml");
        Result failed = run("", "run", js.toString(), "--offline", "--seconds", "1", "--junit", report.toString());
        assertEquals(1, failed.status());
        assertTrue(failed.err().contains("FAILED checks.js:5: expected -23.0103 to be below -30\n"), failed.err());
        assertTrue(failed.err().endsWith("desk: checks.js: 1 of 2 checks passed\n"), failed.err());
        String xml = Files.readString(report);
        assertTrue(xml.contains("<testsuite name=\"checks.js\" tests=\"2\" failures=\"1\""), xml);
        assertTrue(xml.contains("<testcase classname=\"checks.js\" name=\"tone at -23 dBFS\"/>"), xml);
        assertTrue(xml.contains("name=\"checks.js:5\">\n    <failure message=\"expected -23.0103 to be below -30\"/>"), xml);

        Path python = folder.resolve("checks.py");
        Files.writeString(python, """
                tone = session.track("Tone")
                tone.input = session.generator("sine", freq=1000, level=-20)
                at(0.5, lambda: expect(session.master.meter.peak).to_be_below(-30))
                session.play()
                """);
        Result pythonFailed = run("", "run", python.toString(), "--offline", "--seconds", "1");
        assertEquals(1, pythonFailed.status());
        assertTrue(pythonFailed.err().startsWith("FAILED checks.py:3: expected -23.0103 to be below -30\n"),
                pythonFailed.err());
    }

    @Test
    void aFailingScheduledFunctionIsNamedWithItsLineCancelledAndFailsTheRun(@TempDir Path folder) throws Exception {
        Path js = folder.resolve("late.js");
        Files.writeString(js, """
                const vox = session.track("Vox");
                vox.input = session.generator("sine", {level: -20});
                at(0.25, () => {
                  vox.fader = 99;
                });
                session.play();
                """);
        Result result = run("", "run", js.toString(), "--offline", "--seconds", "1");
        assertEquals(1, result.status());
        assertEquals("desk: late.js:4:3: at 0.25 failed and is cancelled: Vox.fader 99 is out of range: must be -inf"
                + " or -144..12 dB\ndesk: late.js: 1 scheduled function or callback failed (--keep-going to exit 0"
                + " all the same)\n", result.err());
    }

    @Test
    void aCallbackThatThrowsOnItsThirdCallFailsTheRunUnlessKeepGoing(@TempDir Path folder) throws Exception {
        Path js = folder.resolve("third.js");
        Files.writeString(js, """
                let calls = 0;
                session.track("Tone").input = session.generator("sine", {level: -20});
                every("1 beat", () => {
                  calls++;
                  if (calls == 3) throw new Error("third call");
                });
                session.play();
                """);
        String line = "desk: third.js:5:25: every \"1 beat\" failed and is cancelled: Error: third call\n";
        Path report = folder.resolve("third.xml");
        Result failed = run("", "run", js.toString(), "--offline", "--seconds", "4", "--junit", report.toString());
        assertEquals(1, failed.status());
        assertTrue(failed.err().startsWith(line), failed.err());
        String xml = Files.readString(report);
        assertTrue(xml.contains("tests=\"1\" failures=\"0\" errors=\"1\""), xml);
        assertTrue(xml.contains("<error message=\"third.js:5:25: every &quot;1 beat&quot; failed and is cancelled:"
                + " Error: third call\"/>"), xml);

        Result kept = run("", "run", js.toString(), "--offline", "--seconds", "4", "--keep-going");
        assertEquals(0, kept.status(), kept.err());
        assertEquals(line, kept.err());
    }

    @Test
    void anOfflineRenderSaysWhenATrackListensToACapturePortAndWhenTheMasterIsSilent(@TempDir Path folder)
            throws Exception {
        Path js = Files.writeString(folder.resolve("ports.js"), """
                const vox = session.track("Vox");
                vox.input = "system:capture_1";
                """);
        Result silent = run("", "run", js.toString(), "--offline", "--seconds", "1");
        assertEquals(0, silent.status(), silent.err());
        assertEquals("desk: Vox's input is the capture port system:capture_1, which is silent offline: feed it a"
                + " generator or session.file(...) to hear it in a render\n"
                + "desk: the render is silent: the master never rose above -120 dBFS in 1.0 s\n", silent.err());

        Path tone = Files.writeString(folder.resolve("tone.js"),
                "session.track(\"Tone\").input = session.generator(\"sine\", {level: -100});\n");
        Result quiet = run("", "run", tone.toString(), "--offline", "--seconds", "1");
        assertEquals("", quiet.err(), "a tone at -100 dBFS is not silence");
    }
}
