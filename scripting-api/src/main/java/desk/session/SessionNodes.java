package desk.session;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.server.RemoteEngine;

import java.util.ArrayList;
import java.util.List;

/**
 * The session's nodes ({@link Node}): joining one, the tracks made on them, their names beside the main
 * session's, their turn in the control loop, and the transport commands that reach them too.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionNodes {
    private final Session main;
    private final List<Node> nodes = new ArrayList<>();

    SessionNodes(Session main) {
        this.main = main;
    }

    /**
     * Joins the engine at {@code address} as node {@code name} (see {@link Node}); {@code client} is its netjack2
     * client on the main server (null: the node's name). One node per session: the main engine reads one
     * echo of its clock.
     */
    Node join(String name, String address, String token, String fingerprint, boolean tls, String client) {
        String label = "session.node " + describe(name);
        if (name == null || name.isBlank()) {
            throw new DeskException(label + ": a node needs a name");
        }
        Node same = named(name);
        if (same != null) {
            if (same.address().equals(address)) {
                return same;
            }
            throw new DeskException(label + " is joined at " + same.address() + ", not " + address);
        }
        if (!nodes.isEmpty()) {
            throw new DeskException(label + ": this session has node " + nodes.getFirst().name() + " already; the"
                    + " main engine shares its clock with one node");
        }
        Strip taken = main.find(name);
        boolean returnFromFile = main.nodeParts().waitsFor(name) && taken instanceof Track track
                && track.session == main && track.channels() == 2;
        if (taken != null && !returnFromFile) {
            throw new DeskException(label + ": the node's return track takes its name, and " + taken.name()
                    + " has it");
        }
        RemoteEngine target;
        try {
            target = new RemoteEngine(address, token, fingerprint, tls, false);
        } catch (EngineException e) {
            throw new DeskException(label + ": " + e.getMessage().replace("--engine ", "engine ")
                    .replace("--no-tls", "tls: false").replace("--token TOKEN or DESK_ENGINE_TOKEN", "token"));
        }
        Node node = Node.join(main, name, client == null ? name : client, target);
        if (nodes.isEmpty()) {
            main.onTurn(this::maintain);
            main.onReplay(() -> nodes.forEach(Node::afterMainReplay));
        }
        nodes.add(node);
        main.nodeParts().joined(node);
        return node;
    }

    /** The nodes joined so far. */
    List<Node> all() {
        return List.copyOf(nodes);
    }

    /** The node called {@code name}, or null. */
    Node named(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst().orElse(null);
    }

    /** The track {@code name} on node {@code nodeName}, made with {@code channels} if it does not exist. */
    Track track(String name, int channels, String nodeName) {
        return node("track", name, nodeName).session().track(name, channels);
    }

    /** The bus {@code name} on node {@code nodeName}, made as {@link Session#bus(String, String, int)} makes one. */
    Bus bus(String name, String kind, int channels, String nodeName) {
        return node("bus", name, nodeName).session().bus(name, kind, channels);
    }

    /** The node a new {@code what} called {@code name} goes on, refusing a name the main session has. */
    private Node node(String what, String name, String nodeName) {
        Node node = named(nodeName);
        if (node == null) {
            throw new DeskException(what + " " + name + " on " + describe(nodeName) + ": no such node; join it"
                    + " first with session.node(name, {engine, token})" + (nodes.isEmpty() ? ""
                    : " (nodes: " + String.join(", ", nodes.stream().map(Node::name).toList()) + ")"));
        }
        Strip here = main.find(name);
        if (here != null && here.session == main) {
            throw new DeskException(what + " " + name + " on " + nodeName + ": the main session has "
                    + here.toString().split(" ")[0].toLowerCase(java.util.Locale.ROOT) + " " + name + " already");
        }
        return node;
    }

    /** The track or bus called {@code name} on a node, or null. */
    Strip find(String name) {
        for (Node node : nodes) {
            Strip strip = node.session().strips().get(name);
            if (strip != null) {
                return strip;
            }
        }
        return null;
    }

    /**
     * Sends the transport commands the main engine got to the nodes too, so their disks and loops follow, and a
     * reset of every meter.
     */
    void mirror(EngineCommand command) {
        EngineCommand inner = command instanceof EngineCommand.At at ? at.command() : command;
        if (inner instanceof EngineCommand.SetTransport || inner instanceof EngineCommand.Locate
                || inner instanceof EngineCommand.SetLoop
                || inner instanceof EngineCommand.ResetMeters reset && reset.stripId() == desk.engine.NodeIds.NO_NODE) {
            for (Node node : nodes) {
                node.session().execute(inner);
            }
        }
    }

    /** Lets go of every node. */
    void leaveAll() {
        nodes.forEach(Node::leave);
        nodes.clear();
    }

    private void maintain() {
        for (Node node : nodes) {
            node.maintain();
        }
    }

    private static String describe(String name) {
        return name == null ? "null" : "\"" + name + "\"";
    }
}
