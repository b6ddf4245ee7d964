package desk.script;

import desk.session.Node;
import desk.session.Session;
import org.graalvm.polyglot.Value;

import java.util.Set;

/**
 * The part of the script API for nodes: engines on other machines joined by netjack2 that run some of the
 * session's tracks ({@code session.node}, {@code track(name, {on})}).
 * <p>
 * Threads: built once; used on the script thread.
 */
final class NodeApi {
    private static final Set<String> OPTIONS = Set.of("engine", "token", "fingerprint", "tls", "client");

    private NodeApi() {
    }

    /** Adds these members to the session type. */
    static ApiType<Session> sessionMembers(ApiType<Session> type) {
        return type
                .method("node", "node(name, {engine, token, fingerprint, tls, client})", "Joins the engine at engine"
                        + " (\"host:port\", desk engine --listen on a machine whose JACK server netjack2 joins to this"
                        + " one's) as node name, or gives the node joined before: token and fingerprint as it printed"
                        + " them; tls false only for a loopback engine (default true); client its netjack2 client here"
                        + " (default: the name). Tracks made with {on: name} run there.", OPTIONS, (s, a) -> {
                        a.check(1, OPTIONS);
                        String label = a.method();
                        Value tls = a.option("tls");
                        return s.node(Convert.text(a.required(0, "a name"), label + " name"),
                                Convert.text(required(a, "engine", label), label + " engine"),
                                Convert.text(required(a, "token", label), label + " token"),
                                text(a.option("fingerprint"), label + " fingerprint"),
                                tls == null || Convert.bool(tls, label + " tls"),
                                text(a.option("client"), label + " client"));
                    })
                .property("nodes", "The nodes joined so far.", Session::nodes);
    }

    /** The type of a node. */
    static ApiType<Node> node() {
        return new ApiType<>("Node", Node.class, "An engine on another machine running some of the session's"
                + " tracks; its mix returns on a track of its name.", Node::toString)
                .property("name", "Its name, which its return track has too.", Node::name)
                .property("engine", "Its engine's address, host:port.", Node::address)
                .property("client", "Its netjack2 client on this JACK server.", Node::client)
                .property("tracks", "Its tracks, in the order they were made.", Node::tracks)
                .property("buses", "Its buses, in the order they were made.", Node::buses)
                .property("returnTrack", "The stereo track its mix returns on.", Node::returnTrack)
                .property("latency", "How late its return arrives, samples, as the shared clock measures it; the"
                        + " session delays everything else by it (-1 until measured).", Node::latency)
                .property("returnDelay", "How late its return plays, and the rest of the mix waits for it,"
                        + " samples: a period more than the latency measured (-1 until placed).", Node::returnDelay)
                .property("connected", "Whether this engine reads the node's clock now.", Node::connected)
                .property("losses", "How many times the node's clock went missing since it joined.", Node::losses)
                .property("lateBlocks", "How many blocks of its return came after their time to play (silence"
                        + " instead); the session then places the return later.", Node::lateBlocks)
                .property("lostBlocks", "How many blocks of its return never arrived (netjack2 dropped a period"
                        + " either way, or the clock was lost): silence instead.", Node::lostBlocks);
    }

    private static Value required(Arguments a, String option, String label) {
        Value value = a.option(option);
        if (value == null || value.isNull()) {
            throw new desk.session.DeskException(label + ": needs {" + option + "}");
        }
        return value;
    }

    private static String text(Value value, String label) {
        return value == null || value.isNull() ? null : Convert.text(value, label);
    }
}
