package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import desk.engine.AutomationLane;
import desk.engine.Interpolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session file written with its lanes' texts made on every core while it is written, and forced to disk
 * many times on the way, holds exactly the text of the document, reads back to the same points, and keeps the
 * file it replaced as the backup, in place of the backup before, which is deleted (as is one a process before
 * left to delete).
 */
class AtomicFileTest {
    private static final int RATE = 48_000;
    private static final int LANES = 40;

    @Test
    void aFileWrittenWhileItsLanesAreFormattedAndForcedIsTheDocumentsText(@TempDir Path folder) throws Exception {
        Random random = new Random(3);
        AutomationLane[] lanes = new AutomationLane[LANES];
        for (int i = 0; i < LANES; i++) {
            int size = 1 + random.nextInt(3_000);
            long[] times = new long[size];
            double[] values = new double[size];
            Interpolation[] interpolations = new Interpolation[size];
            long time = random.nextInt(100);
            for (int p = 0; p < size; p++) {
                time += 1 + random.nextInt(RATE / 10);
                times[p] = time;
                values[p] = -60 + 66 * random.nextDouble();
                interpolations[p] = Interpolation.values()[random.nextInt(Interpolation.values().length)];
            }
            lanes[i] = new AutomationLane(times, values, interpolations);
        }
        Path file = folder.resolve("session.json");
        Files.writeString(file, "{\"the\": \"old file\"}\n");
        Path discarded = folder.resolve(".session.json.discarded");
        Files.writeString(discarded, "a backup a process before left to delete");

        AtomicFile.write(file, document(lanes), true, 4096);

        String expected = SessionJson.format(document(lanes));
        assertEquals(expected, Files.readString(file, StandardCharsets.UTF_8));
        assertEquals("{\"the\": \"old file\"}\n", Files.readString(folder.resolve("session.json.bak")));
        assertFalse(Files.exists(folder.resolve("session.json.new")), "no new file is left beside it");
        Files.writeString(file, "{\"the\": \"file before\"}\n");
        AtomicFile.write(file, document(lanes), true, 4096);
        assertEquals("{\"the\": \"file before\"}\n", Files.readString(folder.resolve("session.json.bak")),
                "the backup before is replaced by the file the write replaced");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(discarded)) {
            assertTrue(System.nanoTime() < deadline, "the backup replaced is deleted");
            Thread.onSpinWait();
        }
        JsonNode read = SessionJson.parse(file, "session.json", RATE).root();
        for (int i = 0; i < LANES; i++) {
            AutomationLane back = lane(read, i);
            assertArrayEquals(lanes[i].times(), back.times(), "lane " + i);
            assertArrayEquals(lanes[i].values(), back.values(), "lane " + i);
            assertArrayEquals(lanes[i].interpolations(), back.interpolations(), "lane " + i);
        }
    }

    private static AutomationLane lane(JsonNode read, int track) {
        return ((LanePoints) ((POJONode) read.path("tracks").get(track).path("lanes").path("fader")
                .path("points")).getPojo()).lane();
    }

    /** Tracks with a fader lane each, the lanes' texts not made yet. */
    private static JsonNode document(AutomationLane[] lanes) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode().put("desk", "session").put("version", 1);
        var tracks = root.putArray("tracks");
        for (int i = 0; i < lanes.length; i++) {
            ObjectNode track = tracks.addObject().put("name", "Track " + (i + 1));
            track.putObject("lanes").putObject("fader").set("points", nodes.pojoNode(new LanePoints(lanes[i], RATE)));
        }
        return root;
    }
}
