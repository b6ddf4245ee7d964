package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.AudioInterface;
import desk.engine.DiskState;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.EngineLink;
import desk.engine.ClockReading;
import desk.engine.InsertReading;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.TransportState;
import desk.engine.backend.JackPresence;
import desk.engine.insert.NativeCalls;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import desk.engine.midi.MidiReport;
import desk.engine.midi.MidiPorts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine in a process of its own ({@link EngineServer}) on a JACK server, as an {@link EngineLink} and
 * the {@link AudioInterface} of its ports: started by this link, spoken to over a Unix domain socket, and
 * supervised.
 * <p>
 * When the JACK server goes away, or the engine process dies, the link says so in one event, keeps the
 * session (commands meanwhile reach no engine: the session's model holds them; queries answer from what was
 * last known, the transport included) and starts a new engine process that waits for the server. Once one
 * has connected, the next {@link #maintain} on the control thread has the session replay its current state
 * into it (the function given to {@link #onReconnect}: the state, not the history, so a session that has run
 * for hours comes back as fast as a new one), puts back the connections of the master's and the direct
 * outs' ports, and says so in an event. {@link #reconnect} does the same at once.
 * <p>
 * Threads: the control methods on the session's control thread, serialised; events are delivered on the
 * link's own threads (the reconnection's on the control thread); {@link #xruns}, {@link #latency} and
 * {@link #allocation} on any thread.
 */
public sealed class RemoteEngineLink implements EngineLink, AudioInterface, AutoCloseable permits NetworkEngineLink {
    final String serverLabel;
    private final EngineCommandLine commandLine;
    private final EngineFolder folder;
    private final PortMirror ports = new PortMirror();
    private final MidiPorts midiPorts = new RemoteMidiPorts(this, request -> call(request, () -> null));
    private final Object lostLock = new Object();
    volatile EngineProcess live;
    /** A fresh engine process that has connected but not yet been given the session. */
    volatile EngineProcess pending;
    volatile Runnable replay;
    /** The transport sample the last engine lost stopped at, as it said, or -1. */
    private volatile long positionAtLoss = -1;
    private final AtomicInteger lostInside = new AtomicInteger();
    private volatile TransportState lastTransport = new TransportState(false, 0, 0);
    volatile Consumer<String> events = message -> { };
    volatile boolean closed;
    private volatile boolean restartAsked;
    private volatile int sampleRate;
    private volatile Latency lastLatency;
    private volatile List<String> lastInputs = List.of();
    private volatile List<String> lastOutputs = List.of();
    private volatile long xrunsBefore;
    private volatile long lastXruns;
    private final Reconnector reconnector = new Reconnector(this);
    private int launches;
    long requests;
    /** How many times a fresh engine process has been given the session. */
    volatile long reconnections;

    private RemoteEngineLink(String jackServer, String clientName, List<String> jvmOptions) throws IOException {
        this(JackPresence.serverLabel(jackServer),
                new EngineCommandLine(jackServer, clientName, jvmOptions));
    }

    /** A link that names its engine {@code serverLabel} in what it says, and starts engines with {@code commandLine}. */
    RemoteEngineLink(String serverLabel, EngineCommandLine commandLine) throws IOException {
        this.serverLabel = serverLabel;
        this.commandLine = commandLine;
        this.folder = EngineFolder.create();
    }

    /**
     * Starts an engine process on the JACK server {@code jackServer} (null: the default) as client
     * {@code clientName} and connects to it. Throws {@link EngineException} with the engine's one line
     * when no server answers.
     */
    public static RemoteEngineLink start(String jackServer, String clientName) {
        return start(jackServer, clientName, List.of());
    }

    /**
     * As {@link #start(String, String)}, with {@code jvmOptions} added to the engine process's JVM options
     * (after Desk's own, before those of {@code DESK_ENGINE_JAVA_OPTS}), e.g. to log its garbage collections.
     */
    public static RemoteEngineLink start(String jackServer, String clientName, List<String> jvmOptions) {
        RemoteEngineLink link;
        try {
            link = new RemoteEngineLink(jackServer, clientName, jvmOptions);
        } catch (IOException e) {
            throw new EngineException("cannot make a folder for the engine's socket: " + e.getMessage());
        }
        try {
            link.adopt(link.launch(false));
        } catch (EngineException e) {
            link.close();
            throw e;
        }
        return link;
    }

    /** Receives one line per event: the server went away or came back, the engine restarted, buffer size changed. */
    public void onEvent(Consumer<String> listener) {
        events = listener;
    }

    @Override
    public long positionAtLoss() {
        return positionAtLoss;
    }

    @Override
    public int lostInsideInsert() {
        return lostInside.getAndSet(0);
    }

    /** True while an engine process is connected. */
    @Override
    public boolean connected() {
        return live != null;
    }

    /** The engine process's id while one is connected, else -1. */
    public long enginePid() {
        EngineProcess connection = live;
        return connection == null ? -1 : connection.pid();
    }

    /**
     * Starts a fresh engine process now and waits up to {@code timeoutMillis} until the session is in it (the
     * control loop's {@link #maintain} replays it); returns one line saying how that went. Not on the control
     * thread, which must stay free to take its turn.
     */
    public String reconnect(long timeoutMillis) {
        long before = reconnections;
        EngineProcess connection = live;
        if (connection != null) {
            restartAsked = true;
            connection.kill();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (reconnections != before) {
                return "reconnected to " + engineName();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return engineName() + " does not answer yet: Desk reconnects as soon as it does";
    }

    @Override
    public synchronized void onReconnect(Runnable replay) {
        this.replay = replay;
    }

    /**
     * If a fresh engine process has connected since the last call, gives it the session: the function given to
     * {@link #onReconnect} replays the session's state into it, then the connections of the master's and the
     * direct outs' ports are put back as they were; an event says how that went. Returns whether it did.
     */
    @Override
    public synchronized boolean maintain() {
        EngineProcess fresh = pending;
        if (fresh == null) {
            return false;
        }
        pending = null;
        Map<Integer, List<List<String>>> connectionsBefore = ports.forget();
        try {
            adopt(fresh);
        } catch (EngineException e) {
            fresh.kill();
            return false;
        }
        long before = requests;
        List<String> refusals = new ArrayList<>();
        if (replay != null) {
            try {
                replay.run();
            } catch (RuntimeException e) {
                refusals.add(e.getMessage());
            }
        }
        ports.restore(connectionsBefore, this, refusals);
        reconnections++;
        events.accept("reconnected to JACK server \"" + serverLabel + "\": session replayed (" + (requests - before)
                + " requests)" + (refusals.isEmpty() ? "" : "; refused: " + String.join("; ", refusals)));
        return true;
    }

    // ------------------------------------------------------------------ the engine link

    @Override
    public synchronized void execute(EngineCommand command) {
        ObjectNode request = Protocol.execute(command);
        call(request, () -> null);
    }

    @Override
    public synchronized MeterReading meter(int stripId, MeterPoint point) {
        return ask(Protocol.request(Operation.METER).put("strip", stripId).put("point", point.name()),
                MeterReading.class, MeterReading.silence());
    }

    @Override
    public synchronized int stripLatency(int stripId) {
        return ask(Protocol.request(Operation.STRIP_LATENCY).put("strip", stripId), Integer.class, 0);
    }

    @Override
    public synchronized ClockReading clock() {
        return ask(Protocol.request(Operation.CLOCK), ClockReading.class, ClockReading.NONE);
    }

    @Override
    public synchronized InsertReading insert(int insertId) {
        return ask(Protocol.request(Operation.INSERT).put("insert", insertId), InsertReading.class,
                new InsertReading(0, Double.NaN));
    }

    @Override
    public synchronized String insertState(int insertId) {
        return ask(Protocol.request(Operation.INSERT_STATE).put("insert", insertId), String.class, null);
    }

    @Override
    public synchronized MidiReport midiEvents(boolean all) {
        JsonNode answer = call(Protocol.request(all ? Operation.MIDI_EVENTS : Operation.MIDI_LATEST), () -> null);
        return answer == null ? MidiReport.NONE : Protocol.midiReport(answer);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int capturePorts() {
        return Limits.MAX_CAPTURE_PORTS;
    }

    @Override
    public synchronized long position() {
        return ask(Protocol.request(Operation.POSITION), Long.class, 0L);
    }

    @Override
    public synchronized DiskState disk() {
        return ask(Protocol.request(Operation.DISK), DiskState.class, new DiskState(false, List.of(), List.of(), 0));
    }

    @Override
    public synchronized TransportState transport() {
        lastTransport = ask(Protocol.request(Operation.TRANSPORT), TransportState.class, lastTransport);
        return lastTransport;
    }

    @Override
    public synchronized long failures() {
        return ask(Protocol.request(Operation.FAILURES), Long.class, 0L);
    }

    @Override
    public synchronized Throwable lastFailure() {
        JsonNode answer = call(Protocol.request(Operation.LAST_FAILURE), () -> null);
        return answer == null || answer.isNull() ? null : new EngineException(answer.asText());
    }

    /** The engine process's allocation figures (asking allocates nothing there), or null while none answers. */
    public synchronized EngineAllocation allocation() {
        return ask(Protocol.request(Operation.ALLOCATION), EngineAllocation.class, null);
    }

    /** The answer to {@code request} read as a {@code type}, or {@code whenDown} while no engine answers. */
    private <T> T ask(ObjectNode request, Class<T> type, T whenDown) {
        JsonNode answer = call(request, () -> null);
        return answer == null ? whenDown : Protocol.read(answer, type);
    }

    // ------------------------------------------------------------------ the audio interface

    @Override
    public synchronized String describe() {
        JsonNode answer = call(Protocol.request(Operation.DESCRIBE), () -> null);
        return answer == null ? engineName() + " (out of reach: Desk reconnects when it is back)"
                : answer.asText() + ", " + engineWhere();
    }

    @Override
    public synchronized List<String> inputs() {
        JsonNode answer = call(Protocol.request(Operation.INPUTS), () -> null);
        lastInputs = answer == null ? lastInputs : Protocol.strings(answer);
        return lastInputs;
    }

    @Override
    public synchronized List<String> outputs() {
        JsonNode answer = call(Protocol.request(Operation.OUTPUTS), () -> null);
        lastOutputs = answer == null ? lastOutputs : Protocol.strings(answer);
        return lastOutputs;
    }

    @Override
    public MidiPorts midiPorts() {
        return midiPorts;
    }

    @Override
    public synchronized void addTrack(int trackId, String name, int channels) {
        ports.checkTrackRoom(name, channels);
        call(Protocol.request(Operation.ADD_TRACK).put("track", trackId).put("name", name).put("channels", channels),
                () -> null);
        ports.addTrack(trackId, channels);
    }

    @Override
    public synchronized void renameTrack(int trackId, String name) {
        call(Protocol.request(Operation.RENAME_TRACK).put("track", trackId).put("name", name), () -> null);
    }

    @Override
    public synchronized void removeTrack(int trackId) {
        call(Protocol.request(Operation.REMOVE_TRACK).put("track", trackId), () -> null);
        ports.removeTrack(trackId);
    }

    @Override
    public synchronized void checkInput(String port) {
        call(Protocol.request(Operation.CHECK_INPUT).put("port", port), () -> {
            if (!lastInputs.contains(port)) {
                throw new EngineException("input port \"" + port + "\": the JACK server is gone and had no such"
                        + " output port");
            }
            return null;
        });
    }

    @Override
    public synchronized int connectInput(int trackId, int channel, String port) {
        int slot = ports.inputSlot(trackId, channel);
        call(Protocol.request(Operation.CONNECT_INPUT).put("track", trackId).put("channel", channel).put("port", port),
                () -> null);
        return slot;
    }

    @Override
    public synchronized List<String> busPorts(int busId) {
        JsonNode answer = call(Protocol.request(Operation.BUS_PORTS).put("bus", busId), () -> null);
        if (answer != null) {
            ports.busPorts(busId, Protocol.strings(answer));
        }
        return ports.busPorts(busId);
    }

    @Override
    public synchronized int[] addDirectOut(int busId, String name, int channels) {
        ports.checkDirectOutRoom(busId, name, channels);
        call(Protocol.request(Operation.ADD_DIRECT_OUT).put("bus", busId).put("name", name).put("channels", channels),
                () -> null);
        return ports.addDirectOut(busId, channels);
    }

    @Override
    public synchronized void renameDirectOut(int busId, String name) {
        call(Protocol.request(Operation.RENAME_DIRECT_OUT).put("bus", busId).put("name", name), () -> null);
    }

    @Override
    public synchronized void removeDirectOut(int busId) {
        call(Protocol.request(Operation.REMOVE_DIRECT_OUT).put("bus", busId), () -> null);
        ports.removeDirectOut(busId);
    }

    @Override
    public synchronized void checkOutput(String port) {
        call(Protocol.request(Operation.CHECK_OUTPUT).put("port", port), () -> {
            if (!lastOutputs.contains(port)) {
                throw new EngineException("output port \"" + port + "\": the JACK server is gone and had no such"
                        + " input port");
            }
            return null;
        });
    }

    @Override
    public synchronized List<List<String>> connections(int busId) {
        JsonNode answer = call(Protocol.request(Operation.CONNECTIONS).put("bus", busId), () -> null);
        if (answer != null) {
            ports.connections(busId, Protocol.lists(answer));
        }
        List<List<String>> known = ports.connections(busId);
        if (known == null) {
            throw new EngineException("bus " + busId + " has no output ports");
        }
        return known;
    }

    @Override
    public synchronized List<List<String>> knownConnections(int busId) {
        List<List<String>> known = ports.connections(busId);
        return known == null ? List.of() : known;
    }

    @Override
    public synchronized void connectOutput(int busId, int channel, String port) {
        call(Protocol.request(Operation.CONNECT_OUTPUT).put("bus", busId).put("channel", channel).put("port", port),
                () -> null);
        ports.remember(busId, channel, port, true);
    }

    @Override
    public synchronized void disconnectOutput(int busId, int channel, String port) {
        call(Protocol.request(Operation.DISCONNECT_OUTPUT).put("bus", busId).put("channel", channel)
                .put("port", port), () -> null);
        ports.remember(busId, channel, port, false);
    }

    @Override
    public Latency latency() {
        EngineProcess connection = live;
        if (connection != null) {
            synchronized (this) {
                lastLatency = ask(Protocol.request(Operation.LATENCY), Latency.class, lastLatency);
            }
        }
        return lastLatency;
    }

    @Override
    public long xruns() {
        EngineProcess connection = live;
        if (connection != null) {
            synchronized (this) {
                JsonNode answer = call(Protocol.request(Operation.XRUNS), () -> null);
                if (answer != null) {
                    lastXruns = answer.asLong();
                }
            }
        }
        return xrunsBefore + lastXruns;
    }

    /** Stops the engine process (it leaves the JACK server) and reconnecting; removes the {@link EngineFolder}. */
    @Override
    public void close() {
        closed = true;
        reconnector.stop();
        EngineProcess[] connections = {live, pending};
        live = null;
        pending = null;
        for (EngineProcess connection : connections) {
            if (connection != null) {
                connection.shutDown();
            }
        }
        try {
            folder.delete();
        } catch (IOException e) {
            events.accept("could not clean up " + folder.path() + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ talking to the process

    /** The answer to {@code request}; while no engine answers, what {@code whenDown} gives. */
    JsonNode call(ObjectNode request, Supplier<JsonNode> whenDown) {
        EngineProcess connection = live;
        if (connection != null) {
            requests++;
            try {
                return connection.call(request);
            } catch (EngineProcess.Down down) {
                lost(connection, null, -1);
            }
        }
        return whenDown.get();
    }


    void adopt(EngineProcess connection) {
        JsonNode rate;
        try {
            rate = connection.call(Protocol.request(Operation.SAMPLE_RATE));
            lastInputs = Protocol.strings(connection.call(Protocol.request(Operation.INPUTS)));
            lastOutputs = Protocol.strings(connection.call(Protocol.request(Operation.OUTPUTS)));
            lastLatency = Protocol.read(connection.call(Protocol.request(Operation.LATENCY)), Latency.class);
            ports.connections(NodeIds.MASTER_ID, Protocol.lists(connection.call(Protocol.request(Operation.CONNECTIONS)
                    .put("bus", NodeIds.MASTER_ID))));
        } catch (EngineProcess.Down down) {
            throw new EngineException("the engine process stopped as it started: " + connection.log());
        }
        sampleRate = rate.asInt();
        live = connection;
    }

    /**
     * Handles the loss of {@code connection} once: says so ({@code why}, if known) and starts reconnecting;
     * {@code transport} is where the engine said its audio stopped, or -1.
     */
    private void lost(EngineProcess connection, String why, long transport) {
        synchronized (lostLock) {
            if (live != connection || closed) {
                return;
            }
            positionAtLoss = transport;
            lostInside.set(NativeCalls.read(folder.path().resolve(NativeCalls.FILE)));
            live = null;
            if (!engineOutlivesLink()) {
                xrunsBefore += lastXruns;
                lastXruns = 0;
            }
        }
        connection.kill();
        if (!reportLoss(connection, why)) {
            return;
        }
        reconnector.start();
    }

    /** Where the engine runs, in words, for {@link #describe}. */
    String engineWhere() {
        return "engine in its own process";
    }

    /** The engine, in words: the JACK server it runs on. */
    String engineName() {
        return "JACK server \"" + serverLabel + "\"";
    }

    /** Whether the engine plays on without this link (an engine on the network), so its counts go on too. */
    boolean engineOutlivesLink() {
        return false;
    }

    /**
     * Says that the engine on {@code connection} was lost ({@code why}, if known); returns whether to look for a
     * new one. Called once per loss, on the thread that found it.
     */
    boolean reportLoss(EngineProcess connection, String why) {
        String reason = why != null ? why
                : restartAsked ? "restarting the engine process as asked"
                : "the engine process stopped unexpectedly" + connection.exitStatus();
        restartAsked = false;
        events.accept(reason + ": the session is kept; Desk reconnects and replays it when the server answers"
                + " (:reconnect to try at once)");
        return true;
    }

    /** Starts an engine process and waits until it connects; with {@code wait}, it waits for the JACK server. */
    EngineProcess launch(boolean wait) {
        int launch = ++launches;
        Path socket = folder.path().resolve("engine-" + launch + ".sock");
        Path log = folder.path().resolve("engine-" + launch + ".log");
        return EngineProcess.launch(socket, log, commandLine.command(socket, wait), wait, serverLabel, () -> closed,
                listener());
    }

    /** What hears an engine's events and its loss: this link. */
    EngineProcess.Listener listener() {
        return new EngineProcess.Listener() {
            @Override
            public void event(String line) {
                events.accept(line);
            }

            @Override
            public void lost(EngineProcess process, String why, long transport) {
                RemoteEngineLink.this.lost(process, why, transport);
            }
        };
    }
}
