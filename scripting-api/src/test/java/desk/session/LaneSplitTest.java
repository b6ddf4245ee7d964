package desk.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.AutomationLane;
import desk.engine.Interpolation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session file read with its lanes apart, cut in any number of parts, gives the tree the ordinary reading
 * gives; a file that does not read apart is left to the ordinary reading, which reads it or names its line.
 */
class LaneSplitTest {
    private static final int RATE = 48_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** How a file's text is laid out: as Desk writes it, on one line, or with spaces around every comma. */
    enum Layout { WRITTEN, ONE_LINE, SPACED }

    @Property(tries = 200)
    void aFileReadWithItsLanesApartIsTheFileReadTheOrdinaryWay(@ForAll("seeds") long seed,
                                                               @ForAll @IntRange(min = 1, max = 7) int parts,
                                                               @ForAll Layout layout) {
        byte[] bytes = laidOut(SessionJson.format(document(new Random(seed))), layout).getBytes(StandardCharsets.UTF_8);

        SessionJson.Parsed split = LaneSplit.parse(bytes, SessionJson.factory(), "f", RATE, () -> null, parts);

        assertNotNull(split, "the file reads apart");
        assertEquals(SessionJson.format(SessionJson.parseStreaming(bytes, "f", RATE).root()),
                SessionJson.format(split.root()));
    }

    @Test
    void aFileCutInPartsOfAMegabyteReadsApartAsItIsWritten(@TempDir Path folder) throws Exception {
        Random random = new Random(11);
        ObjectNode root = NODES.objectNode().put("desk", "session").put("version", 1);
        ArrayNode tracks = root.putArray("tracks");
        for (int i = 0; i < 48; i++) {
            tracks.addObject().put("name", "Track " + i).putObject("lanes").putObject("fader")
                    .set("points", NODES.pojoNode(new LanePoints(lane(random, 2_000 + random.nextInt(2_000)), RATE)));
        }
        byte[] bytes = SessionJson.format(root).getBytes(StandardCharsets.UTF_8);
        Path file = folder.resolve("session.json");
        Files.write(file, bytes);
        assertArrayEquals(bytes, LaneSplit.readWhole(file), "the file read whole, in parts at once, is its bytes");

        SessionJson.Parsed split = LaneSplit.parse(bytes, SessionJson.factory(), "f", RATE, () -> null);

        assertNotNull(split, "the file reads apart");
        assertEquals(SessionJson.format(root), SessionJson.format(split.root()));
    }

    @Test
    void whatDoesNotReadApartIsReadTheOrdinaryWay() {
        List<String> files = List.of(
                // A key that holds "points" after an escaped quote is not a lane's.
                "{\"tracks\": [{\"lanes\": {\"fader\": {\"x\\\"points\": [[0.5, -6.0, \"db\"]]}}}]}",
                // "points" outside lanes is an ordinary array.
                "{\"tracks\": [{\"notes\": {\"points\": [[0.5, -6.0, \"db\"]]}}]}",
                // A name with an escape, which JSON allows.
                "{\"tracks\": [{\"lanes\": {\"fader\": {\"points\": [[0.5, -6.0, \"d\\u0062\"]]}}}]}");
        for (String file : files) {
            byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
            assertNull(LaneSplit.parse(bytes, SessionJson.factory(), "f", RATE, () -> null, 1), file);
            assertEquals(SessionJson.format(SessionJson.parseStreaming(bytes, "f", RATE).root()),
                    SessionJson.format(SessionJson.parse(bytes, "f", RATE).root()), file);
        }
    }

    /** A number JSON refuses, a time out of range, a number longer than the parser takes. */
    @Test
    void aBadLaneIsNamedWithItsLineAsEver() {
        String badNumber = "{\"tracks\": [{\"lanes\": {\"fader\": {\"points\": [\n  [0.5, -6.0, \"db\"],\n"
                + "  [01.5, -6.0, \"db\"]\n]}}}]}";
        String badTime = "{\"tracks\": [{\"lanes\": {\"fader\": {\"points\": [\n  [0.5, -6.0, \"db\"],\n"
                + "  [-1.5, -6.0, \"db\"]\n]}}}]}";
        String longNumber = "{\"tracks\": [{\"lanes\": {\"fader\": {\"points\": [\n  [0.5, -6.0, \"db\"],\n"
                + "  [0.5, -6." + "0".repeat(1_000) + ", \"db\"]\n]}}}]}";
        Map<String, String> starts = Map.of(badNumber, "f line 3", badTime, "f line 3", longNumber,
                "f line 3: not valid JSON (Number value length (1001) exceeds the maximum allowed (1000))");
        for (String file : starts.keySet()) {
            byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
            String ordinary = assertThrows(DeskException.class, () -> SessionJson.parseStreaming(bytes, "f", RATE))
                    .getMessage();
            assertEquals(ordinary, assertThrows(DeskException.class, () -> SessionJson.parse(bytes, "f", RATE))
                    .getMessage());
            assertTrue(ordinary.startsWith(starts.get(file)), ordinary);
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /**
     * Tracks and buses with lanes of their own and of their inserts' parameters, and other values between;
     * the last track has a fader lane (perhaps of no points).
     */
    private static ObjectNode document(Random random) {
        ObjectNode root = NODES.objectNode().put("desk", "session").put("version", 1);
        root.putObject("engine").put("sampleRate", RATE);
        for (String kind : List.of("buses", "tracks")) {
            ArrayNode strips = root.putArray(kind);
            for (int i = random.nextInt(4); i > 0; i--) {
                ObjectNode strip = strips.addObject().put("name", "Strip \"" + i + "\" points")
                        .put("label", "points").put("fader", -random.nextInt(40));
                if (random.nextBoolean()) {
                    ObjectNode lanes = strip.putObject("lanes");
                    for (String parameter : List.of("fader", "pan", "trim").subList(0, 1 + random.nextInt(3))) {
                        lanes.putObject(parameter).put("on", random.nextBoolean())
                                .set("points", NODES.pojoNode(new LanePoints(lane(random, random.nextInt(60)), RATE)));
                    }
                }
                ArrayNode inserts = strip.putArray("inserts");
                for (int k = random.nextInt(3); k > 0; k--) {
                    ObjectNode insert = inserts.addObject().put("type", "eq");
                    insert.putObject("parameters").put("b1_gain", random.nextDouble());
                    insert.putObject("lanes").putObject("b1_gain")
                            .set("points", NODES.pojoNode(new LanePoints(lane(random, random.nextInt(30)), RATE)));
                }
            }
        }
        ((ArrayNode) root.get("tracks")).addObject().put("name", "Ride").putObject("lanes").putObject("fader")
                .set("points", NODES.pojoNode(new LanePoints(lane(random, random.nextInt(100)), RATE)));
        return root;
    }

    private static AutomationLane lane(Random random, int size) {
        long[] times = new long[size];
        double[] values = new double[size];
        Interpolation[] interpolations = new Interpolation[size];
        long time = 0;
        List<Double> special = List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1e-300, -0.0, 0.0, 1e21);
        for (int i = 0; i < size; i++) {
            time += random.nextInt(RATE);
            times[i] = time;
            values[i] = random.nextInt(8) == 0 ? special.get(random.nextInt(special.size())) : -90 + 100 * random.nextDouble();
            interpolations[i] = Interpolation.values()[random.nextInt(Interpolation.values().length)];
        }
        return new AutomationLane(times, values, interpolations);
    }

    private static String laidOut(String text, Layout layout) {
        return switch (layout) {
            case WRITTEN -> text;
            case ONE_LINE -> text.replaceAll("\n *", "");
            case SPACED -> text.replace(",", " ,\t").replace("[", "[ ").replace("]", "\r\n]");
        };
    }
}
