package desk.session;

import desk.engine.AudioInterface;
import desk.engine.ClockReading;
import desk.engine.ClockRole;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.EngineLink;
import desk.engine.MonitorMode;
import desk.engine.server.NetworkEngineLink;
import desk.engine.server.RemoteEngine;

import java.util.List;

/**
 * A second engine, on another machine whose JACK server netjack2 joins to the main one ({@code jackd -d net}
 * there, {@code netmanager} here), running some of the session's tracks: those made with it
 * ({@link Session#track(String, int, String)}). It is a session of its own on that engine, driven from this
 * desk over the engine's network protocol (TLS and a token, as {@code desk engine --listen}); its tracks,
 * their inserts, sends and buses run there, and its master comes back into the main mix through netjack2 as
 * the node's return: a stereo track of the main session named after the node, reading
 * {@code <client>:from_slave_1} and {@code _2}.
 * <p>
 * The two engines share a sample clock over the third netjack2 channel each way ({@link ClockRole}): the node
 * takes the main engine's sample position and transport block by block, so its tracks play the same timeline,
 * and the main engine measures how late the return arrives. The session declares that latency on the return
 * track ({@link EngineCommand.SetInputLatency}), and the main engine delays everything else by it, as it does
 * for an insert's latency, so the node's tracks stay sample-aligned with the main ones; the return is placed
 * on the timeline by the node's clock ({@link desk.engine.rt.NodeReturn}), one period later than measured, so
 * netjack2 shifting by a period leaves it where it was. Transport, loop, meter resets, the tempo (for inserts
 * synced to note values) and changes scheduled on the timeline reach the node's tracks as the main ones'.
 * <p>
 * Threads: the session's control thread.
 */
public final class Node {
    /** The netjack2 channel, each way, that carries the shared clock; channels 1 and 2 carry the return. */
    public static final int CLOCK_CHANNEL = 3;
    /** How long a measured latency must hold before the return is placed by it, or later by a later one. */
    private static final long SETTLE_NANOS = 200_000_000L;
    /** How long a shorter latency must hold before the return is placed earlier by it. */
    private static final long SHRINK_NANOS = 5_000_000_000L;
    private static final long RECONNECT_NANOS = 2_000_000_000L;

    private final Session main;
    private final String name;
    private final String client;
    private final String address;
    private final NetworkEngineLink link;
    private final Session session;
    private final int mainClockPorts;
    private int nodeClockPorts;
    private Track returnTrack;
    private final int[] returnCaptures = new int[2];
    private int returnLatency = -1;
    private int returnSource = -1;
    private long reportedLosses;
    private boolean lost;
    private boolean reconnected;
    private long nextPortCheck;
    private int measured = -1;
    private int placedFrom = -1;
    private long measuredSince;

    private Node(Session main, String name, String client, String address, NetworkEngineLink link, Session session) {
        this.main = main;
        this.name = name;
        this.client = client;
        this.address = address;
        this.link = link;
        this.session = session;
        this.mainClockPorts = main.newId();
    }

    /**
     * Joins the engine {@code target} as node {@code name} of {@code main}, whose JACK server reaches it as the
     * netjack2 client {@code client}: checks the ports are there, connects, shares the clock both ways and
     * makes the return track. Refused in one line, with nothing made, when any of it fails.
     */
    static Node join(Session main, String name, String client, RemoteEngine target) {
        String label = "node " + name;
        for (int channel = 1; channel <= CLOCK_CHANNEL; channel++) {
            String from = client + ":from_slave_" + channel;
            if (!main.inputs().contains(from)) {
                throw new DeskException(label + ": no port " + from + " here, which netjack2 makes on this JACK"
                        + " server as the node joins: start the node's server with jackd -d net -n " + client + " -C "
                        + CLOCK_CHANNEL + " -P " + CLOCK_CHANNEL + ", and load netmanager on this one (jack_load"
                        + " netmanager)");
            }
        }
        NetworkEngineLink link;
        try {
            link = NetworkEngineLink.connect(target);
        } catch (EngineException e) {
            throw new DeskException(label + ": " + e.getMessage());
        }
        Node node = null;
        try {
            if (link.sampleRate() != main.sampleRate()) {
                throw new DeskException(label + " runs at " + link.sampleRate() + " Hz and this engine at "
                        + main.sampleRate() + " Hz: netjack2 runs both at the main server's rate");
            }
            Session session = new Session(link, link);
            session.followTimeOf(main, name);
            if (link.keptSession() != null) {
                session.takeUp(link.keptSession());
            }
            session.tempo().bpm(main.tempo().bpm());
            node = new Node(main, name, client, target.address(), link, session);
            node.shareClock();
            node.makeReturn();
            session.onReplay(node::followClock);
            return node;
        } catch (RuntimeException e) {
            if (node != null) {
                try {
                    node.unmake();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            link.close();
            throw e instanceof EngineException ? new DeskException(label + ": " + e.getMessage()) : e;
        }
    }

    /** Takes out of the main session what joining made before it failed: the return track and the clock. */
    private void unmake() {
        if (returnTrack != null && !returnTrack.removed) {
            returnTrack.remove();
        }
        dropClock();
    }

    /** Stops the main engine's side of the clock and takes its ports away. */
    private void dropClock() {
        main.execute(new EngineCommand.SetClock(ClockRole.NONE, 0, 0));
        SessionPorts.onInterface(() -> main.audio().removeDirectOut(mainClockPorts));
        SessionPorts.onInterface(() -> main.audio().removeTrack(mainClockPorts));
    }

    /** The node's name, which its return track on the main session carries too. */
    public String name() {
        return name;
    }

    /** The node engine's address, host:port. */
    public String address() {
        return address;
    }

    /** The node's netjack2 client on the main JACK server, e.g. {@code stage2} for {@code stage2:from_slave_1}. */
    public String client() {
        return client;
    }

    /** The node's tracks, in the order they were made. */
    public List<Track> tracks() {
        return session.tracks();
    }

    /** The node's group and aux buses, in the order they were made. */
    public List<Bus> buses() {
        return session.buses();
    }

    /** The stereo track of the main session the node's master returns on. */
    public Track returnTrack() {
        return returnTrack;
    }

    /**
     * How late the node's return arrives against the main engine, in samples, as the shared clock measures it
     * (netjack2's latency in periods, and a period for the way back); -1 until the clock has been read.
     */
    public int latency() {
        return main.link().clock().latency();
    }

    /**
     * How late the return plays, and the rest of the mix waits for it, in samples: a period more than the
     * latency measured when it was placed; -1 until it is placed, 200 ms after the clock is first read.
     */
    public int returnDelay() {
        return returnLatency;
    }

    /**
     * How many blocks of the return, since it was last placed, arrived after their samples had played (netjack2
     * brought them later than the return's delay allows), which played as silence; the session then places the
     * return later.
     */
    public long lateBlocks() {
        return main.link().clock().lateBlocks();
    }

    /**
     * How many blocks of the return, since it was last placed, never arrived (netjack2 dropped a period on the
     * way to the node or back, or the clock was lost), which played as silence.
     */
    public long lostBlocks() {
        return main.link().clock().lostBlocks();
    }

    /** Whether the main engine reads the node's clock now: false while the link or the node is down. */
    public boolean connected() {
        return main.link().clock().locked() && link.connected();
    }

    /** How many times the main engine lost the node's clock since the node joined. */
    public long losses() {
        return main.link().clock().losses();
    }

    /** The node's own session, which its tracks belong to. */
    Session session() {
        return session;
    }

    /** A track on the node, made as {@link Session#track(String, int)} makes one. */
    Track track(String trackName, int channels) {
        return session.track(trackName, channels);
    }

    /**
     * The control loop's turn: the node's session takes its own (reconnecting a lost link, leaving its state
     * with the node engine), and a latency the clock measured anew is declared on the return track.
     */
    void maintain() {
        session.tickAhead(0);
        ClockReading clock = main.link().clock();
        long now = System.nanoTime();
        if (clock.losses() > reportedLosses) {
            reportedLosses = clock.losses();
            lost = true;
            main.notice("node " + name + ": its clock went missing (" + reportedLosses + (reportedLosses == 1
                    ? " time" : " times") + " so far); its return plays silence until it is back");
        } else if (lost && clock.locked()) {
            lost = false;
            reconnected = false;
            main.notice("node " + name + ": back; its return plays again");
        }
        if (!clock.locked()) {
            reconnectWhenBack(now);
            return;
        }
        if (clock.worstLatency() < 0 || returnTrack.removed) {
            return;
        }
        if (clock.worstLatency() != measured) {
            measured = clock.worstLatency();
            measuredSince = now;
        }
        long steady = now - measuredSince;
        boolean first = returnLatency < 0 && steady >= SETTLE_NANOS;
        boolean late = returnLatency >= 0 && measured > returnLatency && steady >= SETTLE_NANOS;
        boolean shorter = returnLatency >= 0 && measured < placedFrom && steady >= SHRINK_NANOS;
        if (first || late || shorter) {
            placedFrom = measured;
            placeReturn(measured + main.audio().latency().bufferFrames());
        }
    }

    /**
     * Every two seconds while the clock is missing and netjack2 has the node's ports on this server (the node
     * or the network came back, and the connections went with the old ports): connects again what lost its
     * connections, the clock and the return on this engine, the clock and the master on the node's.
     */
    private void reconnectWhenBack(long now) {
        if (now < nextPortCheck) {
            return;
        }
        nextPortCheck = now + RECONNECT_NANOS;
        String clockFrom = client + ":from_slave_" + CLOCK_CHANNEL;
        String clockTo = client + ":to_slave_" + CLOCK_CHANNEL;
        if (!main.inputs().contains(clockFrom)) {
            return;
        }
        boolean here = !connected(main.audio(), mainClockPorts, 0, clockTo);
        boolean there = !connected(session.audio(), desk.engine.NodeIds.MASTER_ID, 0, "system:playback_1")
                || !connected(session.audio(), nodeClockPorts, 0, "system:playback_" + CLOCK_CHANNEL);
        try {
            if (here) {
                main.audio().connectInput(mainClockPorts, 0, clockFrom);
                main.audio().connectOutput(mainClockPorts, 0, clockTo);
                for (int c = 0; c < 2; c++) {
                    main.audio().connectInput(returnTrack.id, c, client + ":from_slave_" + (c + 1));
                }
            }
            if (there) {
                for (int c = 0; c < 2; c++) {
                    session.audio().connectOutput(desk.engine.NodeIds.MASTER_ID, c, "system:playback_" + (c + 1));
                }
                session.audio().connectInput(nodeClockPorts, 0, "system:capture_" + CLOCK_CHANNEL);
                session.audio().connectOutput(nodeClockPorts, 0, "system:playback_" + CLOCK_CHANNEL);
            }
            if ((here || there) && !reconnected) {
                reconnected = true;
                main.notice("node " + name + ": its ports are on " + (here && there ? "both servers" : here
                        ? "this server" : "its server") + " again; connected them");
            }
        } catch (EngineException e) {
            main.notice("node " + name + ": its ports are back but would not connect: " + e.getMessage());
        }
    }

    /** Whether output {@code channel} of {@code ports} on {@code audio} is connected to {@code port}. */
    private static boolean connected(AudioInterface audio, int ports, int channel, String port) {
        List<List<String>> connections = SessionPorts.ofInterface(() -> audio.connections(ports));
        return connections.size() > channel && connections.get(channel).contains(port);
    }

    /**
     * Plays the return {@code latency} samples late from now on: a new return source at that latency feeds the
     * return track, which declares it, so the main engine delays the rest to match; the old source goes. The
     * latency is a period more than the worst the clock measured over the last second or two, which absorbs
     * netjack2 moving by a period against this engine; it is placed once that has held for 200 ms, later when
     * returns arrived later than it (for 200 ms), and earlier only after a shorter worst has held for 5 s.
     */
    private void placeReturn(int latency) {
        int source = main.newId();
        main.execute(new EngineCommand.HoldUpdates(true));
        try {
            main.execute(new EngineCommand.CreateNodeReturn(source, returnCaptures, latency));
            for (int c = 0; c < 2; c++) {
                main.execute(new EngineCommand.SetInput(returnTrack.id, c, source, c));
            }
            main.execute(new EngineCommand.SetInputLatency(returnTrack.id, latency));
            if (returnSource >= 0) {
                main.execute(new EngineCommand.RemoveSource(returnSource));
            }
        } finally {
            main.execute(new EngineCommand.HoldUpdates(false));
        }
        main.notice("node " + name + ": its return plays " + latency + " samples ("
                + String.format(java.util.Locale.ROOT, "%.1f", latency * 1000.0 / main.sampleRate())
                + " ms) late; the session delays the rest to match" + (returnLatency < 0 ? ""
                : " (it was " + returnLatency + ")"));
        returnSource = source;
        returnLatency = latency;
    }

    /** Makes the main engine's side of the clock again, after its engine was replaced. */
    void afterMainReplay() {
        leadClock();
        connectReturn();
        returnLatency = -1;
        returnSource = -1;
        placedFrom = -1;
    }

    /** Stops sharing the clock and lets go of the node engine; its tracks play on there with the last state. */
    void leave() {
        dropClock();
        session.leaveWithEngine();
        link.close();
    }

    private void shareClock() {
        nodeClockPorts = session.newId();
        followClock();
        leadClock();
    }

    /** The node's side: reads the main engine's clock on its netjack2 capture channel, echoes its own. */
    private void followClock() {
        clock(session.audio(), session::execute, nodeClockPorts, "system:capture_" + CLOCK_CHANNEL,
                "system:playback_" + CLOCK_CHANNEL, ClockRole.FOLLOW);
    }

    /** The main engine's side: writes its clock towards the node and reads the node's echo. */
    private void leadClock() {
        clock(main.audio(), main::execute, mainClockPorts, client + ":from_slave_" + CLOCK_CHANNEL,
                client + ":to_slave_" + CLOCK_CHANNEL, ClockRole.LEAD);
    }

    private void clock(AudioInterface audio, java.util.function.Consumer<EngineCommand> engine, int ports, String from,
                       String to, ClockRole role) {
        String portName = name + "_clock";
        try {
            audio.addTrack(ports, portName, 1);
            int capture = audio.connectInput(ports, 0, from);
            int playback = audio.addDirectOut(ports, portName, 1)[0];
            audio.connectOutput(ports, 0, to);
            engine.accept(new EngineCommand.SetClock(role, capture, playback));
        } catch (EngineException e) {
            throw new DeskException("node " + name + " clock: " + e.getMessage());
        }
    }

    private void makeReturn() {
        returnTrack = main.track(name, 2);
        returnTrack.input(List.of(client + ":from_slave_1", client + ":from_slave_2"));
        returnTrack.monitoring(MonitorMode.INPUT.scriptName());
        connectReturn();
    }

    /** Finds the capture channels the return track's ports give the engine; it plays silence until placed. */
    private void connectReturn() {
        try {
            for (int c = 0; c < 2; c++) {
                returnCaptures[c] = main.audio().connectInput(returnTrack.id, c, client + ":from_slave_" + (c + 1));
                main.execute(new EngineCommand.SetInput(returnTrack.id, c, desk.engine.NodeIds.NO_NODE, 0));
            }
        } catch (EngineException e) {
            throw new DeskException("node " + name + " return: " + e.getMessage());
        }
    }

    /** The engine link of the node, for tests and the REPL's reports. */
    EngineLink link() {
        return link;
    }

    @Override
    public String toString() {
        int count = tracks().size();
        return "node " + name + " at " + address + " (" + count + (count == 1 ? " track)" : " tracks)");
    }
}
