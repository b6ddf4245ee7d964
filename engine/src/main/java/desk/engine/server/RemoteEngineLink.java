package desk.engine.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.AudioInterface;
import desk.engine.DiskState;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.EngineLink;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.TransportState;
import desk.engine.backend.JackBackend;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import desk.engine.rt.Connection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The engine in a process of its own ({@link EngineServer}) on a JACK server, as an {@link EngineLink} and
 * the {@link AudioInterface} of its ports: started by this link, spoken to over a Unix domain socket, and
 * supervised. Every command and port change that the engine accepted is kept in a journal (a later setting
 * of the same thing replaces the earlier one), so that a fresh engine process can be given the whole
 * session again.
 * <p>
 * When the JACK server goes away, or the engine process dies, the link says so in one event, keeps the
 * session (commands meanwhile go to the journal, queries answer from what was last known) and starts a new
 * engine process that waits for the server; once it is connected the journal is replayed into it, port
 * connections included, and an event says so. {@link #reconnect} does the same at once.
 * <p>
 * Threads: the control methods on the session's control thread, serialised; events are delivered on the
 * link's own threads; {@link #xruns}, {@link #latency} and {@link #allocation} on any thread.
 */
public final class RemoteEngineLink implements EngineLink, AudioInterface, AutoCloseable {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** JVM options of the engine process: a heap that never needs to grow, and the serial collector. */
    private static final List<String> ENGINE_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms256m", "-Xmx256m",
            "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED");

    private final String jackServer;
    private final String serverLabel;
    private final String clientName;
    private final List<String> jvmOptions;
    private final Path folder;
    private final Map<Object, ObjectNode> journal = new LinkedHashMap<>();
    private final boolean[] slotsUsed = new boolean[JackBackend.MAX_INPUT_PORTS];
    private final Map<Integer, int[]> trackSlots = new HashMap<>();
    private final boolean[] outputSlotsUsed = new boolean[JackBackend.MAX_OUTPUT_PORTS];
    private final Map<Integer, int[]> busSlots = new HashMap<>();
    private final Map<Integer, List<String>> lastBusPorts = new HashMap<>();
    private final Map<Integer, List<List<String>>> lastConnections = new HashMap<>();
    private final Object lostLock = new Object();
    private volatile Connection live;
    private volatile Consumer<String> events = message -> { };
    private volatile boolean closed;
    private volatile boolean restartAsked;
    private volatile int sampleRate;
    private volatile Latency lastLatency;
    private volatile List<String> lastInputs = List.of();
    private volatile List<String> lastOutputs = List.of();
    private volatile long xrunsBefore;
    private volatile long lastXruns;
    private volatile Thread supervisor;
    private int launches;

    private RemoteEngineLink(String jackServer, String clientName, List<String> jvmOptions) throws IOException {
        this.jackServer = jackServer;
        this.serverLabel = jackServer != null ? jackServer
                : System.getenv().getOrDefault("JACK_DEFAULT_SERVER", "default");
        this.clientName = clientName;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.folder = Files.createTempDirectory("desk-engine-");
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
            return link;
        } catch (EngineException e) {
            link.close();
            throw e;
        }
    }

    /** Receives one line per event: the server went away or came back, the engine restarted, buffer size changed. */
    public void onEvent(Consumer<String> listener) {
        events = listener;
    }

    /** True while an engine process is connected. */
    public boolean connected() {
        return live != null;
    }

    /** The engine process's id while one is connected, else -1. */
    public long enginePid() {
        Connection connection = live;
        return connection == null ? -1 : connection.process.pid();
    }

    /**
     * Starts a fresh engine process now and replays the session into it, waiting up to {@code timeoutMillis}
     * for it; returns one line saying how that went.
     */
    public String reconnect(long timeoutMillis) {
        Connection connection = live;
        if (connection != null) {
            restartAsked = true;
            connection.process.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            Connection now = live;
            if (now != null && now != connection) {
                return "reconnected to JACK server \"" + serverLabel + "\"";
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return "JACK server \"" + serverLabel + "\" does not answer yet: Desk reconnects as soon as it does";
    }

    // ------------------------------------------------------------------ the engine link

    @Override
    public synchronized void execute(EngineCommand command) {
        ObjectNode request = Protocol.execute(command);
        call(request, () -> null);
        journal(supersedes(command), request);
    }

    @Override
    public synchronized MeterReading meter(int stripId, MeterPoint point) {
        ObjectNode request = Protocol.request(Operation.METER).put("strip", stripId).put("point", point.name());
        JsonNode answer = call(request, () -> null);
        if (answer == null) {
            return MeterReading.silence();
        }
        return read(answer, MeterReading.class);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int capturePorts() {
        return JackBackend.MAX_INPUT_PORTS;
    }

    @Override
    public synchronized long position() {
        JsonNode answer = call(Protocol.request(Operation.POSITION), () -> null);
        return answer == null ? 0 : answer.asLong();
    }

    @Override
    public synchronized DiskState disk() {
        JsonNode answer = call(Protocol.request(Operation.DISK), () -> null);
        return answer == null ? new DiskState(false, List.of(), List.of(), 0) : read(answer, DiskState.class);
    }

    @Override
    public synchronized TransportState transport() {
        JsonNode answer = call(Protocol.request(Operation.TRANSPORT), () -> null);
        return answer == null ? new TransportState(false, 0, 0) : read(answer, TransportState.class);
    }

    @Override
    public synchronized long failures() {
        JsonNode answer = call(Protocol.request(Operation.FAILURES), () -> null);
        return answer == null ? 0 : answer.asLong();
    }

    @Override
    public synchronized Throwable lastFailure() {
        JsonNode answer = call(Protocol.request(Operation.LAST_FAILURE), () -> null);
        return answer == null || answer.isNull() ? null : new EngineException(answer.asText());
    }

    /**
     * What the engine process has allocated since it started, as it counts it: requests answered, process
     * callbacks run and the bytes their thread allocated, the bytes allocated by the thread that answers
     * requests and by the whole process. Immutable; any thread.
     */
    public record Allocation(long requests, long callbacks, long audioThreadBytes, long serverThreadBytes,
                             long processBytes) {
    }

    /** The engine process's allocation figures (asking allocates nothing there), or null while none answers. */
    public synchronized Allocation allocation() {
        JsonNode answer = call(Protocol.request(Operation.ALLOCATION), () -> null);
        return answer == null ? null : read(answer, Allocation.class);
    }

    // ------------------------------------------------------------------ the audio interface

    @Override
    public synchronized String describe() {
        JsonNode answer = call(Protocol.request(Operation.DESCRIBE), () -> null);
        return answer == null ? "JACK server \"" + serverLabel + "\" (gone: Desk reconnects when it is back)"
                : answer.asText() + ", engine in its own process";
    }

    @Override
    public synchronized List<String> inputs() {
        JsonNode answer = call(Protocol.request(Operation.INPUTS), () -> null);
        if (answer != null) {
            lastInputs = strings(answer);
        }
        return lastInputs;
    }

    @Override
    public synchronized List<String> outputs() {
        JsonNode answer = call(Protocol.request(Operation.OUTPUTS), () -> null);
        if (answer != null) {
            lastOutputs = strings(answer);
        }
        return lastOutputs;
    }

    @Override
    public synchronized void addTrack(int trackId, String name, int channels) {
        int free = 0;
        for (boolean used : slotsUsed) {
            free += used ? 0 : 1;
        }
        if (free < channels) {
            throw new EngineException("track " + name + ": no room for " + channels + " more input port"
                    + (channels == 1 ? "" : "s") + " (at most " + JackBackend.MAX_INPUT_PORTS + " in all)");
        }
        ObjectNode request = Protocol.request(Operation.ADD_TRACK).put("track", trackId).put("name", name)
                .put("channels", channels);
        call(request, () -> null);
        int[] slots = new int[channels];
        int made = 0;
        for (int p = 0; p < slotsUsed.length && made < channels; p++) {
            if (!slotsUsed[p]) {
                slotsUsed[p] = true;
                slots[made++] = p;
            }
        }
        trackSlots.put(trackId, slots);
        journal(null, request);
    }

    @Override
    public synchronized void renameTrack(int trackId, String name) {
        ObjectNode request = Protocol.request(Operation.RENAME_TRACK).put("track", trackId).put("name", name);
        call(request, () -> null);
        journal(List.of(Operation.RENAME_TRACK, trackId), request);
    }

    @Override
    public synchronized void removeTrack(int trackId) {
        ObjectNode request = Protocol.request(Operation.REMOVE_TRACK).put("track", trackId);
        call(request, () -> null);
        int[] slots = trackSlots.remove(trackId);
        if (slots != null) {
            for (int slot : slots) {
                slotsUsed[slot] = false;
            }
        }
        journal(null, request);
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
        int[] slots = trackSlots.get(trackId);
        if (slots == null || channel < 0 || channel >= slots.length) {
            throw new EngineException("track " + trackId + " has no JACK port for channel " + (channel + 1));
        }
        ObjectNode request = Protocol.request(Operation.CONNECT_INPUT).put("track", trackId).put("channel", channel)
                .put("port", port);
        call(request, () -> null);
        journal(List.of(Operation.CONNECT_INPUT, trackId, channel), request);
        return slots[channel];
    }

    @Override
    public synchronized List<String> busPorts(int busId) {
        JsonNode answer = call(Protocol.request(Operation.BUS_PORTS).put("bus", busId), () -> null);
        if (answer != null) {
            lastBusPorts.put(busId, strings(answer));
        }
        return lastBusPorts.getOrDefault(busId, List.of());
    }

    @Override
    public synchronized int[] addDirectOut(int busId, String name, int channels) {
        int free = 0;
        for (boolean used : outputSlotsUsed) {
            free += used ? 0 : 1;
        }
        if (busSlots.containsKey(busId)) {
            throw new EngineException("bus " + name + " has a direct out already");
        }
        if (free < channels) {
            throw new EngineException("bus " + name + ": no room for " + channels + " more output port"
                    + (channels == 1 ? "" : "s") + " (at most " + JackBackend.MAX_OUTPUT_PORTS + " in all)");
        }
        ObjectNode request = Protocol.request(Operation.ADD_DIRECT_OUT).put("bus", busId).put("name", name)
                .put("channels", channels);
        call(request, () -> null);
        int[] playbackChannels = new int[channels];
        int[] slots = new int[channels];
        int made = 0;
        for (int p = 0; p < outputSlotsUsed.length && made < channels; p++) {
            if (!outputSlotsUsed[p]) {
                outputSlotsUsed[p] = true;
                playbackChannels[made] = Limits.FIRST_DIRECT_OUT + p;
                slots[made++] = p;
            }
        }
        busSlots.put(busId, slots);
        List<List<String>> none = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            none.add(List.of());
        }
        lastConnections.put(busId, List.copyOf(none));
        journal(null, request);
        return playbackChannels;
    }

    @Override
    public synchronized void renameDirectOut(int busId, String name) {
        ObjectNode request = Protocol.request(Operation.RENAME_DIRECT_OUT).put("bus", busId).put("name", name);
        call(request, () -> null);
        journal(List.of(Operation.RENAME_DIRECT_OUT, busId), request);
    }

    @Override
    public synchronized void removeDirectOut(int busId) {
        ObjectNode request = Protocol.request(Operation.REMOVE_DIRECT_OUT).put("bus", busId);
        call(request, () -> null);
        int[] slots = busSlots.remove(busId);
        if (slots != null) {
            for (int slot : slots) {
                outputSlotsUsed[slot] = false;
            }
        }
        lastBusPorts.remove(busId);
        lastConnections.remove(busId);
        journal.keySet().removeIf(key -> key instanceof List<?> entry && entry.size() > 1 && entry.get(1).equals(busId)
                && List.of("output", "outputAll", "renameDirectOut").contains(entry.get(0)));
        journal(null, request);
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
            lastConnections.put(busId, lists(answer));
        }
        List<List<String>> known = lastConnections.get(busId);
        if (known == null) {
            throw new EngineException("bus " + busId + " has no output ports");
        }
        return known;
    }

    @Override
    public synchronized void connectOutput(int busId, int channel, String port) {
        ObjectNode request = Protocol.request(Operation.CONNECT_OUTPUT).put("bus", busId).put("channel", channel)
                .put("port", port);
        call(request, () -> null);
        remember(busId, channel, port, true);
        journal(List.of("output", busId, channel, port), request);
    }

    @Override
    public synchronized void disconnectOutput(int busId, int channel, String port) {
        ObjectNode request = Protocol.request(Operation.DISCONNECT_OUTPUT).put("bus", busId).put("channel", channel)
                .put("port", port);
        call(request, () -> null);
        remember(busId, channel, port, false);
        if (port == null) {
            journal.keySet().removeIf(key -> key instanceof List<?> entry && entry.size() == 4
                    && entry.get(0).equals("output") && entry.get(1).equals(busId) && entry.get(2).equals(channel));
            journal(List.of("outputAll", busId, channel), request);
        } else {
            journal(List.of("output", busId, channel, port), request);
        }
    }

    /** Follows a connection made ({@code connected}) or undone (from every port when {@code port} is null). */
    private void remember(int busId, int channel, String port, boolean connected) {
        List<List<String>> known = lastConnections.get(busId);
        if (known == null || channel < 0 || channel >= known.size()) {
            return;
        }
        List<String> fed = new ArrayList<>(known.get(channel));
        if (connected && !fed.contains(port)) {
            fed.add(port);
        } else if (!connected) {
            fed.removeIf(name -> port == null || port.equals(name));
        }
        List<List<String>> next = new ArrayList<>(known);
        next.set(channel, List.copyOf(fed));
        lastConnections.put(busId, List.copyOf(next));
    }

    @Override
    public Latency latency() {
        Connection connection = live;
        if (connection != null) {
            synchronized (this) {
                JsonNode answer = call(Protocol.request(Operation.LATENCY), () -> null);
                if (answer != null) {
                    lastLatency = read(answer, Latency.class);
                }
            }
        }
        return lastLatency;
    }

    @Override
    public long xruns() {
        Connection connection = live;
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

    /** Stops the engine process (it leaves the JACK server) and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        Thread watcher = supervisor;
        if (watcher != null) {
            watcher.interrupt();
        }
        Connection connection = live;
        live = null;
        if (connection != null) {
            connection.shutDown();
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            events.accept("could not clean up " + folder + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the journal

    /** What a command replaces in the journal when it is a later setting of the same thing, or null. */
    private static Object supersedes(EngineCommand command) {
        return switch (command) {
            case EngineCommand.SetParameter c -> List.of("SetParameter", c.nodeId(), c.parameter());
            case EngineCommand.SetPolarity c -> List.of("SetPolarity", c.stripId());
            case EngineCommand.SetOutput c -> List.of("SetOutput", c.stripId());
            case EngineCommand.SetDirectOut c -> List.of("SetDirectOut", c.busId());
            case EngineCommand.SetInput c -> List.of("SetInput", c.trackId(), c.channel());
            case EngineCommand.SetMetering ignored -> List.of("SetMetering");
            case EngineCommand.SetLoop ignored -> List.of("SetLoop");
            default -> null;
        };
    }

    private void journal(Object key, ObjectNode request) {
        Object entry = key == null ? new Object() : key;
        journal.remove(entry);
        journal.put(entry, request);
    }

    /** Sends the whole journal to a fresh engine; returns the refusals, one line each. */
    private List<String> replay(Connection connection) throws Down {
        List<String> refusals = new ArrayList<>();
        for (ObjectNode request : journal.values()) {
            try {
                connection.call(request);
            } catch (EngineException e) {
                refusals.add(e.getMessage());
            }
        }
        return refusals;
    }

    // ------------------------------------------------------------------ talking to the process

    /** Thrown inside the link when the engine process cannot answer. */
    private static final class Down extends Exception {
        Down() {
            super(null, null, false, false);
        }
    }

    /** The answer to {@code request}; while no engine answers, what {@code whenDown} gives. */
    private JsonNode call(ObjectNode request, DownAnswer whenDown) {
        Connection connection = live;
        if (connection != null) {
            try {
                return connection.call(request);
            } catch (Down down) {
                lost(connection, null);
            }
        }
        return whenDown.answer();
    }

    /** What a request gives while no engine process answers. */
    @FunctionalInterface
    private interface DownAnswer {
        JsonNode answer();
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        try {
            return Protocol.JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new EngineException("the engine process answered something unreadable: " + e.getOriginalMessage());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asText()));
        return List.copyOf(names);
    }

    /** A list of lists of names, such as the connections of a bus's ports. */
    private static List<List<String>> lists(JsonNode array) {
        List<List<String>> lists = new ArrayList<>();
        array.forEach(names -> lists.add(strings(names)));
        return List.copyOf(lists);
    }

    private void adopt(Connection connection) {
        JsonNode rate;
        try {
            rate = connection.call(Protocol.request(Operation.SAMPLE_RATE));
            lastInputs = strings(connection.call(Protocol.request(Operation.INPUTS)));
            lastOutputs = strings(connection.call(Protocol.request(Operation.OUTPUTS)));
            lastLatency = read(connection.call(Protocol.request(Operation.LATENCY)), Latency.class);
            lastConnections.put(NodeIds.MASTER_ID, lists(connection.call(Protocol.request(Operation.CONNECTIONS)
                    .put("bus", NodeIds.MASTER_ID))));
        } catch (Down down) {
            throw new EngineException("the engine process stopped as it started: " + connection.log());
        }
        sampleRate = rate.asInt();
        live = connection;
    }

    /** Starts an engine process and waits until it connects; with {@code wait}, it waits for the JACK server. */
    private Connection launch(boolean wait) {
        Path socket = folder.resolve("engine-" + (++launches) + ".sock");
        Path log = folder.resolve("engine-" + launches + ".log");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            listener.configureBlocking(false);
            Process process = new ProcessBuilder(command(socket, wait)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (true) {
                SocketChannel channel = listener.accept();
                if (channel != null) {
                    channel.configureBlocking(true);
                    return new Connection(process, channel, log);
                }
                if (!process.isAlive()) {
                    throw new EngineException(process.exitValue() == EngineServer.EXIT_NO_SERVER
                            ? "no JACK server \"" + serverLabel + "\" is running"
                            : "the engine process stopped as it started (exit " + process.exitValue() + "): "
                            + lastLine(log));
                }
                if (closed || Thread.currentThread().isInterrupted() || (!wait && System.nanoTime() > deadline)) {
                    process.destroyForcibly();
                    throw new EngineException("the engine process did not start in time");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (IOException e) {
            throw new EngineException("cannot start the engine process: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // a leftover socket file in our own temporary folder goes with the folder on close
            }
        }
    }

    private List<String> command(Path socket, boolean wait) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ENGINE_JVM_OPTIONS);
        command.addAll(jvmOptions);
        String extra = System.getenv("DESK_ENGINE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(Arrays.asList(extra.strip().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineServer.class.getName(),
                "--socket", socket.toString(), "--client", clientName));
        if (jackServer != null) {
            command.addAll(List.of("--jack-server", jackServer));
        }
        if (wait) {
            command.add("--wait");
        }
        return command;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(it said nothing)" : lines.getLast();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Handles the loss of {@code connection} once: says so and starts reconnecting. */
    private void lost(Connection connection, String serverMessage) {
        synchronized (lostLock) {
            if (live != connection || closed) {
                return;
            }
            live = null;
            xrunsBefore += lastXruns;
            lastXruns = 0;
        }
        connection.process.destroyForcibly();
        String why = serverMessage != null ? serverMessage
                : restartAsked ? "restarting the engine process as asked"
                : "the engine process stopped unexpectedly" + connection.exitStatus();
        restartAsked = false;
        events.accept(why + ": the session is kept; Desk reconnects and replays it when the server answers"
                + " (:reconnect to try at once)");
        Thread thread = new Thread(this::reconnectLoop, "desk-engine-supervisor");
        thread.setDaemon(true);
        supervisor = thread;
        thread.start();
    }

    /** Starts engine processes until one connects, then replays the session into it. */
    private void reconnectLoop() {
        while (!closed) {
            Connection connection;
            try {
                connection = launch(true);
            } catch (EngineException e) {
                if (closed) {
                    return;
                }
                events.accept("engine process: " + e.getMessage() + "; trying again");
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            List<String> refusals;
            int entries;
            synchronized (this) {
                try {
                    refusals = replay(connection);
                    entries = journal.size();
                    adopt(connection);
                } catch (Down | EngineException e) {
                    connection.process.destroyForcibly();
                    continue;
                }
            }
            if (closed) {
                connection.shutDown();
                return;
            }
            events.accept("reconnected to JACK server \"" + serverLabel + "\": session replayed (" + entries
                    + " settings)" + (refusals.isEmpty() ? "" : "; refused: " + String.join("; ", refusals)));
            return;
        }
    }

    /** One engine process and the socket to it. Threads: calls serialised by the link; one reader thread. */
    private final class Connection {
        final Process process;
        private final SocketChannel channel;
        private final Path log;
        private final Writer out;
        private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
        private volatile boolean dead;

        Connection(Process process, SocketChannel channel, Path log) {
            this.process = process;
            this.channel = channel;
            this.log = log;
            this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> read(in), "desk-engine-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read(BufferedReader in) {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode message = Protocol.JSON.readTree(line);
                    if (message.has("event")) {
                        if (message.path("serverGone").asBoolean()) {
                            dead = true;
                            lost(this, message.path("event").asText());
                            return;
                        }
                        events.accept(message.path("event").asText());
                    } else {
                        answers.add(message);
                    }
                }
            } catch (IOException e) {
                // the process went away: handled below
            }
            dead = true;
            lost(this, null);
        }

        /** The engine's answer; an {@link EngineException} for a refusal; {@link Down} if it cannot answer. */
        JsonNode call(ObjectNode request) throws Down {
            if (dead) {
                throw new Down();
            }
            try {
                out.write(Protocol.line(request));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new Down();
            }
            long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
            while (true) {
                JsonNode answer;
                try {
                    answer = answers.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Down();
                }
                if (answer != null) {
                    if (answer.has("error")) {
                        throw new EngineException(answer.path("error").asText());
                    }
                    return answer.get("ok");
                }
                if (dead) {
                    throw new Down();
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new Down();
                }
            }
        }

        String exitStatus() {
            try {
                if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                    return " (exit " + process.exitValue() + ")";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "";
        }

        String log() {
            return lastLine(log);
        }

        /** Closes the socket, which ends the engine process, and waits for it briefly. */
        void shutDown() {
            dead = true;
            try {
                channel.close();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
