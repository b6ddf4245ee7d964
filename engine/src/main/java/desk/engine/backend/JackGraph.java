package desk.engine.backend;

import desk.engine.EngineException;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The JACK server's port graph as Desk's client sees it: the other clients' audio ports, checks of a port
 * name against them, connections made and read, and the physical ports' latencies. A connection changed is
 * in the server's graph only from the next cycle, so a read after a change first waits for one.
 * <p>
 * Threads: the control thread (calls serialised by the backend's owner); never the audio thread.
 */
final class JackGraph {
    /** How long a refused connection is tried again, for a client that is still becoming active. */
    private static final long ACTIVATION_WAIT_MILLIS = 200;

    private final Jack jack;
    private final JackClient client;
    private final long clientPointer;
    private final Runnable awaitCycle;
    private boolean changed;

    /** The graph seen by {@code client} (native handle {@code clientPointer}); {@code awaitCycle} waits one cycle. */
    JackGraph(Jack jack, JackClient client, long clientPointer, Runnable awaitCycle) {
        this.jack = jack;
        this.client = client;
        this.clientPointer = clientPointer;
        this.awaitCycle = awaitCycle;
    }

    /** The other clients' audio ports that send ({@code JackPortIsOutput}) or receive ({@code JackPortIsInput}). */
    List<String> foreignPorts(JackPortFlags direction) {
        String own = client.getName() + ":";
        try {
            List<String> names = new ArrayList<>();
            for (String name : jack.getPorts(client, null, JackPortType.AUDIO, EnumSet.of(direction))) {
                if (!name.startsWith(own)) {
                    names.add(name);
                }
            }
            return names;
        } catch (JackException e) {
            throw new EngineException("JACK: cannot list the server's ports");
        }
    }

    /**
     * Why server {@code serverName} refused port {@code name}: with the audio ports it holds and the {@code own}
     * of them that are Desk's, as a refused port almost always means the server's limit on ports (jackd's
     * --port-max) or on one client's.
     */
    EngineException refusedPort(String serverName, String name, int own) {
        String held;
        try {
            held = "it holds " + jack.getPorts(client, null, JackPortType.AUDIO, EnumSet.noneOf(JackPortFlags.class)).length
                    + " audio ports, " + own + " of them Desk's";
        } catch (JackException e) {
            held = "Desk holds " + own + " of its ports";
        }
        return new EngineException("JACK server \"" + serverName + "\" refused to make port " + name + ": " + held
                + ", and takes no more (start jackd with a larger --port-max; one client may hold at most what"
                + " libjack was built for, 2048 in jackd2)");
    }

    /** Refuses a name that is not another client's output port, listing the ones there are. */
    void checkInput(String port) {
        List<String> available = foreignPorts(JackPortFlags.JackPortIsOutput);
        if (!available.contains(port)) {
            throw new EngineException("input port \"" + port + "\": the JACK server has no such output port"
                    + (available.isEmpty() ? " (it has none)" : "; it has " + summary(available)));
        }
    }

    /** Refuses one of Desk's own ports, or a name that is not another client's input port. */
    void checkOutput(String port) {
        if (port.startsWith(client.getName() + ":")) {
            throw new EngineException("output port \"" + port + "\" is one of Desk's own ports: route inside the"
                    + " session, with outputs and sends");
        }
        List<String> available = foreignPorts(JackPortFlags.JackPortIsInput);
        if (!available.contains(port)) {
            throw new EngineException("output port \"" + port + "\": the JACK server has no such input port"
                    + (available.isEmpty() ? " (it has none)" : "; it has " + summary(available)));
        }
    }

    /** Connects another client's output {@code from} to Desk's input {@code own} (after any connection it had is cut). */
    void connectInput(long ownHandle, String own, String from) {
        JackNative.jack_port_disconnect(clientPointer, ownHandle);
        if (from != null && connect(from, own) != 0) {
            throw new EngineException("JACK refused to connect " + from + " to " + own);
        }
    }

    /**
     * Connects {@code from} to {@code to}; returns JACK's status. JACK refuses ports of a client that has made
     * them but is not active yet, a moment every new player or recorder goes through, so a refusal between two
     * ports that exist is tried again a few times over {@value #ACTIVATION_WAIT_MILLIS} ms before it stands.
     */
    private int connect(String from, String to) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACTIVATION_WAIT_MILLIS);
        int status = JackNative.jack_connect(clientPointer, from, to);
        if (status == 0 || JackNative.jack_port_by_name(clientPointer, from) == 0
                || JackNative.jack_port_by_name(clientPointer, to) == 0) {
            return status;
        }
        while (status != 0 && status != JackNative.ALREADY_CONNECTED && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            status = JackNative.jack_connect(clientPointer, from, to);
        }
        return status;
    }

    /** Connects Desk's output port {@code own} to {@code port}, which must be another client's input. */
    void connectOutput(String own, String port) {
        checkOutput(port);
        int status = connect(own, port);
        if (status != 0 && status != JackNative.ALREADY_CONNECTED) {
            throw new EngineException("JACK refused to connect " + own + " to " + port);
        }
        changed = true;
    }

    /** Disconnects Desk's output port {@code own} from {@code port}, or from everything for null. */
    void disconnectOutput(String own, String port) {
        if (port == null) {
            JackNative.jack_port_disconnect(clientPointer, JackNative.jack_port_by_name(clientPointer, own));
        } else {
            JackNative.jack_disconnect(clientPointer, own, port);
        }
        changed = true;
    }

    /** The ports {@code port} is connected to, as the server's graph has them. */
    List<String> connectionsOf(String port) {
        if (changed) {
            awaitCycle.run();
            changed = false;
        }
        try {
            return List.of(jack.getAllConnections(client, port));
        } catch (JackException e) {
            throw new EngineException("JACK: cannot read the connections of " + port);
        }
    }

    /** Latency range [min, max] over the physical ports with {@code flag}, in {@code mode}. */
    int[] latencyOf(JackPortFlags flag, int mode) {
        int[] result = {0, 0};
        int[] range = new int[2];
        boolean first = true;
        try {
            for (String name : jack.getPorts(client, null, JackPortType.AUDIO,
                    EnumSet.of(flag, JackPortFlags.JackPortIsPhysical))) {
                long port = JackNative.jack_port_by_name(clientPointer, name);
                if (port == 0) {
                    continue;
                }
                JackNative.jack_port_get_latency_range(port, mode, range);
                result[0] = first ? range[0] : Math.min(result[0], range[0]);
                result[1] = first ? range[1] : Math.max(result[1], range[1]);
                first = false;
            }
        } catch (JackException e) {
            throw new EngineException("JACK: cannot read the ports' latency");
        }
        return result;
    }

    private static String summary(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
    }
}
