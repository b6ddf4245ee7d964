package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Undo and redo. The session is kept as a document ({@link SessionDocument}) at every checkpoint: after each
 * REPL line, script, loaded file and scheduled function that changed it. A change group is the difference
 * between two checkpoints; undo takes the session back to the document before the last group, redo forward
 * again, each by changing only what differs (a fader that moved is set back, a track that was added is
 * removed, one removed is made again with everything it had, one renamed is renamed back), so undo while
 * playing is as click-free as any change. A strip made again keeps its script object: a variable holding it
 * goes on working. The transport is not part of it, and a take recorded stays on disk (its clip comes and goes).
 * At most {@value #LIMIT} groups are kept.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionHistory {
    /** The most change groups kept. */
    static final int LIMIT = 100;

    private record Entry(String words, ObjectNode document) {
    }

    private final Session session;
    private final Deque<Entry> undo = new ArrayDeque<>();
    private final Deque<Entry> redo = new ArrayDeque<>();
    private ObjectNode baseline;
    private long baselineEdits = -1;

    SessionHistory(Session session) {
        this.session = session;
    }

    /** Starts afresh from the session as it is (after opening a session): nothing to undo or redo. */
    void reset() {
        undo.clear();
        redo.clear();
        baseline = document();
        baselineEdits = session.edits();
    }

    /** Ends a change group, if anything changed since the last one. */
    void checkpoint() {
        if (baseline == null) {
            reset();
            return;
        }
        if (session.edits() == baselineEdits) {
            return;
        }
        ObjectNode now = document();
        baselineEdits = session.edits();
        if (now.equals(baseline)) {
            return;
        }
        undo.push(new Entry(describe(baseline, now), baseline));
        while (undo.size() > LIMIT) {
            undo.removeLast();
        }
        redo.clear();
        baseline = now;
    }

    /** Takes the last change group back; returns what it was, in words. */
    String undo() {
        checkpoint();
        if (undo.isEmpty()) {
            throw new DeskException("session.undo: nothing to undo");
        }
        Entry entry = undo.pop();
        redo.push(new Entry(entry.words(), baseline));
        apply(entry.document(), "session.undo");
        return entry.words();
    }

    /** Makes the last change group undone again; returns what it was, in words. */
    String redo() {
        checkpoint();
        if (redo.isEmpty()) {
            throw new DeskException("session.redo: nothing to redo");
        }
        Entry entry = redo.pop();
        undo.push(new Entry(entry.words(), baseline));
        apply(entry.document(), "session.redo");
        return entry.words();
    }

    /** The change groups that undo would take back, the latest last, in words. */
    List<String> history() {
        checkpoint();
        List<String> words = new ArrayList<>();
        undo.descendingIterator().forEachRemaining(entry -> words.add(entry.words()));
        return words;
    }

    /**
     * The session as a document, with its nodes' parts, without the engine's settings (a period the server
     * changes is no edit).
     */
    private ObjectNode document() {
        ObjectNode document = SessionDocument.known(session, session.recorder().folder());
        document.remove("engine");
        return document;
    }

    /**
     * Takes the session to {@code target}, and each node joined now to its part there (a node joined since has
     * none, and is left as it is).
     */
    private void apply(ObjectNode target, String label) {
        new Reconcile(session, target, document(), label).run();
        for (JsonNode part : target.path(SessionNodeParts.KEY)) {
            for (Node node : session.nodes()) {
                if (node.name().equals(part.path("name").asText())) {
                    ObjectNode now = SessionDocument.known(node.session(), session.recorder().folder());
                    ObjectNode wanted = now.deepCopy();
                    SessionNodeParts.STATE_KEYS.stream().filter(part::has).forEach(key -> wanted.set(key, part.get(key)));
                    if (!wanted.equals(now)) {
                        new Reconcile(node.session(), wanted, now, label + " on node " + node.name()).run();
                    }
                }
            }
        }
        baseline = document();
        baselineEdits = session.edits();
    }

    // ------------------------------------------------------------------ the change in words

    /** A few words for the difference from {@code before} to {@code after}: up to three changes named. */
    static String describe(ObjectNode before, ObjectNode after) {
        List<String> changes = new ArrayList<>();
        for (String kind : new String[]{"buses", "tracks"}) {
            Map<String, JsonNode> was = byName(before.path(kind));
            Map<String, JsonNode> is = byName(after.path(kind));
            String what = kind.equals("buses") ? "bus " : "track ";
            Map<String, String> renamed = renames(was, is);
            renamed.forEach((from, to) -> changes.add(what + from + " renamed " + to));
            is.keySet().stream().filter(name -> !was.containsKey(name) && !renamed.containsValue(name))
                    .forEach(name -> changes.add(what + name + " added"));
            was.keySet().stream().filter(name -> !is.containsKey(name) && !renamed.containsKey(name))
                    .forEach(name -> changes.add(what + name + " removed"));
            is.forEach((name, node) -> {
                JsonNode old = was.get(name);
                if (old != null && !old.equals(node)) {
                    changes.add(name + " " + changedKeys(old, node));
                }
            });
        }
        if (!before.path("master").equals(after.path("master"))) {
            changes.add("master " + changedKeys(before.path("master"), after.path("master")));
        }
        for (Iterator<String> keys = after.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (key.equals(SessionNodeParts.KEY)) {
                changes.addAll(nodeChanges(before.path(key), after.path(key)));
            } else if (!key.equals("buses") && !key.equals("tracks") && !key.equals("master")
                    && !after.get(key).equals(before.get(key))) {
                changes.add(key);
            }
        }
        if (changes.isEmpty()) {
            return "changes";
        }
        return changes.size() <= 3 ? String.join(", ", changes)
                : String.join(", ", changes.subList(0, 3)) + " and " + (changes.size() - 3) + " more";
    }

    /** The changes to the nodes' parts there were before and are after: "node stage2: Gtr fader -6.0 -> -3.0". */
    private static List<String> nodeChanges(JsonNode before, JsonNode after) {
        Map<String, JsonNode> was = byName(before);
        List<String> changes = new ArrayList<>();
        byName(after).forEach((name, part) -> {
            JsonNode old = was.get(name);
            if (old instanceof ObjectNode oldPart && part instanceof ObjectNode newPart && !old.equals(part)) {
                changes.add("node " + name + ": " + describe(oldPart, newPart));
            }
        });
        return changes;
    }

    private static String changedKeys(JsonNode before, JsonNode after) {
        List<String> keys = new ArrayList<>();
        after.fieldNames().forEachRemaining(key -> {
            if (!after.get(key).equals(before.get(key))) {
                JsonNode value = after.get(key);
                keys.add(value.isValueNode() ? key + " " + before.path(key).asText() + " -> " + value.asText() : key);
            }
        });
        return String.join(", ", keys);
    }

    /**
     * The strips renamed from {@code was} to {@code is}, old name to new: a name gone and a name come whose
     * strips are the same apart from their names, each paired once.
     */
    private static Map<String, String> renames(Map<String, JsonNode> was, Map<String, JsonNode> is) {
        Map<String, String> renamed = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> gone : was.entrySet()) {
            if (is.containsKey(gone.getKey())) {
                continue;
            }
            for (Map.Entry<String, JsonNode> come : is.entrySet()) {
                if (!was.containsKey(come.getKey()) && !renamed.containsValue(come.getKey())
                        && unnamed(gone.getValue()).equals(unnamed(come.getValue()))) {
                    renamed.put(gone.getKey(), come.getKey());
                    break;
                }
            }
        }
        return renamed;
    }

    private static JsonNode unnamed(JsonNode strip) {
        ObjectNode copy = ((ObjectNode) strip).deepCopy();
        copy.remove("name");
        return copy;
    }

    private static Map<String, JsonNode> byName(JsonNode strips) {
        Map<String, JsonNode> named = new java.util.LinkedHashMap<>();
        strips.forEach(strip -> named.put(strip.path("name").asText(), strip));
        return named;
    }

    // ------------------------------------------------------------------ taking the session to a document

    /** Changes the session until its document is {@code target}, touching only what differs. */
    private static final class Reconcile {
        private final Session session;
        private final ObjectNode target;
        private final ObjectNode current;
        private final SessionOpener apply;

        Reconcile(Session session, ObjectNode target, ObjectNode current, String label) {
            this.session = session;
            this.target = target;
            this.current = current;
            this.apply = SessionOpening.applying(session, target, label);
        }

        void run() {
            apply.settings(target);
            sources();
            List<JsonNode> targetBuses = list(target.path("buses"));
            List<JsonNode> targetTracks = list(target.path("tracks"));
            Map<String, JsonNode> was = new HashMap<>(byName(current.path("buses")));
            was.putAll(byName(current.path("tracks")));
            was.put("master", current.path("master"));
            for (String kind : new String[]{"buses", "tracks"}) {
                // A name another strip still holds (a bus removed in the same change) is made again instead.
                renames(byName(current.path(kind)), byName(target.path(kind))).forEach((from, to) -> {
                    if (session.find(to) == null) {
                        session.find(from).name(to);
                    }
                });
            }
            structure(targetTracks, session.tracks(), was);
            structure(targetBuses, session.buses(), was);
            for (JsonNode node : targetBuses) {
                make(node, false, was);
            }
            for (JsonNode node : targetTracks) {
                make(node, true, was);
            }
            for (JsonNode node : targetTracks) {
                Track track = (Track) session.find(node.path("name").asText());
                JsonNode before = was.get(track.name());
                if (track.frozen() && (before == null || !node.path("frozen").equals(before.path("frozen")))) {
                    track.unfreeze();
                }
            }
            ObjectNode made = SessionDocument.known(session, session.recorder().folder());
            was.clear();
            was.putAll(byName(made.path("buses")));
            was.putAll(byName(made.path("tracks")));
            was.put("master", made.path("master"));
            strip(session.master(), target.path("master"), was.get("master"), "/master");
            for (int i = 0; i < targetBuses.size(); i++) {
                JsonNode node = targetBuses.get(i);
                strip(session.find(node.path("name").asText()), node, was.get(node.path("name").asText()), "/buses/" + i);
            }
            for (int i = 0; i < targetTracks.size(); i++) {
                JsonNode node = targetTracks.get(i);
                String name = node.path("name").asText();
                Track track = (Track) session.find(name);
                strip(track, node, was.get(name), "/tracks/" + i);
                apply.track(track, node, was.get(name));
            }
            sidechains("/master", target.path("master"), was.get("master"));
            for (int i = 0; i < targetBuses.size(); i++) {
                sidechains("/buses/" + i, targetBuses.get(i), was.get(targetBuses.get(i).path("name").asText()));
            }
            for (int i = 0; i < targetTracks.size(); i++) {
                sidechains("/tracks/" + i, targetTracks.get(i), was.get(targetTracks.get(i).path("name").asText()));
            }
            for (JsonNode node : concat(targetBuses, targetTracks)) {
                Strip strip = session.find(node.path("name").asText());
                if (strip.solo() != node.path("solo").asBoolean(false)) {
                    strip.solo(node.path("solo").asBoolean(false));
                }
            }
            for (int i = 0; i < targetTracks.size(); i++) {
                JsonNode node = targetTracks.get(i);
                apply.within("/tracks/" + i, () -> apply.frozen((Track) session.find(node.path("name").asText()), node));
            }
            loop();
            if (!target.path("scenes").equals(current.path("scenes"))) {
                apply.scenes(target);
            }
        }

        /** Makes the sources the target has beyond the session's, or takes back those it lacks. */
        private void sources() {
            List<Source> made = session.sources();
            JsonNode wanted = target.path("sources");
            for (int i = made.size() - 1; i >= wanted.size(); i--) {
                session.sourceStore().remove(made.get(i));
            }
            for (int i = 0; i < Math.min(made.size(), wanted.size()); i++) {
                apply.sources().put(wanted.get(i).path("id").asText(), made.get(i));
            }
            for (int i = made.size(); i < wanted.size(); i++) {
                int index = i;
                apply.within("/sources/" + i, () -> apply.source(wanted.get(index), index));
            }
        }

        /**
         * Removes the strips of one kind the target lacks, and those from the first one out of the target's
         * order on (they are made again, in order, with all they had), so the session's order is the target's.
         */
        private void structure(List<JsonNode> wanted, List<? extends Strip> strips, Map<String, JsonNode> was) {
            List<String> names = wanted.stream().map(node -> node.path("name").asText()).toList();
            List<Strip> kept = new ArrayList<>();
            for (Strip strip : strips) {
                if (names.contains(strip.name())) {
                    kept.add(strip);
                } else {
                    strip.remove();
                }
            }
            for (int i = 0; i < kept.size(); i++) {
                if (i >= names.size() || !kept.get(i).name().equals(names.get(i))) {
                    for (Strip strip : kept.subList(i, kept.size())) {
                        was.remove(strip.name());
                        strip.remove();
                    }
                    return;
                }
            }
        }

        private void make(JsonNode node, boolean track, Map<String, JsonNode> was) {
            String name = node.path("name").asText();
            if (session.find(name) == null) {
                was.remove(name);
                session.madeAgain(track ? session.track(name, node.path("channels").asInt(1))
                        : session.bus(name, node.path("kind").asText("group"), node.path("channels").asInt(2)));
            }
        }

        private void strip(Strip strip, JsonNode node, JsonNode before, String place) {
            if (before != null && before.equals(node)) {
                return;
            }
            apply.within(place, () -> {
                apply.stripSettings(strip, node, before, place);
                if (before == null || !node.path("inserts").equals(before.path("inserts"))) {
                    inserts(strip, node, before, place);
                }
                if (before != null && !node.path("sends").equals(before.path("sends"))) {
                    strip.sends().forEach(Send::remove);
                }
                if (before == null || !node.path("sends").equals(before.path("sends"))) {
                    apply.sends(strip, node, place);
                }
                lanes(node.path("lanes"), before == null ? null : before.path("lanes"), strip::lane, strip.lanes());
                apply.busPorts(strip, node, place);
            });
        }

        private void inserts(Strip strip, JsonNode node, JsonNode before, String place) {
            List<Insert> made = strip.inserts();
            JsonNode wanted = node.path("inserts");
            boolean sameTypes = before != null && made.size() == wanted.size();
            for (int i = 0; sameTypes && i < made.size(); i++) {
                sameTypes = made.get(i).type().equals(wanted.get(i).path("type").asText());
            }
            if (!sameTypes) {
                made.forEach(Insert::remove);
                apply.each(place + "/inserts", wanted, (insert, index) -> apply.insert(strip, insert));
                return;
            }
            for (int i = 0; i < made.size(); i++) {
                JsonNode want = wanted.get(i);
                JsonNode had = before.path("inserts").get(i);
                if (want.equals(had)) {
                    continue;
                }
                Insert insert = made.get(i);
                if (insert.bypass() != want.path("bypass").asBoolean(false)) {
                    insert.bypass(want.path("bypass").asBoolean(false));
                }
                for (Iterator<Map.Entry<String, JsonNode>> parameters = want.path("parameters").fields(); parameters.hasNext(); ) {
                    Map.Entry<String, JsonNode> parameter = parameters.next();
                    if (!parameter.getValue().equals(had.path("parameters").get(parameter.getKey()))) {
                        if (parameter.getValue().isObject()) {
                            insert.sync(parameter.getKey(), parameter.getValue().path("quarters").asDouble());
                        } else {
                            insert.set(parameter.getKey(), number(parameter.getValue()));
                        }
                    }
                }
                lanes(want.path("lanes"), had.path("lanes"), insert::lane, insert.lanes());
            }
        }

        private void lanes(JsonNode wanted, JsonNode had, java.util.function.Function<String, Lane> laneOf, List<Lane> made) {
            for (Lane lane : made) {
                if (!wanted.has(lane.parameter()) && (had == null || had.has(lane.parameter()))) {
                    lane.clear();
                    lane.mode("read");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = wanted.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (had == null || !field.getValue().equals(had.get(field.getKey()))) {
                    Lane lane = laneOf.apply(field.getKey());
                    apply.lane(lane, field.getValue());
                }
            }
        }

        private void sidechains(String place, JsonNode node, JsonNode before) {
            if (before == null || !node.path("inserts").equals(before.path("inserts"))) {
                apply.sidechains(place, node);
            }
        }

        private void loop() {
            JsonNode loop = target.get("loop");
            if (loop == null ? current.get("loop") == null : loop.equals(current.get("loop"))) {
                return;
            }
            if (loop == null) {
                session.looping(false);
                session.loop(null, null, "loop");
                return;
            }
            int rate = session.sampleRate();
            session.loop(SessionDocument.samples(number(loop.path("start")), rate),
                    SessionDocument.samples(number(loop.path("end")), rate), "loop");
            session.looping(loop.path("on").asBoolean(false));
        }

        private static double number(JsonNode value) {
            if (value.isTextual()) {
                return value.asText().startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return value.asDouble();
        }

        private static List<JsonNode> list(JsonNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(items::add);
            return items;
        }

        private static List<JsonNode> concat(List<JsonNode> first, List<JsonNode> second) {
            List<JsonNode> all = new ArrayList<>(first);
            all.addAll(second);
            return all;
        }
    }
}
