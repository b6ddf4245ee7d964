package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.AudioInterface;
import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.backend.JackBackend;
import desk.engine.insert.NativeCalls;
import desk.engine.meter.MeterPoint;
import desk.engine.record.Take;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine process: the engine on a JACK server in a JVM of its own, driven by the REPL over a Unix domain
 * socket that the REPL listens on. It connects to the JACK server (waiting for one with {@code --wait}),
 * then to the socket, and answers one request per line ({@link Protocol}) until the REPL closes the socket.
 * When the JACK server goes, it says so in an event and exits, so that a fresh process can reconnect.
 * <p>
 * Exit status: 0 when the REPL closed the socket, {@value #EXIT_NO_SERVER} when no JACK server answered,
 * {@value #EXIT_SERVER_GONE} when the server went away, {@value #EXIT_PARENT_GONE} when the process that
 * started it (the REPL) ended first, 1 on any other failure.
 * <p>
 * It outlives no REPL and no terminal signal stops it: the REPL starts it in a session of its own (so the
 * terminal's Ctrl-C and Ctrl-Z go to the REPL alone), it ignores SIGINT besides, and it ends as soon as the
 * process that started it ({@code --parent PID}) has gone, however that ended (even SIGKILL), also while it
 * waits for a server; it does not start at all when that process has gone already.
 * <p>
 * The requests a live session sends all the time (parameter changes and the position, transport, meter,
 * disk and xrun queries) are answered by {@link SteadyRequests} without allocating, so that the engine
 * process, once warmed up, collects no garbage while playing; the others are read with Jackson. Lines are
 * read and answers written through reused buffers ({@link LineChannel}), a request line of at most
 * {@link LineChannel#MAX_LINE_BYTES} (1 MiB); a longer one is refused in one line and ends the connection. The
 * serving itself needs only an engine, its ports and a byte channel, so tests run it in-process.
 * <p>
 * Threads: the main thread reads and answers requests; JACK's threads send events; writes are serialised.
 */
public final class EngineServer {
    /** Exit status when no JACK server answered. */
    public static final int EXIT_NO_SERVER = 3;
    /** Exit status when the JACK server went away. */
    public static final int EXIT_SERVER_GONE = 4;
    /** Exit status when the process that started the engine ended first. */
    public static final int EXIT_PARENT_GONE = 5;
    private static final long WAIT_STEP_FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int WAIT_STEP_MOST_MILLISECONDS = 100;
    /** How often the engine looks whether the process that started it is still there. */
    private static final long PARENT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Engine engine;
    private final AudioInterface backend;
    private final LineChannel lines;
    private final SteadyRequests steady;
    private final ReplyBuffer reply = new ReplyBuffer();
    /** What the desk leaves with an engine on the network, or null for an engine process of one desk. */
    private final KeptState kept;

    /** A server of {@code engine}, whose ports are {@code backend}, to the peer at the other end of {@code channel}. */
    EngineServer(Engine engine, AudioInterface backend, ByteChannel channel) {
        this(engine, backend, new LineChannel(channel), null);
    }

    /**
     * A server of {@code engine} to the desk at the other end of {@code lines}, which may leave its session's
     * state in {@code kept} (null: an engine process of one desk, which ends with it). With {@code kept}, a
     * connection that breaks ends only this serving: the engine plays on for the next desk.
     */
    EngineServer(Engine engine, AudioInterface backend, LineChannel lines, KeptState kept) {
        this.engine = engine;
        this.backend = backend;
        this.lines = lines;
        this.steady = new SteadyRequests(engine, backend);
        this.kept = kept;
    }

    /** {@code --socket PATH [--jack-server NAME] [--client NAME] [--wait] [--parent PID]}. */
    public static void main(String[] args) {
        Path socket = null;
        String server = null;
        String client = JackBackend.DEFAULT_CLIENT_NAME;
        boolean wait = false;
        long parentPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[++i]);
                case "--jack-server" -> server = args[++i];
                case "--client" -> client = args[++i];
                case "--wait" -> wait = true;
                case "--parent" -> parentPid = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("engine: unknown argument " + args[i]);
                    System.exit(1);
                }
            }
        }
        if (socket == null) {
            System.err.println("engine: needs --socket PATH");
            System.exit(1);
        }
        Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        endWith(parentPid < 0 ? ProcessHandle.current().parent() : ProcessHandle.of(parentPid));
        try {
            NativeCalls.open(socket.resolveSibling(NativeCalls.FILE));
        } catch (IOException e) {
            System.err.println("engine: cannot keep track of plugins' native calls: " + e.getMessage());
        }
        JackBackend<Engine> backend = connect(client, server, wait);
        int status = 0;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            EngineServer engineServer = new EngineServer(backend.engine(), backend, channel);
            backend.onEvent(message -> engineServer.event(message, backend.serverGone()));
            engineServer.serve();
        } catch (IOException | RuntimeException e) {
            System.err.println("engine: " + e);
            status = 1;
        } finally {
            backend.close();
        }
        Runtime.getRuntime().halt(status);
    }

    /**
     * Ends this process (exit {@value #EXIT_PARENT_GONE}) as soon as {@code parent} has gone, checking every
     * 100 ms on a thread of its own; at once if it has gone already.
     */
    static void endWith(Optional<ProcessHandle> parent) {
        if (parent.isEmpty() || !parent.get().isAlive()) {
            Runtime.getRuntime().halt(EXIT_PARENT_GONE);
        }
        Thread watchdog = new Thread(() -> {
            while (parent.get().isAlive()) {
                LockSupport.parkNanos(PARENT_CHECK_NANOS);
            }
            Runtime.getRuntime().halt(EXIT_PARENT_GONE);
        }, "desk-engine-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * A JACK client; with {@code wait}, tries again until a server answers: after 10 ms, then twice as long
     * each time up to every {@value #WAIT_STEP_MOST_MILLISECONDS} ms, so a server that comes back is found
     * within that of answering.
     */
    static JackBackend<Engine> connect(String client, String server, boolean wait) {
        long step = WAIT_STEP_FIRST_NANOS;
        while (true) {
            try {
                return JackBackend.open(client, server, null, Engine::new);
            } catch (EngineException e) {
                if (!wait) {
                    System.err.println("engine: " + e.getMessage());
                    System.exit(EXIT_NO_SERVER);
                }
                LockSupport.parkNanos(step);
                step = Math.min(2 * step, TimeUnit.MILLISECONDS.toNanos(WAIT_STEP_MOST_MILLISECONDS));
            }
        }
    }

    /**
     * Answers requests until the peer closes the channel. A request line longer than
     * {@link LineChannel#MAX_LINE_BYTES} gets one error answer saying so (also written to the log), and the
     * channel is closed, which ends the serving as the peer closing it would.
     */
    void serve() throws IOException {
        try {
            answerRequests();
        } catch (LineChannel.TooLong e) {
            String refusal = "request refused: " + e.getMessage() + "; closing the connection";
            System.err.println("engine: " + refusal);
            write(Protocol.JSON.createObjectNode().put("error", refusal));
            try {
                lines.send(reply.bytes(), reply.length());
            } finally {
                lines.close();
            }
        }
    }

    private void answerRequests() throws IOException {
        while (lines.readLine()) {
            reply.clear();
            try {
                if (!steady.answer(lines.line(), lines.length(), reply)) {
                    JsonNode request = Protocol.JSON.readTree(lines.text());
                    write(Protocol.JSON.createObjectNode().set("ok", answer(request)));
                }
            } catch (EngineException e) {
                write(Protocol.JSON.createObjectNode().put("error", e.getMessage()));
            } catch (RuntimeException e) {
                write(Protocol.JSON.createObjectNode().put("error", "engine process: " + e));
            }
            lines.send(reply.bytes(), reply.length());
        }
    }

    /** Makes {@code message} the reply, in place of anything written so far. */
    private void write(JsonNode message) {
        byte[] bytes = line(message);
        reply.clear().bytes(bytes, bytes.length);
    }

    private static byte[] line(JsonNode message) {
        return (Protocol.line(message) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode answer(JsonNode request) {
        Operation operation = Operation.named(request.path("op").asText());
        return switch (operation) {
            case EXECUTE -> {
                EngineCommand command = Protocol.command(request);
                engine.execute(command);
                if (kept != null) {
                    kept.applied(command);
                }
                backend.refreshLatency();
                yield null;
            }
            case METER -> Protocol.JSON.valueToTree(engine.meter(request.path("strip").asInt(),
                    MeterPoint.valueOf(request.path("point").asText())));
            case STRIP_LATENCY -> Protocol.JSON.valueToTree(engine.stripLatency(request.path("strip").asInt()));
            case CLOCK -> Protocol.JSON.valueToTree(engine.clock());
            case INSERT -> Protocol.JSON.valueToTree(engine.insert(request.path("insert").asInt()));
            case INSERT_STATE -> Protocol.JSON.valueToTree(engine.insertState(request.path("insert").asInt()));
            case POSITION -> Protocol.JSON.valueToTree(engine.position());
            case TRANSPORT -> Protocol.JSON.valueToTree(engine.transport());
            case DISK -> Protocol.JSON.valueToTree(engine.disk());
            case FAILURES -> Protocol.JSON.valueToTree(engine.failures());
            case LAST_FAILURE -> Protocol.JSON.valueToTree(engine.lastFailure() == null ? null
                    : String.valueOf(engine.lastFailure()));
            case SAMPLE_RATE -> Protocol.JSON.valueToTree(engine.sampleRate());
            case CAPTURE_PORTS -> Protocol.JSON.valueToTree(engine.capturePorts());
            case MIDI_EVENTS, MIDI_LATEST -> Protocol.midiReport(engine.midiEvents(operation == Operation.MIDI_EVENTS));
            case ADD_MIDI_PORT -> Protocol.JSON.valueToTree(backend.midiPorts().add(request.path("place").asInt(),
                    request.path("name").asText(), request.path("output").asBoolean()));
            case REMOVE_MIDI_PORT -> {
                backend.midiPorts().remove(request.path("place").asInt(), request.path("output").asBoolean());
                yield null;
            }
            case MIDI_OTHERS -> Protocol.JSON.valueToTree(backend.midiPorts().others(request.path("senders").asBoolean()));
            case CONNECT_MIDI -> {
                backend.midiPorts().connect(request.path("place").asInt(), request.path("output").asBoolean(),
                        request.path("port").asText());
                yield null;
            }
            case DESCRIBE -> Protocol.JSON.valueToTree(backend.describe());
            case INPUTS -> Protocol.JSON.valueToTree(backend.inputs());
            case OUTPUTS -> Protocol.JSON.valueToTree(backend.outputs());
            case CONNECTIONS -> Protocol.JSON.valueToTree(backend.connections(request.path("bus").asInt()));
            case ADD_TRACK -> {
                backend.addTrack(request.path("track").asInt(), request.path("name").asText(),
                        request.path("channels").asInt());
                keptPorts(true, request.path("track").asInt(), true);
                yield null;
            }
            case RENAME_TRACK -> {
                backend.renameTrack(request.path("track").asInt(), request.path("name").asText());
                yield null;
            }
            case REMOVE_TRACK -> {
                backend.removeTrack(request.path("track").asInt());
                keptPorts(true, request.path("track").asInt(), false);
                yield null;
            }
            case CHECK_INPUT -> {
                backend.checkInput(request.path("port").asText());
                yield null;
            }
            case CONNECT_INPUT -> Protocol.JSON.valueToTree(backend.connectInput(request.path("track").asInt(),
                    request.path("channel").asInt(), request.path("port").isNull() ? null
                            : request.path("port").asText()));
            case LATENCY -> Protocol.JSON.valueToTree(backend.latency());
            case XRUNS -> Protocol.JSON.valueToTree(backend.xruns());
            case BUS_PORTS -> Protocol.JSON.valueToTree(backend.busPorts(request.path("bus").asInt()));
            case ADD_DIRECT_OUT -> {
                int[] channels = backend.addDirectOut(request.path("bus").asInt(), request.path("name").asText(),
                        request.path("channels").asInt());
                keptPorts(false, request.path("bus").asInt(), channels.length > 0);
                yield Protocol.JSON.valueToTree(channels);
            }
            case RENAME_DIRECT_OUT -> {
                backend.renameDirectOut(request.path("bus").asInt(), request.path("name").asText());
                yield null;
            }
            case REMOVE_DIRECT_OUT -> {
                backend.removeDirectOut(request.path("bus").asInt());
                keptPorts(false, request.path("bus").asInt(), false);
                yield null;
            }
            case CHECK_OUTPUT -> {
                backend.checkOutput(request.path("port").asText());
                yield null;
            }
            case CONNECT_OUTPUT -> {
                backend.connectOutput(request.path("bus").asInt(), request.path("channel").asInt(),
                        request.path("port").asText());
                yield null;
            }
            case DISCONNECT_OUTPUT -> {
                backend.disconnectOutput(request.path("bus").asInt(), request.path("channel").asInt(),
                        request.path("port").isNull() ? null : request.path("port").asText());
                yield null;
            }
            case ALLOCATION -> throw new EngineException("allocation takes no arguments");
            case HELLO -> throw new EngineException("hello comes once, first, and only to an engine on the network");
            case KEEP -> {
                keptState().keep(request.path("desk").asText(), request.path("serial").asLong(),
                        request.path("chunk").asInt(), request.path("of").asInt(), request.path("text").asText());
                yield null;
            }
            case KEPT -> Protocol.JSON.valueToTree(keptState().chunk(request.path("chunk").asInt()));
        };
    }

    /** Notes ports made or taken away, on an engine that keeps what desks made. */
    private void keptPorts(boolean track, int id, boolean made) {
        if (kept != null) {
            kept.ports(track, id, made);
        }
    }

    private KeptState keptState() {
        if (kept == null) {
            throw new EngineException("an engine process of one desk keeps no session state: it ends with the desk");
        }
        return kept;
    }

    /**
     * Passes an event of the backend to the REPL. When the JACK server has gone, it first closes a take still
     * recording, then says so with the transport sample the audio stopped at, and exits.
     */
    void event(String message, boolean serverGone) {
        ObjectNode event = Protocol.JSON.createObjectNode().put("event", message);
        event.put("serverGone", serverGone);
        if (serverGone) {
            event.put("transport", finishTakes());
        }
        send(event);
        if (serverGone) {
            Runtime.getRuntime().halt(EXIT_SERVER_GONE);
        }
    }

    /**
     * Ends a take still recording and waits (2 s at most) until its files hold everything the audio thread
     * captured and are closed, so a lost server loses no recorded sample. Returns the transport sample the
     * audio stopped at: for a take, the one after the last it captured, so that one resumed there goes on
     * seamlessly.
     */
    private long finishTakes() {
        boolean recording = engine.disk().recording();
        int closedBefore = engine.disk().finished().size();
        engine.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (engine.disk().recording() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        List<Take.Result> closed = engine.disk().finished();
        long end = -1;
        for (Take.Result take : recording ? closed.subList(closedBefore, closed.size()) : List.<Take.Result>of()) {
            end = Math.max(end, take.captured() + take.frames());
        }
        return end >= 0 ? end : engine.transport().position();
    }

    /**
     * Sends {@code message} to the desk. A broken connection ends an engine process of one desk; an engine on
     * the network closes it, which ends this serving, and plays on.
     */
    void send(JsonNode message) {
        byte[] bytes = line(message);
        try {
            lines.send(bytes, bytes.length);
        } catch (IOException e) {
            if (kept == null) {
                Runtime.getRuntime().halt(1);
            }
            close();
        }
    }

    /** Closes the connection, which ends {@link #serve} once its read sees it. */
    void close() {
        try {
            lines.close();
        } catch (IOException ignored) {
            // closing a broken connection: nothing more to do
        }
    }
}
