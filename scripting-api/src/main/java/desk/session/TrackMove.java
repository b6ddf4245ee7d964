package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves a track between the main engine and a node ({@code track.on = "stage2"}, {@code track.on = null}), while
 * the transport is stopped: the track is made again on the other engine with everything it had (settings,
 * inserts and their state, lanes, inputs, clips, arming, a frozen file), through the same steps as opening a
 * session file, and then taken out where it was. Its old object follows it ({@link Strip#current()}), so a
 * script's reference still reaches it. Refused in one line, with nothing changed, while the transport rolls
 * (the track would fall silent on one engine before it sounded on the other, and the return's delay lies
 * between them), while it routes or sends to a bus, listens to another strip's side chain or is listened to,
 * or reads a port the other engine's server does not have. A move starts the undo history afresh: undo takes
 * changes back within each engine, and a move spans two.
 * <p>
 * Threads: the session's control thread.
 */
final class TrackMove {
    private TrackMove() {
    }

    /** Moves {@code track} to node {@code nodeName} (null: the main engine); returns it where it now runs. */
    static Track move(Track track, String nodeName) {
        Session from = track.session;
        Session main = from.mainSession();
        String label = track.name() + ".on " + Session.describe(nodeName);
        Session to;
        if (nodeName == null) {
            to = main;
        } else {
            Node node = main.nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst().orElse(null);
            if (node == null) {
                throw new DeskException(label + ": no such node" + (main.nodes().isEmpty()
                        ? "; join it first with session.node(name, {engine, token})"
                        : " (nodes: " + String.join(", ", main.nodes().stream().map(Node::name).toList()) + ")"));
            }
            to = node.session();
        }
        if (to == from) {
            return track;
        }
        check(track, from, to, main, label);
        ObjectNode document = SessionDocument.known(from, main.recorder().folder());
        JsonNode saved = null;
        for (JsonNode node : document.path("tracks")) {
            if (track.name().equals(node.path("name").asText())) {
                saved = node;
            }
        }
        List<Source> sources = from.sources();
        Track made = to.strips().containsKey(track.name()) ? null : to.track(track.name(), track.channels());
        if (made == null) {
            throw new DeskException(label + ": " + to.engineName() + " has a strip called " + track.name());
        }
        List<Source> before = List.copyOf(to.sources());
        try {
            java.nio.file.Path folder = main.recorder().folder();
            SessionOpener opener = new SessionOpener(to, new SessionJson.Parsed(document, () -> {
                throw new java.io.IOException("no text: the document was made, not read");
            }), label, folder == null ? java.nio.file.Path.of("").toAbsolutePath() : folder, false, false);
            opener.placed = false;
            for (int i = 0; i < sources.size(); i++) {
                Source source = sources.get(i);
                if (track.input().stream().anyMatch(input -> input instanceof Source.SourceChannel channel
                        && channel.source() == source)) {
                    opener.sources().put("s" + (i + 1), to.sourceLike(from.originalSource(source)));
                }
            }
            JsonNode node = saved;
            opener.within("", () -> {
                opener.stripSettings(made, node, null, "");
                opener.each("/inserts", node.path("inserts"), (insert, index) -> opener.insert(made, insert));
                opener.lanes("/lanes", node.path("lanes"), made::lane);
                opener.track(made, node);
                opener.solo(made, node);
                opener.frozen(made, node);
            });
        } catch (RuntimeException e) {
            made.remove();
            List.copyOf(to.sources()).stream().filter(source -> !before.contains(source))
                    .forEach(to.sourceStore()::remove);
            throw e instanceof DeskException ? e : new DeskException(label + ": " + e.getMessage());
        }
        track.remove();
        track.succeededBy(made);
        main.restartHistory();
        main.notice(track.name() + " runs on " + to.engineName() + " now (it ran on " + from.engineName()
                + "); undo starts afresh");
        return made;
    }

    /** Refuses the move, in one line, unless the track can go as it is. */
    private static void check(Track track, Session from, Session to, Session main, String label) {
        for (Node node : main.nodes()) {
            if (node.returnTrack() == track) {
                throw new DeskException(label + ": " + track.name() + " is node " + node.name() + "'s return, which"
                        + " stays on the main engine");
            }
        }
        main.recorder().refuseWhileRecording(label);
        if (main.transportRolling()) {
            throw new DeskException(label + ": the transport is rolling: a track moves between engines only while"
                    + " stopped, since it would fall silent on " + from.engineName() + " before it sounded on "
                    + to.engineName() + " (the return's delay lies between them); stop first");
        }
        if (track.output() != from.master()) {
            throw new DeskException(label + ": " + track.name() + " goes to " + track.output().name() + " on "
                    + from.engineName() + ", and outputs stay on one engine: set its output to the master first");
        }
        if (!track.sendMap().isEmpty()) {
            throw new DeskException(label + ": " + track.name() + " sends to " + String.join(", ",
                    track.sendMap().keySet().stream().map(Strip::name).toList()) + " on " + from.engineName()
                    + ", and sends stay on one engine: remove its sends first");
        }
        for (Insert insert : track.inserts()) {
            if (insert.sidechain() != null && insert.sidechain() != track) {
                throw new DeskException(label + ": " + insert + " listens to " + insert.sidechain().name()
                        + " on " + from.engineName() + ": set its sidechain to null first");
            }
        }
        List<Insert> listening = new ArrayList<>(from.master().inserts());
        from.strips().values().forEach(strip -> listening.addAll(strip.inserts()));
        for (Insert insert : listening) {
            if (insert.sidechain() == track && insert.strip() != track) {
                throw new DeskException(label + ": " + insert + " listens to " + track.name() + "'s side chain: set"
                        + " its sidechain to null first");
            }
        }
        for (Object input : track.input()) {
            if (input instanceof String port && !to.inputs().contains(port)) {
                throw new DeskException(label + ": its input " + port + " is not on " + to.engineName()
                        + "'s server: set " + track.name() + ".input to a port there first, or null");
            }
        }
    }
}
