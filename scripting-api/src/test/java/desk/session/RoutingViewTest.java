package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The picture of the routing on a session with every kind of strip, input and send: the tree from the master
 * down line by line, and every node and edge of the DOT graph.
 */
class RoutingViewTest {
    private static final Pattern NODE = Pattern.compile("  \"([^\"]+)\" \\[(.*)];");
    private static final Pattern EDGE = Pattern.compile("  \"([^\"]+)\" -> \"([^\"]+)\"(?: \\[(.*)])?;");

    /**
     * Drums (a group bus with a direct out on playback 3 and 4, and a send to Verb) sums Kick (capture 1,
     * panned, an EQ and a bypassed compressor, a post send) and Snare (a file, muted); Verb is an aux return,
     * solo-safe, with a reverb; Keys (stereo, capture 3 and 4, balance, polarity inverted, a pre send, a
     * compressor keyed from Kick) and Vox (a sine, trimmed, soloed) go to the master; Spare goes nowhere;
     * a noise generator feeds no track.
     */
    private static Session everyKind(Path folder) throws IOException {
        Session session = new Session(new LocalEngineLink(new Engine(48000, 4)));
        Path snareFile = folder.resolve("snare.wav");
        try (WavWriter writer = WavWriter.create(snareFile, 48000, 1, SampleFormat.PCM_24)) {
            writer.write(new float[][]{new float[480]}, 0, 480);
        }
        Source snareSource = session.file(snareFile, false, false);
        Source sine = session.generator("sine", Map.of("freq", 440, "level", -18));
        session.generator("noise", Map.of("level", -30));

        Bus drums = session.bus("Drums");
        Bus verb = session.bus("Verb", "aux", 2);
        drums.fader(-3);
        drums.directOut(true);
        drums.connectOut(List.of("system:playback_3", "system:playback_4"));
        drums.send(verb, -20, false);
        verb.insert("reverb", Map.of(), -1, false);
        verb.soloSafe(true);

        Track kick = session.track("Kick");
        kick.input("system:capture_1");
        kick.output(drums);
        kick.fader(-6);
        kick.pan(-0.2);
        kick.insert("eq", Map.of(), -1, false);
        kick.insert("compressor", Map.of(), -1, true);
        kick.send(verb, -12, false);

        Track snare = session.track("Snare");
        snare.input(snareSource);
        snare.output(drums);
        snare.mute(true);

        Track keys = session.track("Keys", 2);
        keys.input(List.of("system:capture_3", "system:capture_4"));
        keys.balance(0.3);
        keys.phase(true);
        keys.send(verb, -10, true);
        keys.insert("compressor", Map.of(), -1, false).sidechain(kick, "pre");

        Track vox = session.track("Vox");
        vox.input(sine);
        vox.trim(3);
        vox.fader(-10.5);
        vox.solo(true);

        session.track("Spare", 2).output(null);
        return session;
    }

    @Test
    void theTreeReadsFromTheMasterDownWithSendsUnderTheStripsTheyLeave(@TempDir Path folder) throws IOException {
        List<String> expected = List.of(
                "master (stereo)  fader 0.0 dB",
                "|   out -> system:playback_1, system:playback_2",
                "|-- Drums (group, stereo)  fader -3.0 dB",
                "|   |   direct out -> system:playback_3, system:playback_4",
                "|   |   send -> Verb  -20.0 dB  post",
                "|   |-- Kick (mono)  <- system:capture_1  fader -6.0 dB  pan L20  inserts: eq, compressor (bypassed)",
                "|   |       send -> Verb  -12.0 dB  post",
                "|   `-- Snare (mono)  <- file snare.wav  fader 0.0 dB  MUTE",
                "|-- Verb (aux, stereo)  fader 0.0 dB  solo-safe  inserts: reverb",
                "|       <- sends from Drums, Kick, Keys",
                "|-- Keys (stereo)  <- system:capture_3, system:capture_4  fader 0.0 dB  bal R30  phase-inverted"
                        + "  inserts: compressor (side chain Kick pre)",
                "|       send -> Verb  -10.0 dB  pre",
                "`-- Vox (mono)  <- sine 440 Hz -18 dBFS  trim +3.0 dB  fader -10.5 dB  SOLO",
                "",
                "not routed (output none):",
                "Spare (stereo)  <- no input  fader 0.0 dB",
                "",
                "sources no track takes: white noise -30 dBFS RMS seed 1");
        String tree = RoutingView.tree(everyKind(folder));
        assertEquals(expected, tree.lines().toList(), tree);
        assertTrue(tree.endsWith("\n"));
    }

    @Test
    void theDotGraphHasANodeForEverySourcePortAndStripAndAnEdgeForEveryPath(@TempDir Path folder) throws IOException {
        String dot = RoutingView.dot(everyKind(folder));
        List<String> lines = dot.lines().toList();
        assertEquals("digraph routing {", lines.getFirst(), dot);
        assertEquals("}", lines.getLast(), dot);

        Map<String, String> nodes = new LinkedHashMap<>();
        List<String> edges = new ArrayList<>();
        for (String line : lines) {
            Matcher edge = EDGE.matcher(line);
            Matcher node = NODE.matcher(line);
            if (edge.matches()) {
                edges.add(edge.group(1) + " -> " + edge.group(2) + (edge.group(3) == null ? "" : " " + edge.group(3)));
            } else if (node.matches()) {
                nodes.put(node.group(1), node.group(2));
            }
        }
        assertEquals(List.of("source:1", "source:2", "source:3", "in:system:capture_1", "in:system:capture_3",
                "in:system:capture_4", "strip:Drums", "strip:Verb", "strip:Kick", "strip:Snare", "strip:Keys", "strip:Vox",
                "strip:Spare", "strip:master", "out:system:playback_3", "out:system:playback_4", "out:system:playback_1",
                "out:system:playback_2"), List.copyOf(nodes.keySet()), dot);
        assertEquals(List.of(
                "in:system:capture_1 -> strip:Kick",
                "source:1 -> strip:Snare",
                "in:system:capture_3 -> strip:Keys label=\"ch 1\"",
                "in:system:capture_4 -> strip:Keys label=\"ch 2\"",
                "source:2 -> strip:Vox",
                "strip:Drums -> strip:master",
                "strip:Drums -> strip:Verb label=\"-20.0 dB post\", style=dashed",
                "strip:Drums -> out:system:playback_3 label=\"direct out ch 1\"",
                "strip:Drums -> out:system:playback_4 label=\"direct out ch 2\"",
                "strip:Verb -> strip:master",
                "strip:Kick -> strip:Drums",
                "strip:Kick -> strip:Verb label=\"-12.0 dB post\", style=dashed",
                "strip:Snare -> strip:Drums",
                "strip:Keys -> strip:master",
                "strip:Keys -> strip:Verb label=\"-10.0 dB pre\", style=dashed",
                "strip:Kick -> strip:Keys label=\"side chain pre to compressor\", style=dotted",
                "strip:Vox -> strip:master",
                "strip:master -> out:system:playback_1 label=\"ch 1\"",
                "strip:master -> out:system:playback_2 label=\"ch 2\""), edges, dot);

        assertEquals("label=\"white noise -30 dBFS RMS seed 1\", shape=ellipse", nodes.get("source:3"));
        assertEquals("label=\"Kick (mono)\\nfader -6.0 dB\\neq\\ncompressor (bypassed)\"", nodes.get("strip:Kick"));
        assertEquals("label=\"Snare (mono)\\nfader 0.0 dB\\nMUTE\", style=filled, fillcolor=lightgrey",
                nodes.get("strip:Snare"));
        assertEquals("label=\"Vox (mono)\\ntrim +3.0 dB  fader -10.5 dB\\nSOLO\", style=filled, fillcolor=gold",
                nodes.get("strip:Vox"));
        assertEquals("label=\"master (stereo)\\nfader 0.0 dB\", shape=doubleoctagon", nodes.get("strip:master"));
        assertEquals("label=\"system:capture_1\", shape=cds", nodes.get("in:system:capture_1"));
    }

    @Test
    void aStereoFileFeedingAStereoTrackOneToOneIsOneInputAndNamesAreQuotedForDot(@TempDir Path folder)
            throws IOException {
        Session session = new Session(new LocalEngineLink(new Engine(48000, 2)));
        Path file = folder.resolve("pad.wav");
        try (WavWriter writer = WavWriter.create(file, 48000, 2, SampleFormat.PCM_16)) {
            writer.write(new float[][]{new float[48], new float[48]}, 0, 48);
        }
        Track pad = session.track("Pad \"wide\"", 2);
        pad.input(session.file(file, true, false));
        Track mixed = session.track("Mixed", 2);
        mixed.input(Arrays.asList("system:capture_2", null));
        assertEquals(List.of(
                "master (stereo)  fader 0.0 dB",
                "|   out -> system:playback_1, system:playback_2",
                "|-- Pad \"wide\" (stereo)  <- file pad.wav  fader 0.0 dB",
                "`-- Mixed (stereo)  <- system:capture_2, none  fader 0.0 dB"), RoutingView.tree(session).lines().toList());
        String dot = RoutingView.dot(session);
        assertTrue(dot.contains("  \"source:1\" -> \"strip:Pad \\\"wide\\\"\";\n"), dot);
        assertTrue(dot.contains("  \"in:system:capture_2\" -> \"strip:Mixed\" [label=\"ch 1\"];\n"), dot);
    }

    @Test
    void aFormatOtherThanTreeOrDotIsRefusedInOneLine() {
        Session session = new Session(new LocalEngineLink(new Engine(48000, 0)));
        DeskException refused = assertThrows(DeskException.class,
                () -> RoutingView.draw(session, "svg", "session.routing format"));
        assertEquals("session.routing format \"svg\": must be \"tree\" or \"dot\"", refused.getMessage());
        assertEquals(RoutingView.tree(session), RoutingView.draw(session, "tree", "session.routing format"));
        assertEquals(RoutingView.dot(session), RoutingView.draw(session, "dot", "session.routing format"));
    }
}
