package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.GeneratorSpec;
import desk.engine.Parameter;
import desk.engine.insert.InsertParameter;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session as a JSON document, the content of {@code session.json}: everything the user set, in the units
 * users write (dB, Hz, seconds, pan -1..+1), keys in a fixed order, one object per strip. Sources get ids
 * ("s1", "s2") that track inputs name; buses, sends and side chains name strips; paths inside the session
 * folder are relative to it. The version says which layout it is.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionDocument {
    /** The layout written, and the newest one read. */
    static final int VERSION = 1;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SessionDocument() {
    }

    /** The document of {@code session}, paths relative to {@code folder}, with the interface's figures now. */
    static ObjectNode of(Session session, Path folder) {
        return of(session, folder, true);
    }

    /**
     * As {@link #of(Session, Path)}, asking the interface nothing (connections as last known, no period): for
     * records made often, undo's and the copy of unsaved changes, which must not load the engine process.
     */
    static ObjectNode known(Session session, Path folder) {
        return of(session, folder, false);
    }

    /** The document of a node's session, as the main session's document holds its part. */
    static ObjectNode state(Session session, Path folder, boolean ask) {
        return of(session, folder, ask);
    }

    private static ObjectNode of(Session session, Path folder, boolean ask) {
        int rate = session.sampleRate();
        ObjectNode root = NODES.objectNode();
        root.put("desk", "session");
        root.put("version", VERSION);
        ObjectNode engine = root.putObject("engine");
        engine.put("sampleRate", rate);
        if (ask) {
            engine.put("bufferFrames", session.bufferSize());
        }
        ObjectNode tempo = root.putObject("tempo");
        tempo.put("bpm", session.tempo().bpm());
        tempo.put("signature", session.tempo().signature());
        if (session.loopStart() != null) {
            ObjectNode loop = root.putObject("loop");
            loop.put("start", seconds(session.loopStart(), rate));
            loop.put("end", seconds(session.loopEnd(), rate));
            loop.put("on", session.looping());
        }
        Recorder recorder = session.recorder();
        ObjectNode record = root.putObject("record");
        record.set("punchIn", recorder.punchIn() == null ? NODES.nullNode() : NODES.numberNode(seconds(recorder.punchIn(), rate)));
        record.set("punchOut", recorder.punchOut() == null ? NODES.nullNode()
                : NODES.numberNode(seconds(recorder.punchOut(), rate)));
        record.put("format", recorder.format());
        record.put("bufferSeconds", recorder.bufferSeconds());
        record.put("exclusiveArm", recorder.exclusiveArm());
        root.put("metering", session.metering());
        root.put("vuReference", session.vuReference());
        root.put("callbackBudget", session.callbackBudget().milliseconds());
        Map<Source, String> sourceIds = new HashMap<>();
        ArrayNode sources = root.putArray("sources");
        for (Source source : session.sources()) {
            String id = "s" + (sourceIds.size() + 1);
            sourceIds.put(source, id);
            sources.add(source(source, id, rate, folder));
        }
        root.set("scenes", session.sceneStore().document());
        for (SessionPart part : session.parts()) {
            com.fasterxml.jackson.databind.JsonNode document = part.document();
            if (document != null) {
                root.set(part.key(), document);
            }
        }
        root.set("master", strip(session.master(), rate, ask));
        ArrayNode buses = root.putArray("buses");
        for (Bus bus : session.buses()) {
            buses.add(strip(bus, rate, ask));
        }
        ArrayNode tracks = root.putArray("tracks");
        for (Track track : session.tracks()) {
            ObjectNode node = strip(track, rate, ask);
            ArrayNode input = NODES.arrayNode();
            for (Object item : track.input()) {
                if (item instanceof Source.SourceChannel channel) {
                    input.add(NODES.objectNode().put("source", sourceIds.get(channel.source()))
                            .put("channel", channel.index() + 1));
                } else {
                    input.add(item == null ? NODES.nullNode() : NODES.textNode((String) item));
                }
            }
            node.set("input", input);
            node.put("monitoring", track.monitoring());
            node.put("armed", track.armed());
            if (track.frozen()) {
                node.putObject("frozen").put("file", relative(track.frozenFile(), folder))
                        .put("length", seconds(track.frozenFrames(), rate));
            }
            ArrayNode clips = node.putArray("clips");
            for (Clip clip : track.clips()) {
                ObjectNode c = clips.addObject();
                c.put("file", relative(clip.file(), folder));
                c.put("name", clip.name());
                c.put("position", seconds(clip.position(), rate));
                c.put("offset", seconds(clip.offset(), rate));
                c.put("length", seconds(clip.length(), rate));
                c.put("gain", clip.gain());
                c.put("fadeIn", seconds(clip.fadeIn(), rate));
                c.put("fadeOut", seconds(clip.fadeOut(), rate));
            }
            tracks.add(node);
        }
        ArrayNode nodes = session.nodeParts().document(folder, ask);
        if (!nodes.isEmpty()) {
            root.set(SessionNodeParts.KEY, nodes);
        }
        return root;
    }

    private static ObjectNode source(Source source, String id, int rate, Path folder) {
        ObjectNode node = NODES.objectNode().put("id", id);
        GeneratorSpec spec = source.generator();
        if (spec == null) {
            node.put("file", relative(source.file(), folder));
            node.put("start", seconds(source.start(), rate));
            node.put("loop", source.loop());
            node.put("truncated", source.allowTruncated() ? "allow" : "refuse");
            return node;
        }
        node.put("generator", spec.type().scriptName());
        switch (spec.type()) {
            case SINE, SQUARE -> node.put("freq", spec.frequency()).put("level", spec.levelDb());
            case NOISE -> node.put("level", spec.levelDb()).put("color", spec.pink() ? "pink" : "white")
                    .put("seed", spec.seed());
            case IMPULSE -> node.put("level", spec.levelDb()).put("at", seconds(spec.impulseAt(), rate))
                    .put("every", seconds(spec.impulseInterval(), rate));
            case SILENCE -> {
            }
        }
        return node;
    }

    private static ObjectNode strip(Strip strip, int rate, boolean ask) {
        ObjectNode node = NODES.objectNode();
        node.put("name", strip.name());
        if (strip instanceof Bus bus && bus.kind() != Bus.Kind.MASTER) {
            node.put("kind", bus.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        node.put("channels", strip.channels());
        if (strip.output() != null) {
            node.put("output", strip.output().name());
        }
        node.put("trim", strip.stored(Parameter.TRIM));
        node.put("fader", strip.stored(Parameter.FADER));
        if (strip.channels() == 1) {
            node.put("pan", strip.stored(Parameter.PAN));
        } else {
            node.put("balance", strip.stored(Parameter.BALANCE));
        }
        node.put("panLaw", strip.panLaw());
        node.put("mute", strip.stored(Parameter.MUTE) >= 0.5);
        node.put("solo", strip.solo());
        node.put("soloSafe", strip.soloSafe());
        ArrayNode polarity = node.putArray("polarity");
        for (boolean inverted : strip.phase()) {
            polarity.add(inverted);
        }
        node.put("loudness", strip.loudness() == null ? "off" : strip.loudness());
        ArrayNode inserts = node.putArray("inserts");
        for (Insert insert : strip.inserts()) {
            inserts.add(insert(insert, rate));
        }
        ArrayNode sends = node.putArray("sends");
        for (Send send : strip.sends()) {
            ObjectNode s = sends.addObject();
            s.put("bus", send.destination().name());
            s.put("level", send.storedLevel());
            s.put("pre", send.pre());
            if (Double.isNaN(send.pan())) {
                s.putNull("pan");
            } else {
                s.put("pan", send.pan());
            }
            if (send.levelLane() != null && !idle(send.levelLane())) {
                s.set("lanes", NODES.objectNode().set("level", lane(send.levelLane(), rate)));
            }
        }
        node.set("lanes", lanes(strip.lanes(), rate));
        if (strip instanceof Bus bus) {
            if (bus.kind() != Bus.Kind.MASTER) {
                node.put("directOut", bus.directOut());
            }
            if (bus.kind() == Bus.Kind.MASTER || bus.directOut()) {
                ArrayNode connections = node.putArray("connections");
                for (List<String> fed : ask ? bus.connections() : bus.session.ports().knownConnections(bus)) {
                    ArrayNode ports = connections.addArray();
                    fed.forEach(ports::add);
                }
            }
        }
        return node;
    }

    private static ObjectNode insert(Insert insert, int rate) {
        ObjectNode node = NODES.objectNode();
        node.put("type", insert.type());
        node.put("bypass", insert.bypass());
        ObjectNode parameters = node.putObject("parameters");
        List<InsertParameter> described = insert.parameters();
        for (int i = 0; i < described.size(); i++) {
            double quarters = insert.syncedQuarters(i);
            if (Double.isNaN(quarters)) {
                parameters.put(described.get(i).name(), insert.stored(i));
            } else {
                parameters.set(described.get(i).name(), NODES.objectNode().put("quarters", quarters));
            }
        }
        if (insert.sidechain() != null) {
            node.set("sidechain", NODES.objectNode().put("strip", insert.sidechain().name())
                    .put("point", insert.sidechainPoint()));
        }
        node.set("lanes", lanes(insert.lanes(), rate));
        if (insert.state() != null) {
            node.put("state", insert.state());
        }
        if (insert.failed() != null) {
            node.put("failed", insert.failed());
        }
        return node;
    }

    private static ObjectNode lanes(List<Lane> lanes, int rate) {
        ObjectNode node = NODES.objectNode();
        for (Lane lane : lanes) {
            if (!idle(lane)) {
                node.set(lane.parameter(), lane(lane, rate));
            }
        }
        return node;
    }

    /** Whether a lane is as if it had never been made: no points, in read mode. */
    private static boolean idle(Lane lane) {
        return lane.points().isEmpty() && lane.mode().equals("read");
    }

    /** A lane's saved form while it stays as it was, shared by the documents made meanwhile (never changed). */
    private record SavedLane(long version, int rate, ObjectNode node) {
    }

    private static final Map<Lane, SavedLane> SAVED_LANES = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static ObjectNode lane(Lane lane, int rate) {
        SavedLane saved = SAVED_LANES.get(lane);
        if (saved != null && saved.version() == lane.version() && saved.rate() == rate) {
            return saved.node();
        }
        ObjectNode node = laneNode(lane, rate);
        SAVED_LANES.put(lane, new SavedLane(lane.version(), rate, node));
        return node;
    }

    private static ObjectNode laneNode(Lane lane, int rate) {
        ObjectNode node = NODES.objectNode();
        node.put("mode", lane.mode());
        node.set("points", NODES.pojoNode(new LanePoints(lane.toEngineOrEmpty(), rate)));
        return node;
    }

    /**
     * Samples as seconds, to the microsecond: short to read, and {@link #samples} gives the same sample back at
     * every rate Desk runs at.
     */
    static double seconds(long samples, int rate) {
        return LanePoints.microseconds(samples, rate) / 1e6;
    }

    /** Seconds back to samples. */
    static long samples(double seconds, int rate) {
        return Math.round(seconds * rate);
    }

    private static String relative(Path file, Path folder) {
        Path absolute = file.toAbsolutePath().normalize();
        return folder != null && absolute.startsWith(folder) ? folder.relativize(absolute).toString() : absolute.toString();
    }

    /** The text of {@code node}'s field {@code key}, or null. */
    static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
