package desk.session;

import java.util.ArrayList;
import java.util.List;

/**
 * A bus: a group bus (sums tracks routed to it, for shared processing and one fader), an aux bus (a return
 * fed by sends, typically for a shared effect), or the stereo master.
 * <p>
 * Output ports: the master has its own ({@code desk:master_out_1/2} on JACK, connected to the first two
 * playback ports at start), and a group or aux bus gets its own with a direct out ({@code desk:<bus>_out_1},
 * and {@code _2} for a stereo bus), which carry its signal after the fader and mute, channel to channel,
 * whatever its output, its balance, the master or solo do. Scripts connect these ports to the interface's
 * playback ports or other clients' inputs. Only JACK has ports per bus: elsewhere a direct out carries
 * nothing, and the setting and the connections are only kept, so a session made for JACK runs anywhere.
 * <p>
 * Threads: the session's control thread.
 */
public final class Bus extends Strip {
    /** What a bus is for. */
    public enum Kind {
        /** Sums the strips routed to it. */
        GROUP,
        /** Returns the sends aimed at it. */
        AUX,
        /** The master bus. */
        MASTER;

        /** The name scripts use: "group", "aux" or "master". */
        public String scriptName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private boolean directOut;

    Bus(Session session, int id, String name, Kind kind, int channels, Bus output) {
        super(session, id, name, channels, output);
        this.kind = kind;
    }

    /** What the bus is for. */
    public Kind kind() {
        return kind;
    }

    /** Whether the bus has a direct out (the master never has one: it has output ports of its own). */
    public boolean directOut() {
        return directOut;
    }

    /**
     * Turns the direct out on (ports of the bus's own, carrying its signal after the fader and mute) or off
     * (the signal fades out, then the ports go with their connections). Refused on the master.
     */
    public void directOut(boolean on) {
        checkLive();
        if (kind == Kind.MASTER) {
            throw new DeskException("master.directOut: the master has output ports of its own always: connect them"
                    + " with master.connectOut");
        }
        if (on == directOut) {
            return;
        }
        if (on) {
            session.ports().addDirectOut(this);
        } else {
            session.ports().removeDirectOut(this);
        }
        directOut = on;
    }

    /** The full names of the bus's own output ports, one per channel; none without them (or off JACK). */
    public List<String> ports() {
        checkLive();
        return hasPorts() ? session.ports().busPorts(this) : List.of();
    }

    /** What each of the bus's own output ports feeds: one list of port names per channel; none without them. */
    public List<List<String>> connections() {
        checkLive();
        return hasPorts() ? session.ports().connections(this) : List.of();
    }

    /**
     * Connects the bus's own output ports to {@code ports}, one per channel (null leaves a channel alone), in
     * addition to what they feed; every name is checked before any connection is made.
     */
    public void connectOut(List<String> ports) {
        String label = name() + ".connectOut";
        requirePorts(label);
        if (ports == null || ports.size() != channels()) {
            throw new DeskException(label + " needs " + channels() + " port name" + (channels() == 1 ? "" : "s")
                    + " (one per channel, null for none), got " + (ports == null ? "none" : ports.size()));
        }
        for (String port : ports) {
            if (port != null) {
                session.ports().checkOutputPort(port, label);
            }
        }
        List<List<String>> before = session.ports().connections(this);
        List<Integer> made = new ArrayList<>();
        try {
            for (int c = 0; c < channels(); c++) {
                if (ports.get(c) != null && !before.get(c).contains(ports.get(c))) {
                    session.ports().connectOutput(this, c, ports.get(c));
                    made.add(c);
                }
            }
        } catch (DeskException e) {
            for (int c : made) {
                session.ports().disconnectOutput(this, c, ports.get(c));
            }
            throw e;
        }
    }

    /** Disconnects the bus's own output ports from {@code port}, or from every port (null). */
    public void disconnectOut(String port) {
        String label = name() + ".disconnectOut";
        requirePorts(label);
        List<List<String>> fed = session.ports().connections(this);
        if (port != null && fed.stream().noneMatch(channel -> channel.contains(port))) {
            List<String> all = fed.stream().flatMap(List::stream).distinct().toList();
            throw new DeskException(label + " " + Session.describe(port) + ": " + name() + " feeds "
                    + (all.isEmpty() ? "no port" : String.join(", ", all)));
        }
        for (int c = 0; c < channels(); c++) {
            if (port == null ? !fed.get(c).isEmpty() : fed.get(c).contains(port)) {
                session.ports().disconnectOutput(this, c, port);
            }
        }
    }

    private boolean hasPorts() {
        return kind == Kind.MASTER || directOut;
    }

    private void requirePorts(String label) {
        checkLive();
        if (!hasPorts()) {
            throw new DeskException(label + ": " + name() + " has no direct out: set " + name()
                    + ".directOut = true first");
        }
    }

    @Override
    public String toString() {
        String shape = StripText.width(channels()) + (directOut ? ", direct out" : "") + ")";
        String label = switch (kind) {
            case GROUP -> "Bus " + name() + " (group, " + shape;
            case AUX -> "Bus " + name() + " (aux, " + shape;
            case MASTER -> "Master (stereo)";
        };
        return label + " " + StripText.settings(this);
    }

    /** As {@link Strip#replaySettings}, then the bus's direct out, if it has one. */
    @Override
    void replaySettings() {
        super.replaySettings();
        if (directOut) {
            session.ports().addDirectOut(this);
        }
    }
}
