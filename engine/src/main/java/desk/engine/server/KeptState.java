package desk.engine.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.NodeIds;

import java.util.Set;
import java.util.TreeSet;

/**
 * What an engine on the network keeps for the next desk, so that it can take up the session where it is: one
 * text the engine does not read (the session's state, as the desk writes it), with the id of the desk that
 * left it and that desk's serial number for it; and, from the commands and port requests it served, what the
 * desks made in it and have not taken out (strips, the tracks' and direct outs' ports, sources, master
 * inserts) and the first id none has used, so that the next desk can take all of it out and use ids of its
 * own even when the desk before went before it left its state. The text arrives in chunks (a request line
 * holds at most {@link LineChannel#MAX_LINE_BYTES}) and replaces the kept one only once the last has come; a
 * desk reads it back chunk by chunk the same way.
 * <p>
 * Threads: any thread; synchronised.
 */
final class KeptState {
    /** Characters of text per chunk: well inside a line, however much escaping JSON adds. */
    static final int CHUNK_CHARS = 1 << 17;

    private final Set<Integer> strips = new TreeSet<>();
    private final Set<Integer> tracks = new TreeSet<>();
    private final Set<Integer> directOuts = new TreeSet<>();
    private final Set<Integer> sources = new TreeSet<>();
    private final Set<Integer> masterInserts = new TreeSet<>();
    private int nextId = NodeIds.FIRST_FREE_ID;
    private String text;
    private String desk;
    private long serial = -1;
    private StringBuilder arriving;
    private int arrived;

    /** Takes chunk {@code chunk} of {@code of} of the text of serial {@code serial} from desk {@code desk}. */
    synchronized void keep(String desk, long serial, int chunk, int of, String part) {
        if (of < 1 || chunk < 0 || chunk >= of) {
            throw new EngineException("keep: chunk " + chunk + " of " + of + " is out of range");
        }
        if (chunk == 0) {
            arriving = new StringBuilder(part.length() * of);
            arrived = 0;
        } else if (arriving == null) {
            throw new EngineException("keep: chunk " + chunk + " of " + of + " came without chunk 0 before it");
        } else if (chunk != arrived) {
            throw new EngineException("keep: chunk " + chunk + " came after chunk " + (arrived - 1));
        }
        arriving.append(part);
        arrived++;
        if (arrived == of) {
            text = arriving.toString();
            this.desk = desk;
            this.serial = serial;
            arriving = null;
        }
    }

    /** Notes what {@code command}, which the engine applied, made or took out. */
    synchronized void applied(EngineCommand command) {
        switch (command instanceof EngineCommand.At at ? at.command() : command) {
            case EngineCommand.CreateStrip create -> made(strips, create.id());
            case EngineCommand.RemoveStrip remove -> strips.remove(remove.id());
            case EngineCommand.CreateGenerator create -> made(sources, create.id());
            case EngineCommand.CreateFileSource create -> made(sources, create.id());
            case EngineCommand.RemoveSource remove -> sources.remove(remove.id());
            case EngineCommand.CreateSend create -> made(null, create.id());
            case EngineCommand.AddInsert add -> made(add.stripId() == NodeIds.MASTER_ID ? masterInserts : null, add.id());
            case EngineCommand.RemoveInsert remove -> masterInserts.remove(remove.id());
            default -> { }
        }
    }

    /** Notes that a track's input ports ({@code track}) or a bus's direct out ({@code !track}) were made or taken away. */
    synchronized void ports(boolean track, int id, boolean made) {
        Set<Integer> ids = track ? tracks : directOuts;
        if (made) {
            ids.add(id);
        } else {
            ids.remove(id);
        }
    }

    private void made(Set<Integer> ids, int id) {
        if (ids != null) {
            ids.add(id);
        }
        nextId = Math.max(nextId, id + 1);
    }

    /** What the desks made and did not take out, and the first id none has used, as the hello answer says it. */
    synchronized void made(ObjectNode into) {
        ints(into, "strips", strips);
        ints(into, "tracks", tracks);
        ints(into, "directOuts", directOuts);
        ints(into, "sources", sources);
        ints(into, "masterInserts", masterInserts);
        into.put("nextId", nextId);
    }

    private static void ints(ObjectNode into, String name, Set<Integer> ids) {
        ArrayNode array = into.putArray(name);
        ids.forEach(array::add);
    }

    /** How many chunks the kept text takes; 0 when nothing is kept. */
    synchronized int chunks() {
        return text == null ? 0 : Math.max(1, (text.length() + CHUNK_CHARS - 1) / CHUNK_CHARS);
    }

    /** Chunk {@code chunk} of the kept text. */
    synchronized String chunk(int chunk) {
        int chunks = chunks();
        if (chunk < 0 || chunk >= chunks) {
            throw new EngineException("kept: chunk " + chunk + " is not one of the " + chunks + " kept");
        }
        return text.substring(chunk * CHUNK_CHARS, Math.min(text.length(), (chunk + 1) * CHUNK_CHARS));
    }

    /** The desk that left the kept text, or null. */
    synchronized String desk() {
        return desk;
    }

    /** That desk's serial number for it, or -1. */
    synchronized long serial() {
        return serial;
    }
}
