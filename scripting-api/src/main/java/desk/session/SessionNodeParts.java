package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes' parts of a session file: under {@code "nodes"}, one per node ({@link Node}) with its name, engine
 * address and netjack2 client, and its sources, master, buses and tracks as the main session's are written. A
 * session writes its joined nodes as they are, and the parts of an opened file whose nodes are not joined yet
 * as they were read, so a save loses none. Opening checks each part whole with the rest of the file, then keeps
 * it until the script joins its node ({@code session.node(name, {engine, token})}: the file holds no token);
 * the node's engine then gets its part, unless it plays that already (kept from the desk before). Undo reaches
 * the parts of the nodes joined ({@link SessionHistory}).
 * <p>
 * Threads: the session's control thread.
 */
final class SessionNodeParts {
    /** The key of the nodes' parts in a session file. */
    static final String KEY = "nodes";
    /** The keys of a node's part. */
    static final Set<String> PART_KEYS = Set.of("name", "engine", "client", "sources", "master", "buses", "tracks");
    /** The keys of a node's part that are its session's state. */
    static final List<String> STATE_KEYS = List.of("sources", "master", "buses", "tracks");

    /** A node's part of an opened file, waiting for its node to be joined. */
    private record Waiting(ObjectNode part, SessionJson.Parsed parsed, String label, Path folder,
                           boolean missingOffline) {
    }

    private final Session session;
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();

    SessionNodeParts(Session session) {
        this.session = session;
    }

    /**
     * The "nodes" list of the session's document: each joined node as it is, then the parts still waiting (a
     * node whose part could not be made on joining keeps it waiting, so a save loses nothing).
     */
    ArrayNode document(Path folder, boolean ask) {
        ArrayNode nodes = JsonNodeFactory.instance.arrayNode();
        for (Node node : session.nodes()) {
            if (waiting.containsKey(node.name())) {
                continue;
            }
            ObjectNode part = nodes.addObject();
            part.put("name", node.name());
            part.put("engine", node.address());
            part.put("client", node.client());
            ObjectNode state = SessionDocument.state(node.session(), folder, ask);
            STATE_KEYS.forEach(key -> part.set(key, state.get(key)));
        }
        waiting.values().forEach(kept -> nodes.add(kept.part().deepCopy()));
        return nodes;
    }

    /**
     * The document a node's part builds in the node's session: the part's state under a session file's
     * heading.
     */
    static ObjectNode state(JsonNode part) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("desk", "session");
        document.put("version", SessionDocument.VERSION);
        STATE_KEYS.stream().filter(part::has).forEach(key -> document.set(key, part.get(key)));
        return document;
    }

    /** The state keys of {@code document} alone, to compare as text (lanes compare by their points there). */
    private static ObjectNode stateOf(JsonNode document) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        STATE_KEYS.stream().filter(document::has).forEach(key -> state.set(key, document.get(key)));
        return state;
    }

    /** Keeps {@code part} (checked already) of the file {@code label} until node {@code name} is joined. */
    void keep(String name, ObjectNode part, SessionJson.Parsed parsed, String label, Path folder,
              boolean missingOffline) {
        waiting.put(name, new Waiting(part, parsed, label, folder, missingOffline));
    }

    /** Whether an opened file's part for node {@code name} waits for it: the track of its name is its return. */
    boolean waitsFor(String name) {
        return waiting.containsKey(name);
    }

    /** Forgets the parts of the file opened before (another is opened, or the session starts anew). */
    void clear() {
        waiting.clear();
    }

    /**
     * Node {@code node} was just joined: gives its engine the part the opened file has for it, in place of what
     * it played, unless it plays that already.
     */
    void joined(Node node) {
        Waiting kept = waiting.get(node.name());
        if (kept == null) {
            return;
        }
        Session there = node.session();
        if (SessionJson.format(stateOf(SessionDocument.state(there, kept.folder(), false)))
                .equals(SessionJson.format(stateOf(kept.part())))) {
            waiting.remove(node.name());
            return;
        }
        for (Track track : there.tracks()) {
            track.remove();
        }
        for (Bus bus : there.buses()) {
            bus.remove();
        }
        List.copyOf(there.master().inserts()).forEach(Insert::remove);
        List.copyOf(there.sources()).forEach(there.sourceStore()::remove);
        try {
            new SessionOpener(there, kept.parsed(), kept.label(), kept.folder(), false, kept.missingOffline()).build();
            waiting.remove(node.name());
            session.notice("node " + node.name() + ": made its tracks and buses as " + kept.label() + " has them");
        } catch (DeskException e) {
            session.notice("node " + node.name() + ": joined, but its part of the file could not be made whole there"
                    + " (saving keeps the file's part): " + e.getMessage());
        }
    }
}
