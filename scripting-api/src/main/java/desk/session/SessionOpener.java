package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import desk.engine.EngineCommand;
import desk.engine.GeneratorSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static desk.session.SessionValues.bool;
import static desk.session.SessionValues.channelInverted;
import static desk.session.SessionValues.integer;
import static desk.session.SessionValues.keys;
import static desk.session.SessionValues.name;
import static desk.session.SessionValues.number;
import static desk.session.SessionValues.object;
import static desk.session.SessionValues.text;
import static desk.session.SessionValues.value;

/**
 * Builds a session document into a session (the ways in are {@link SessionOpening}'s). A file is first built
 * into a scratch session of its own (an offline engine at the same rate), through the same methods scripts
 * call, so every check they make (names twice, a send to a missing bus, a routing loop, a value out of range,
 * a missing file) holds; only then is it built into the session itself. A refusal names the file, the line and the place in it (a JSON
 * pointer) and leaves the session and the file untouched. Ports the interface does not have are left
 * unconnected, each with a notice; with {@code missingMedia} "offline", clips and sources whose files are
 * missing are left out, each with a notice, instead of refusing the file.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionOpener {
    /** The file's name in a session folder. */
    static final String FILE = "session.json";
    private static final Set<String> ROOT_KEYS = Set.of("desk", "version", "engine", "tempo", "loop", "record", "metering",
            "vuReference", "callbackBudget", "sources", "scenes", "master", "buses", "tracks", SessionNodeParts.KEY);
    private static final Set<String> STRIP_KEYS = Set.of("name", "kind", "channels", "output", "trim", "fader", "pan",
            "balance", "panLaw", "mute", "solo", "soloSafe", "polarity", "loudness", "inserts", "sends", "lanes",
            "directOut", "connections", "input", "monitoring", "armed", "clips", "frozen");

    private final Session session;
    private final SessionJson.Parsed parsed;
    private final String label;
    private final Path folder;
    private final boolean scratch;
    private final boolean missingOffline;
    private final int rate;
    private final Map<String, Source> sources = new HashMap<>();
    private String at = "";
    /**
     * The keys of parts kept beside the session that this opener passes over: those of the session a check or a
     * copy is made for, whose parts the trial session lacks.
     */
    Set<String> partKeys = Set.of();
    /** Whether a refusal names the place in the file (not for a document made to move one track). */
    boolean placed = true;
    /** What runs first under the hold of updates: nothing, or putting aside the ports of a session taken up. */
    Runnable first = () -> { };
    /** What runs last under the hold of updates: nothing, or taking out what a session taken up replaces. */
    Runnable last = () -> { };

    /** The sources made so far, by id. */
    Map<String, Source> sources() {
        return sources;
    }

    SessionOpener(Session session, SessionJson.Parsed parsed, String label, Path folder, boolean scratch,
                          boolean missingOffline) {
        this.session = session;
        this.parsed = parsed;
        this.label = label;
        this.folder = folder;
        this.scratch = scratch;
        this.missingOffline = missingOffline;
        this.rate = session.sampleRate();
    }

    /**
     * Builds the file into the session with the engine's updates held until the end, so they are made once;
     * what must go first and last under the same hold (for a session taken up: putting its ports aside, and
     * taking out what it replaces) goes first and last.
     */
    void build() {
        session.execute(new EngineCommand.HoldUpdates(true));
        try {
            first.run();
            buildAll();
            last.run();
        } finally {
            session.execute(new EngineCommand.HoldUpdates(false));
        }
    }

    private void buildAll() {
        JsonNode root = parsed.root();
        within("", () -> {
            object(root, "a session file");
            Set<String> allowed = new java.util.HashSet<>(ROOT_KEYS);
            allowed.addAll(partKeys);
            allowed.addAll(SessionOpening.partKeys(session));
            keys(root, allowed, "a session file");
            if (!"session".equals(SessionDocument.text(root, "desk")) || !root.path("version").isInt()) {
                throw new DeskException("not a Desk session file: it needs \"desk\": \"session\" and a \"version\"");
            }
            int version = root.get("version").asInt();
            if (version < 1 || version > SessionDocument.VERSION) {
                throw new DeskException("version " + version + ": this Desk opens versions 1.." + SessionDocument.VERSION);
            }
        });
        settings(root);
        each("/sources", root.path("sources"), this::source);
        List<Strip> strips = new ArrayList<>();
        each("/buses", root.path("buses"), (node, index) -> strips.add(session.bus(name(node),
                text(node, "kind", "group"), integer(node, "channels", 2))));
        each("/tracks", root.path("tracks"), (node, index) -> strips.add(session.track(name(node),
                integer(node, "channels", 1))));
        if (root.has("master")) {
            within("/master", () -> strip(session.master(), root.get("master"), "/master"));
        }
        each("/buses", root.path("buses"), (node, index) -> strip(strips.get(index), node, at));
        int buses = root.path("buses").size();
        each("/tracks", root.path("tracks"), (node, index) -> {
            Track track = (Track) strips.get(buses + index);
            strip(track, node, at);
            track(track, node);
        });
        sidechains("/master", root.path("master"));
        each("/buses", root.path("buses"), (node, index) -> sidechains(at, node));
        each("/tracks", root.path("tracks"), (node, index) -> sidechains(at, node));
        each("/buses", root.path("buses"), (node, index) -> solo(strips.get(index), node));
        each("/tracks", root.path("tracks"), (node, index) -> solo(strips.get(buses + index), node));
        each("/tracks", root.path("tracks"), (node, index) -> frozen((Track) strips.get(buses + index), node));
        scenes(root);
        for (SessionPart part : session.parts()) {
            JsonNode node = root.get(part.key());
            if (node != null) {
                within("/" + part.key(), () -> part.restore(node));
            }
        }
        JsonNode loop = root.get("loop");
        if (loop != null) {
            within("/loop", () -> {
                session.loop(SessionDocument.samples(number(loop, "start", 0), rate),
                        SessionDocument.samples(number(loop, "end", 0), rate), "loop");
                session.looping(bool(loop, "on", false));
            });
        }
        nodes(root.path(SessionNodeParts.KEY));
    }

    /**
     * The nodes' parts: each is checked whole in a scratch session of its own and, when this is the real
     * opening, kept until its node is joined.
     */
    private void nodes(JsonNode nodes) {
        Set<String> names = new java.util.HashSet<>();
        each("/" + SessionNodeParts.KEY, nodes, (part, index) -> {
            object(part, "a node");
            keys(part, SessionNodeParts.PART_KEYS, "a node");
            String name = text(part, "name", "");
            if (name.isBlank() || !names.add(name)) {
                throw new DeskException(name.isBlank() ? "a node needs a name" : "node " + name + " is listed twice");
            }
            SessionJson.Parsed inFile = new SessionJson.Parsed(SessionNodeParts.state(part), parsed.text(),
                    parsed.base() + "/" + SessionNodeParts.KEY + "/" + index);
            Session trial = new Session(new desk.engine.LocalEngineLink(new desk.engine.Engine(rate, 0)));
            new SessionOpener(trial, inFile, label, folder, true, missingOffline).build();
            if (!scratch) {
                session.nodeParts().keep(name, (com.fasterxml.jackson.databind.node.ObjectNode) part, inFile, label,
                        folder, missingOffline);
            }
        });
    }

    /** Takes the file's scenes; each must be an object of strips. */
    void scenes(JsonNode root) {
        JsonNode scenes = root.get("scenes");
        if (scenes != null) {
            within("/scenes", () -> {
                object(scenes, "scenes");
                session.sceneStore().restore(scenes);
            });
        }
    }

    void settings(JsonNode root) {
        JsonNode tempo = root.get("tempo");
        if (tempo != null) {
            within("/tempo", () -> {
                session.tempo().bpm(number(tempo, "bpm", session.tempo().bpm()));
                session.tempo().signature(text(tempo, "signature", session.tempo().signature()));
            });
        }
        JsonNode record = root.get("record");
        if (record != null) {
            within("/record", () -> record(record));
        }
        within("/metering", () -> session.metering(bool(root, "metering", session.metering())));
        within("/vuReference", () -> session.vuReference(number(root, "vuReference", session.vuReference())));
        within("/callbackBudget", () -> session.callbackBudget().milliseconds(
                number(root, "callbackBudget", session.callbackBudget().milliseconds())));
    }

    /** The punch range and the take settings, each set only if it differs (a pass may be recording). */
    private void record(JsonNode record) {
        object(record, "record");
        keys(record, Set.of("punchIn", "punchOut", "format", "bufferSeconds", "exclusiveArm"), "record");
        Recorder recorder = session.recorder();
        Long in = record.hasNonNull("punchIn") ? SessionDocument.samples(number(record, "punchIn", 0), rate) : null;
        Long out = record.hasNonNull("punchOut") ? SessionDocument.samples(number(record, "punchOut", 0), rate) : null;
        if (!java.util.Objects.equals(in, recorder.punchIn()) || !java.util.Objects.equals(out, recorder.punchOut())) {
            recorder.punchIn(null);
            recorder.punchOut(out);
            recorder.punchIn(in);
        }
        recorder.format(text(record, "format", recorder.format()));
        recorder.bufferSeconds(number(record, "bufferSeconds", recorder.bufferSeconds()));
        recorder.exclusiveArm(bool(record, "exclusiveArm", recorder.exclusiveArm()));
    }

    void source(JsonNode node, int index) {
        String id = text(node, "id", null);
        if (id == null || sources.containsKey(id)) {
            throw new DeskException(id == null ? "a source needs an \"id\"" : "source id \"" + id + "\" twice");
        }
        String file = text(node, "file", null);
        if (file != null) {
            Path path = media(file);
            if (path == null) {
                return;
            }
            sources.put(id, session.sourceStore().file(path, bool(node, "loop", false), "allow".equals(text(node, "truncated",
                    "refuse")), SessionDocument.samples(number(node, "start", 0), rate)));
            return;
        }
        Map<String, Object> options = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("id") && !field.getKey().equals("generator")) {
                options.put(field.getKey(), field.getValue().isNumber() ? (Object) field.getValue().asDouble()
                        : field.getValue().asText());
            }
        });
        GeneratorSpec spec = GeneratorOptions.spec(text(node, "generator", ""), options, 0, rate);
        sources.put(id, session.sourceStore().generator(spec));
    }

    private void strip(Strip strip, JsonNode node, String place) {
        stripSettings(strip, node, null, place);
        each(place + "/inserts", node.path("inserts"), (insert, index) -> insert(strip, insert));
        sends(strip, node, place);
        lanes(place + "/lanes", node.path("lanes"), strip::lane);
        busPorts(strip, node, place);
    }

    /** Sets the strip's own values that {@code node} has and {@code current} (null: none) has otherwise. */
    void stripSettings(Strip strip, JsonNode node, JsonNode current, String place) {
        object(node, "a strip");
        keys(node, STRIP_KEYS, "a strip");
        java.util.function.BiConsumer<String, Runnable> changed = (key, action) -> {
            if (current == null || !node.path(key).equals(current.path(key))) {
                field(place, node, key, action);
            }
        };
        changed.accept("output", () -> {
            if (strip != session.master()) {
                strip.output(bus(text(node, "output", ""), "output"));
            }
        });
        changed.accept("trim", () -> strip.trim(number(node, "trim", 0)));
        changed.accept("fader", () -> strip.fader(number(node, "fader", 0)));
        changed.accept("pan", () -> strip.pan(number(node, "pan", 0)));
        changed.accept("balance", () -> strip.balance(number(node, "balance", 0)));
        changed.accept("panLaw", () -> strip.panLaw(number(node, "panLaw", -3)));
        changed.accept("mute", () -> strip.mute(bool(node, "mute", false)));
        changed.accept("soloSafe", () -> strip.soloSafe(bool(node, "soloSafe", false)));
        changed.accept("polarity", () -> {
            JsonNode polarity = node.get("polarity");
            boolean[] inverted = new boolean[polarity.size()];
            for (int c = 0; c < inverted.length; c++) {
                inverted[c] = channelInverted(polarity, c);
            }
            strip.phase(inverted);
        });
        changed.accept("loudness", () -> strip.loudness(text(node, "loudness", "off")));
    }

    /** Makes the sends {@code node} lists, in its order. */
    void sends(Strip strip, JsonNode node, String place) {
        each(place + "/sends", node.path("sends"), (send, index) -> {
            Send made = strip.send(bus(text(send, "bus", ""), "send"), number(send, "level", 0), bool(send, "pre", false));
            if (send.hasNonNull("pan")) {
                made.pan(number(send, "pan", 0));
            }
            JsonNode level = send.path("lanes").get("level");
            if (level != null) {
                lane(made.lane("level"), level);
            }
        });
    }

    /** A bus's direct out and what its ports feed, and the master's. */
    void busPorts(Strip strip, JsonNode node, String place) {
        if (strip instanceof Bus bus) {
            boolean directOut = bool(node, "directOut", false);
            if (bus.kind() != Bus.Kind.MASTER && directOut != bus.directOut()) {
                bus.directOut(directOut);
            }
            connections(bus, node.path("connections"));
        }
    }

    /** Makes an insert with its parameters from the start, so that none glides from its default. */
    void insert(Strip strip, JsonNode node) {
        Map<String, Double> settings = new LinkedHashMap<>();
        Map<String, Double> synced = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> parameters = node.path("parameters").fields();
        while (parameters.hasNext()) {
            Map.Entry<String, JsonNode> parameter = parameters.next();
            JsonNode value = parameter.getValue();
            if (value.isObject()) {
                double quarters = number(value, "quarters", 1);
                synced.put(parameter.getKey(), quarters);
                settings.put(parameter.getKey(), quarters * session.tempo().quarterMilliseconds());
            } else {
                settings.put(parameter.getKey(), value(value, parameter.getKey()));
            }
        }
        JsonNode state = node.path("state");
        JsonNode failed = node.path("failed");
        Insert insert = failed.isTextual()
                ? strip.insertFailed(text(node, "type", ""), settings, bool(node, "bypass", false),
                        state.isTextual() ? state.asText() : null, failed.asText())
                : strip.insert(text(node, "type", ""), settings, -1, bool(node, "bypass", false),
                        state.isTextual() ? state.asText() : null);
        if (insert.failed() == null) {
            synced.forEach(insert::sync);
            lanes(at + "/lanes", node.path("lanes"), insert::lane);
        }
    }

    void sidechains(String place, JsonNode strip) {
        Strip owner = strip.isObject() ? session.find(strip.path("name").asText("master")) : null;
        if (owner == null) {
            return;
        }
        each(place + "/inserts", strip.path("inserts"), (node, index) -> {
            JsonNode key = node.get("sidechain");
            if (key != null && !key.isNull() && owner.inserts().get(index).failed() == null) {
                Strip source = session.find(text(key, "strip", ""));
                if (source == null) {
                    throw new DeskException("side chain from strip \"" + text(key, "strip", "") + "\": no such strip");
                }
                owner.inserts().get(index).sidechain(source, text(key, "point", "pre"));
            }
        });
    }

    void solo(Strip strip, JsonNode node) {
        if (bool(node, "solo", false)) {
            strip.solo(true);
        }
    }

    void track(Track track, JsonNode node) {
        track(track, node, null);
    }

    /** Sets the track's input, monitoring, clips and arming that {@code node} has and {@code current} has otherwise. */
    void track(Track track, JsonNode node, JsonNode current) {
        JsonNode input = node.get("input");
        if (input != null && input.isArray() && (current == null || !input.equals(current.get("input")))) {
            List<Object> perChannel = new ArrayList<>();
            for (JsonNode item : input) {
                perChannel.add(inputOf(track, item));
            }
            track.input(perChannel);
        }
        track.monitoring(text(node, "monitoring", track.monitoring()));
        if (current != null && !node.path("clips").equals(current.path("clips"))) {
            track.clips().forEach(Clip::remove);
        }
        if (current == null || !node.path("clips").equals(current.path("clips"))) {
            each(at + "/clips", node.path("clips"), (clip, index) -> {
                Path file = media(text(clip, "file", ""));
                if (file != null) {
                    track.clip(file, text(clip, "name", file.getFileName().toString()), false,
                            SessionDocument.samples(number(clip, "offset", 0), rate),
                            clip.has("length") ? SessionDocument.samples(number(clip, "length", 0), rate) : null,
                            SessionDocument.samples(number(clip, "position", 0), rate), number(clip, "gain", 0),
                            SessionDocument.samples(number(clip, "fadeIn", 0), rate),
                            SessionDocument.samples(number(clip, "fadeOut", 0), rate));
                }
            });
        }
        boolean armed = bool(node, "armed", false);
        if (armed != track.armed()) {
            track.armed(armed);
        }
    }

    /**
     * Freezes the track to the file {@code node} names under "frozen", if it does and the track does not play
     * that file already; its file must be there (or, leaving missing media out, the track stays live).
     */
    void frozen(Track track, JsonNode node) {
        JsonNode frozen = node.get("frozen");
        if (frozen == null) {
            return;
        }
        within(at + "/frozen", () -> {
            object(frozen, "the frozen file");
            Path file = media(text(frozen, "file", ""));
            if (file != null && !file.equals(track.frozenFile())) {
                if (track.frozen()) {
                    track.unfreeze();
                }
                track.freezeTo(file, SessionDocument.samples(number(frozen, "length", 0), rate));
            }
        });
    }

    private Object inputOf(Track track, JsonNode item) {
        if (item.isObject()) {
            Source source = sources.get(text(item, "source", ""));
            if (source == null) {
                if (missingOffline && !sources.containsKey(text(item, "source", ""))) {
                    return null;
                }
                throw new DeskException("input from source \"" + text(item, "source", "") + "\": no such source");
            }
            return source.channel(integer(item, "channel", 1));
        }
        if (item.isNull()) {
            return null;
        }
        String port = item.asText();
        if (scratch) {
            return null;
        }
        if (!session.inputs().contains(port)) {
            session.notice(label + ": " + track.name() + "'s input " + port + " is not on " + session.audio().describe()
                    + ": left unconnected");
            return null;
        }
        return port;
    }

    private void connections(Bus bus, JsonNode connections) {
        if (scratch || !connections.isArray()) {
            return;
        }
        List<List<String>> wanted = new ArrayList<>();
        for (JsonNode fed : connections) {
            List<String> ports = new ArrayList<>();
            fed.forEach(port -> ports.add(port.asText()));
            wanted.add(ports);
        }
        if (wanted.equals(bus.connections())) {
            return;
        }
        bus.disconnectOut(null);
        for (int c = 0; c < wanted.size() && c < bus.channels(); c++) {
            for (String port : wanted.get(c)) {
                if (!session.outputs().contains(port)) {
                    session.notice(label + ": " + bus.name() + "'s output " + port + " is not on "
                            + session.audio().describe() + ": left unconnected");
                    continue;
                }
                List<String> one = new ArrayList<>(java.util.Collections.nCopies(bus.channels(), (String) null));
                one.set(c, port);
                bus.connectOut(one);
            }
        }
    }

    void lanes(String place, JsonNode lanes, java.util.function.Function<String, Lane> laneOf) {
        Iterator<Map.Entry<String, JsonNode>> fields = lanes.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            within(place + "/" + field.getKey(), () -> lane(laneOf.apply(field.getKey()), field.getValue()));
        }
    }

    /**
     * Gives {@code lane} the points and mode {@code node} holds, in place of those it has (the points as
     * {@link SessionJson#parse} reads them, or as {@link SessionDocument} made them).
     */
    void lane(Lane lane, JsonNode node) {
        JsonNode points = node.path("points");
        if (points.isPojo() && ((POJONode) points).getPojo() instanceof LanePoints read) {
            lane.set(read.lane());
        } else if (!points.isMissingNode()) {
            throw new DeskException("points " + points + ": must be a list of [seconds, value, interpolation]");
        }
        lane.mode(text(node, "mode", "read"));
    }

    /** The file {@code name} (relative to the session folder) if it is there; null if it is missing and may be. */
    private Path media(String name) {
        Path path = folder.resolve(name).normalize();
        if (Files.isRegularFile(path) || !missingOffline) {
            return path;
        }
        if (!scratch) {
            session.notice(label + ": " + name + " is missing: left offline");
        }
        return null;
    }

    private Bus bus(String name, String what) {
        Strip strip = session.find(name);
        if (!(strip instanceof Bus bus)) {
            throw new DeskException(what + " to \"" + name + "\": " + (strip == null ? "no such bus" : "it is a track"));
        }
        return bus;
    }

    // ------------------------------------------------------------------ reading values, with where they are

    void each(String place, JsonNode array, java.util.function.BiConsumer<JsonNode, Integer> action) {
        if (array.isMissingNode() || array.isNull()) {
            return;
        }
        within(place, () -> {
            if (!array.isArray()) {
                throw new DeskException("must be a list");
            }
        });
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            int index = i;
            within(place + "/" + i, () -> action.accept(item, index));
        }
    }

    /** Runs {@code action} at {@code place}/{@code key} if {@code node} has the key. */
    private void field(String place, JsonNode node, String key, Runnable action) {
        if (node.has(key) && !node.get(key).isNull()) {
            within(place + "/" + key, action);
        }
    }

    /** How a refusal starts: the label, and the line and place in the file unless not {@link #placed}. */
    private String where() {
        String place = parsed.base() + at;
        return placed ? label + " line " + parsed.lineOf(at) + " (" + (place.isEmpty() ? "/" : place) + "): "
                : label + ": ";
    }

    void within(String place, Runnable action) {
        String outer = at;
        at = place;
        try {
            action.run();
        } catch (DeskException e) {
            if (e.getMessage().startsWith(label)) {
                throw e;
            }
            throw new DeskException(where() + e.getMessage());
        } catch (RuntimeException e) {
            throw new DeskException(where() + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } finally {
            at = outer;
        }
    }
}
