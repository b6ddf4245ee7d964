package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.Interpolation;
import desk.engine.insert.InsertParameter;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenes: the mixer's values stored under a name (trim, fader, pan or balance, mute, send levels and insert
 * parameters of every strip, or those a filter picks) and recalled later, at once or on a position of the
 * transport, sample-accurately, with each level, pan and parameter moved over a fade (mutes switch, declicked).
 * Scenes are part of the session: saved in its file and undone like any change.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionScenes {
    /** What a scene can hold, by the names filters use. */
    static final List<String> KINDS = List.of("trim", "fader", "pan", "balance", "mute", "sends", "inserts");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Session session;
    private final Map<String, ObjectNode> scenes = new LinkedHashMap<>();

    SessionScenes(Session session) {
        this.session = session;
    }

    /** Stores the mixer as scene {@code name} (replacing one of that name): {@code only} those kinds, {@code strips} those strips (null: all). */
    void store(String name, List<String> only, List<String> strips) {
        String label = "session.scene";
        if (name == null || name.isBlank()) {
            throw new DeskException(label + ": needs a name");
        }
        List<String> kinds = only == null ? KINDS : only;
        for (String kind : kinds) {
            if (!KINDS.contains(kind)) {
                throw new DeskException(label + " only \"" + kind + "\": must be among " + String.join(", ", KINDS));
            }
        }
        List<Strip> chosen = new ArrayList<>();
        if (strips == null) {
            chosen.add(session.master());
            chosen.addAll(session.buses());
            chosen.addAll(session.tracks());
        } else {
            for (String strip : strips) {
                Strip found = session.find(strip);
                if (found == null) {
                    throw new DeskException(label + " strips: no strip is called \"" + strip + "\"");
                }
                chosen.add(found);
            }
        }
        ObjectNode scene = NODES.objectNode();
        for (Strip strip : chosen) {
            scene.set(strip.name(), values(strip, kinds));
        }
        scenes.put(name, scene);
        session.edited();
    }

    private static ObjectNode values(Strip strip, List<String> kinds) {
        ObjectNode node = NODES.objectNode();
        if (kinds.contains("trim")) {
            node.put("trim", strip.trim());
        }
        if (kinds.contains("fader")) {
            node.put("fader", strip.fader());
        }
        if (kinds.contains("pan") && strip.channels() == 1) {
            node.put("pan", strip.pan());
        }
        if (kinds.contains("balance") && strip.channels() > 1) {
            node.put("balance", strip.balance());
        }
        if (kinds.contains("mute")) {
            node.put("mute", strip.mute());
        }
        if (kinds.contains("sends") && !strip.sends().isEmpty()) {
            ObjectNode sends = node.putObject("sends");
            strip.sends().forEach(send -> sends.put(send.destination().name(), send.level()));
        }
        if (kinds.contains("inserts") && !strip.inserts().isEmpty()) {
            var inserts = node.putArray("inserts");
            for (Insert insert : strip.inserts()) {
                ObjectNode parameters = inserts.addObject().put("type", insert.type()).putObject("parameters");
                for (InsertParameter parameter : insert.parameters()) {
                    parameters.put(parameter.name(), insert.get(parameter.name()));
                }
            }
        }
        return node;
    }

    /**
     * Recalls scene {@code name} now, or when the transport reaches {@code at} (a position, as {@code session.at}
     * takes), moving every level, pan and parameter over {@code fadeSamples} (0: at once, declicked).
     */
    void recall(String name, Object at, long fadeSamples) {
        ObjectNode scene = scenes.get(name);
        if (scene == null) {
            throw new DeskException("session.recall \"" + name + "\": no such scene"
                    + (scenes.isEmpty() ? " (there are none)" : "; there are " + String.join(", ", scenes.keySet())));
        }
        if (at == null) {
            apply(name, scene, fadeSamples);
        } else {
            session.at(at, () -> apply(name, scene, fadeSamples));
        }
    }

    private void apply(String name, ObjectNode scene, long fade) {
        for (Iterator<Map.Entry<String, JsonNode>> strips = scene.fields(); strips.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = strips.next();
            Strip strip = session.find(entry.getKey());
            if (strip == null) {
                session.notice("scene " + name + ": strip " + entry.getKey() + " is gone: left out");
                continue;
            }
            JsonNode values = entry.getValue();
            boolean frozen = strip instanceof Track track && track.frozen();
            if (frozen && (values.has("trim") && number(values.get("trim")) != strip.trim() || values.has("inserts"))) {
                session.notice("scene " + name + ": " + strip.name() + " is frozen: its trim and inserts stay as"
                        + " they were frozen");
            }
            for (String parameter : List.of("trim", "fader", "pan", "balance")) {
                if (values.has(parameter) && !(frozen && parameter.equals("trim"))) {
                    move(strip, parameter, number(values.get(parameter)), fade);
                }
            }
            if (values.has("mute") && strip.mute() != values.get("mute").asBoolean()) {
                strip.mute(values.get("mute").asBoolean());
            }
            for (Iterator<Map.Entry<String, JsonNode>> sends = values.path("sends").fields(); sends.hasNext(); ) {
                Map.Entry<String, JsonNode> send = sends.next();
                strip.sends().stream().filter(s -> s.destination().name().equals(send.getKey())).findFirst()
                        .ifPresent(s -> {
                            double level = number(send.getValue());
                            if (fade > 0 && Double.isFinite(level) && Double.isFinite(s.level())) {
                                s.ramp("level", level, fade, Interpolation.DB);
                            } else {
                                s.level(level);
                            }
                        });
            }
            List<Insert> inserts = frozen ? List.of() : strip.inserts();
            JsonNode stored = values.path("inserts");
            for (int i = 0; i < stored.size() && i < inserts.size(); i++) {
                Insert insert = inserts.get(i);
                if (!insert.type().equals(stored.get(i).path("type").asText())) {
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> parameters = stored.get(i).path("parameters").fields();
                     parameters.hasNext(); ) {
                    Map.Entry<String, JsonNode> parameter = parameters.next();
                    double value = number(parameter.getValue());
                    if (insert.get(parameter.getKey()) == value) {
                        continue;
                    }
                    if (fade > 0 && insert.rampable(parameter.getKey())) {
                        insert.ramp(parameter.getKey(), value, fade, Interpolation.DB);
                    } else {
                        insert.set(parameter.getKey(), value);
                    }
                }
            }
        }
    }

    private static void move(Strip strip, String parameter, double target, long fade) {
        double now = switch (parameter) {
            case "trim" -> strip.trim();
            case "fader" -> strip.fader();
            case "pan" -> strip.pan();
            default -> strip.balance();
        };
        if (now == target) {
            return;
        }
        if (fade > 0 && Double.isFinite(target) && Double.isFinite(now)) {
            strip.ramp(parameter, target, fade, Interpolation.DB);
            return;
        }
        switch (parameter) {
            case "trim" -> strip.trim(target);
            case "fader" -> strip.fader(target);
            case "pan" -> strip.pan(target);
            default -> strip.balance(target);
        }
    }

    private static double number(JsonNode value) {
        if (value.isTextual()) {
            return value.asText().startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return value.asDouble();
    }

    /** The scenes' names, in the order they were first stored. */
    List<String> names() {
        return new ArrayList<>(scenes.keySet());
    }

    /** The scenes as they go into a session file. */
    ObjectNode document() {
        ObjectNode node = NODES.objectNode();
        scenes.forEach(node::set);
        return node;
    }

    /** Takes the scenes of a session file (already checked to be objects of objects). */
    void restore(JsonNode node) {
        scenes.clear();
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isObject()) {
                throw new DeskException("scene \"" + entry.getKey() + "\": must be an object of strips");
            }
            scenes.put(entry.getKey(), ((ObjectNode) entry.getValue()).deepCopy());
        });
    }
}
