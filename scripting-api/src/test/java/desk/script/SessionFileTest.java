package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.session.DeskException;
import desk.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions saved and opened: a session built by a script with every kind of thing in it, saved, and opened
 * into a fresh desk renders the same samples and saves to the same text; both languages save the same file;
 * a bad file is refused with its line and changes neither the desk nor the file; saving keeps the previous
 * version; no damaged file gets anything but a one-line refusal.
 */
class SessionFileTest {
    private static final int RATE = 48000;
    private static final int SECONDS = 2;

    @TempDir
    Path work;

    private record Built(Session session, Engine engine, Path folder) {
    }

    private Built build(Language language, String name) throws IOException {
        Path tone = work.resolve("tone.wav");
        if (!Files.exists(tone)) {
            writeTone(tone);
        }
        Engine engine = new Engine(RATE, 8);
        Session session = new Session(new LocalEngineLink(engine));
        try (ScriptHost host = new ScriptHost(session, work, false, OutputStreamSink.INSTANCE, OutputStreamSink.INSTANCE)) {
            String script;
            try (InputStream stream = getClass().getResourceAsStream("/sessions/" + name)) {
                script = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
            host.evaluate(language, "toneFile = '" + tone + "'", "<setup>", value -> null);
            host.evaluate(language, script, name, value -> null);
        }
        Path folder = work.resolve("saved-" + language);
        session.saveAs(folder);
        return new Built(session, engine, folder);
    }

    private static Built open(Path folder) {
        Engine engine = new Engine(RATE, 8);
        Session session = new Session(new LocalEngineLink(engine));
        session.open(folder, false);
        return new Built(session, engine, folder);
    }

    private static float[][] render(Built built) throws IOException {
        built.session().play();
        float[][] audio = new float[2][SECONDS * RATE];
        int[] at = {0};
        new OfflineRenderer(built.engine()).render(SECONDS * RATE, BlockSizes.fixed(256), (master, count) -> {
            for (int c = 0; c < 2; c++) {
                System.arraycopy(master[c], 0, audio[c], at[0], count);
            }
            at[0] += count;
        }, horizon -> built.session().tick(horizon));
        return audio;
    }

    @Test
    void aSessionSavedAndOpenedRendersTheSameSamplesAndSavesTheSameTextInBothLanguages() throws IOException {
        Built js = build(Language.JS, "every-kind.js");
        Built python = build(Language.PYTHON, "every-kind.py");
        String jsText = Files.readString(js.folder().resolve("session.json"));
        assertEquals(jsText, Files.readString(python.folder().resolve("session.json")),
                "both languages built the same session");

        Built reopened = open(js.folder());
        Path again = work.resolve("saved-again");
        reopened.session().saveAs(again);
        assertEquals(jsText.replace(js.folder().toString(), again.toString()),
                Files.readString(again.resolve("session.json")), "what was opened saves to the same text");

        float[][] original = render(js);
        float[][] opened = render(open(js.folder()));
        double peak = 0;
        for (float sample : original[0]) {
            peak = Math.max(peak, Math.abs(sample));
        }
        assertTrue(peak > 0.01, "the session makes sound: " + peak);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(original[c], opened[c], "channel " + (c + 1) + " is the same, sample for sample");
        }
        assertTrue(jsText.contains("[0.0, -4.0, \"db\"],\n") && jsText.contains("[0.5, -10.0, \"scurve\"],\n"),
                "a lane's points one per line: " + jsText);
        assertTrue(jsText.contains("\"quarters\": 0.75"), "the delay keeps its note value: " + jsText);
        assertTrue(jsText.contains("  \"record\": {\n    \"punchIn\": 0.75,\n    \"punchOut\": 1.8,\n"
                + "    \"format\": \"32f\",\n    \"bufferSeconds\": 8.0,\n    \"exclusiveArm\": true\n  },\n"),
                "the punch range and take settings: " + jsText);
    }

    @Test
    void savingKeepsThePreviousVersionAndLeavesNoPartialFile() throws IOException {
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        Path folder = work.resolve("kept");
        session.track("One");
        Path file = session.saveAs(folder);
        String first = Files.readString(file);
        session.track("Two");
        session.save();
        assertEquals(first, Files.readString(folder.resolve("session.json.bak")));
        assertTrue(Files.readString(file).contains("\"Two\""));
        assertFalse(Files.exists(folder.resolve("session.json.new")));
        DeskException refused = assertThrows(DeskException.class,
                () -> new Session(new LocalEngineLink(new Engine(RATE, 2))).save());
        assertEquals("session.save: the session has no folder: use session.saveAs(folder), or start Desk with"
                + " --session DIR", refused.getMessage());
    }

    @Test
    void aFolderWithoutASessionFileOpensEmpty() {
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        session.open(work.resolve("nothing-here"), false);
        assertTrue(session.tracks().isEmpty() && session.buses().isEmpty());
        assertTrue(Files.isDirectory(work.resolve("nothing-here")), "a missing folder is made");
    }

    private static final String GOOD = """
            {
              "desk": "session",
              "version": 1,
              "buses": [
                {
                  "name": "Drums",
                  "output": "master"
                }
              ],
              "tracks": [
                {
                  "name": "Kick",
                  "fader": -6,
                  "output": "Drums",
                  "sends": []
                }
              ]
            }
            """;

    @Test
    void everyKindOfBadFileIsRefusedWithItsLineAndChangesNothing() throws Exception {
        assertOpens(GOOD);
        assertRefused(GOOD.substring(0, GOOD.length() / 2), "line 9: not valid JSON");
        assertRefused("{\"desk\": \"session\", \"version\": 1,,}", "line 1: not valid JSON");
        assertRefused(GOOD.replace("\"version\": 1", "\"version\": 99"), "line 1 (/): version 99: this Desk opens"
                + " versions 1..1");
        assertRefused(GOOD.replace("\"name\": \"Drums\"", "\"name\": \"Kick\""), "line 11 (/tracks/0): name \"Kick\" is taken by bus Kick");
        assertRefused(GOOD.replace("\"sends\": []", "\"sends\": [{\"bus\": \"Verb\", \"level\": -12}]"),
                "line 15 (/tracks/0/sends/0): send to \"Verb\": no such bus");
        assertRefused(GOOD.replace("\"output\": \"master\"", "\"output\": \"Drums\""), "line 7 (/buses/0/output): Drums.output = Drums would make a loop: Drums -> Drums");
        assertRefused(GOOD.replace("\"fader\": -6", "\"fader\": 99"), "line 13 (/tracks/0/fader): Kick.fader 99");
        assertRefused(GOOD.replace("\"fader\": -6", "\"fadr\": -6"), "line 11 (/tracks/0): unknown key \"fadr\"");
        String lane = GOOD.replace("\"sends\": []", "\"sends\": [],\n      \"lanes\": {\"fader\": {\"points\": [\n"
                + "        [0.0, -6, \"db\"],\n        [1.0, -3, \"db\"]\n      ]}}");
        assertOpens(lane);
        assertRefused(lane.replace("-3, \"db\"", "-3, \"linear\""), "line 18 (/tracks/0/lanes/fader/points/1):"
                + " interpolation \"linear\": must be db, gain, scurve or step");
        assertRefused(lane.replace("[1.0, -3,", "[-1.0, -3,"), "line 18 (/tracks/0/lanes/fader/points/1): time -1:"
                + " must be 0..");
        assertRefused(lane.replace("[1.0, -3, \"db\"]", "[1.0, \"db\"]"), "line 18 (/tracks/0/lanes/fader/points/1):"
                + " a lane point is [seconds, value, interpolation]: its value \"db\" is not a number");
        assertRefused(lane.replace("[1.0, -3,", "[1.0, 99,"), "line 16 (/tracks/0/lanes/fader): Kick.lane(\"fader\")"
                + " point value 99");
        String missingTake = GOOD.replace("\"sends\": []", "\"clips\": [{\"file\": \"takes/Kick-001.wav\"}]");
        assertRefused(missingTake, "line 15 (/tracks/0/clips/0): ");

        Path folder = write("missing-offline", missingTake);
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        List<String> notices = new ArrayList<>();
        session.onNotice(notices::add);
        session.open(folder, true);
        assertEquals(List.of("Kick"), session.tracks().stream().map(t -> t.name()).toList());
        assertTrue(session.tracks().getFirst().clips().isEmpty(), "the clip is offline");
        assertEquals(List.of(folder.resolve("session.json") + ": takes/Kick-001.wav is missing: left offline"), notices);
    }

    @Test
    void aDamagedFileNeverGetsMoreThanAOneLineRefusal() throws Exception {
        Random random = new Random(20261204);
        String good = GOOD.replace("\"sends\": []", "\"sends\": [], \"pan\": 0.5, \"polarity\": [true],"
                + " \"lanes\": {\"fader\": {\"mode\": \"read\", \"points\": [[0.0, -6, \"db\"], [1.0, \"-inf\", \"gain\"]]}}");
        assertOpens(good);
        String alphabet = "{}[]\":,0123456789.-eE truefalsnul\\";
        for (int trial = 0; trial < 400; trial++) {
            StringBuilder damaged = new StringBuilder(good);
            for (int edit = 1 + random.nextInt(3); edit > 0; edit--) {
                int at = random.nextInt(damaged.length());
                switch (random.nextInt(3)) {
                    case 0 -> damaged.deleteCharAt(at);
                    case 1 -> damaged.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> damaged.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            Path folder = write("fuzz-" + trial, damaged.toString());
            Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
            try {
                session.open(folder, false);
            } catch (DeskException e) {
                assertTrue(e.getMessage().startsWith(folder.resolve("session.json").toString()) && !e.getMessage().contains("\n"),
                        "one line naming the file: " + e.getMessage());
                assertTrue(session.tracks().isEmpty() && session.buses().isEmpty(), "nothing half-opened: " + damaged);
            }
        }
    }

    private void assertOpens(String text) throws IOException {
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        session.open(write("good-" + text.hashCode(), text), false);
        assertEquals(List.of("Kick"), session.tracks().stream().map(t -> t.name()).toList());
    }

    /**
     * A node's part of a file (its tracks run on another machine's engine) is checked with the rest, and kept
     * while the node is not joined: a save writes it again as it was read.
     */
    @Test
    void aNodesPartIsCheckedWithTheFileAndKeptUntilItsNodeIsJoined() throws Exception {
        String withNode = GOOD.replace("""
                  "tracks": [""", """
                  "nodes": [
                    {
                      "name": "stage2",
                      "engine": "127.0.0.1:7770",
                      "client": "stage2",
                      "buses": [{"name": "Verb", "kind": "aux"}],
                      "tracks": [
                        {
                          "name": "Gtr",
                          "fader": -7,
                          "sends": [{"bus": "Verb", "level": -12}]
                        }
                      ]
                    }
                  ],
                  "tracks": [""");
        assertRefused(withNode.replace("\"fader\": -7", "\"fader\": 99"), "line 19 (/nodes/0/tracks/0/fader): Gtr.fader 99");
        assertRefused(withNode.replace("\"bus\": \"Verb\",", "\"bus\": \"Drums\","),
                "line 20 (/nodes/0/tracks/0/sends/0): send to \"Drums\": no such bus");
        assertRefused(withNode.replace("\"client\": \"stage2\"", "\"client\": \"stage2\", \"token\": \"secret\""),
                "line 11 (/nodes/0): unknown key \"token\" in a node");

        Path folder = write("with-node", withNode);
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        session.open(folder, false);
        assertEquals(List.of("Kick"), session.tracks().stream().map(t -> t.name()).toList(),
                "the node's track waits for its node");
        Path again = work.resolve("with-node-again");
        session.saveAs(again);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(json.readTree(withNode).get("nodes"), json.readTree(again.resolve("session.json").toFile())
                .get("nodes"), "a save writes the waiting part as it was read");
    }

    private void assertRefused(String text, String expected) throws Exception {
        Path folder = write("bad-" + Integer.toHexString(text.hashCode()), text);
        Path file = folder.resolve("session.json");
        String before = sha256(file);
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        session.recorder().folder(work);
        DeskException refused = assertThrows(DeskException.class, () -> session.open(folder, false));
        assertTrue(refused.getMessage().startsWith(file + " " + expected), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        assertEquals(before, sha256(file), "the file is unchanged");
        assertTrue(session.tracks().isEmpty() && session.buses().isEmpty() && session.sources().isEmpty(),
                "the desk is unchanged");
        assertEquals(work.toAbsolutePath().normalize(), session.recorder().folder(), "the session folder too");
    }

    private Path write(String name, String text) throws IOException {
        Path folder = Files.createDirectories(work.resolve(name));
        Files.writeString(folder.resolve("session.json"), text);
        return folder;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void writeTone(Path file) throws IOException {
        float[][] samples = new float[2][9600];
        for (int i = 0; i < samples[0].length; i++) {
            samples[0][i] = (float) Math.sin(i * 0.05) * 0.25f;
            samples[1][i] = -samples[0][i];
        }
        try (desk.engine.io.WavWriter writer = desk.engine.io.WavWriter.create(file, RATE, 2,
                desk.engine.io.SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, samples[0].length);
        }
    }
}
