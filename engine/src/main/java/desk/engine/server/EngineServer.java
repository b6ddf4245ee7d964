package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.Engine;
import desk.engine.EngineException;
import desk.engine.MeterPoint;
import desk.engine.backend.JackBackend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine process: the engine on a JACK server in a JVM of its own, driven by the REPL over a Unix domain
 * socket that the REPL listens on. It connects to the JACK server (waiting for one with {@code --wait}),
 * then to the socket, and answers one request per line ({@link Protocol}) until the REPL closes the socket.
 * When the JACK server goes, it says so in an event and exits, so that a fresh process can reconnect.
 * <p>
 * Exit status: 0 when the REPL closed the socket, {@value #EXIT_NO_SERVER} when no JACK server answered,
 * {@value #EXIT_SERVER_GONE} when the server went away, 1 on any other failure.
 * <p>
 * Threads: the main thread reads and answers requests; JACK's threads send events; writes are serialised.
 */
public final class EngineServer {
    /** Exit status when no JACK server answered. */
    public static final int EXIT_NO_SERVER = 3;
    /** Exit status when the JACK server went away. */
    public static final int EXIT_SERVER_GONE = 4;
    private static final long WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final JackBackend backend;
    private final Engine engine;
    private final Writer out;

    private EngineServer(JackBackend backend, Writer out) {
        this.backend = backend;
        this.engine = backend.engine();
        this.out = out;
    }

    /** {@code --socket PATH [--jack-server NAME] [--client NAME] [--wait]}. */
    public static void main(String[] args) throws IOException {
        Path socket = null;
        String server = null;
        String client = JackBackend.DEFAULT_CLIENT_NAME;
        boolean wait = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[++i]);
                case "--jack-server" -> server = args[++i];
                case "--client" -> client = args[++i];
                case "--wait" -> wait = true;
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
        JackBackend backend = connect(client, server, wait);
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        BufferedReader in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8);
        EngineServer engineServer = new EngineServer(backend, out);
        backend.onEvent(engineServer::event);
        int status = 0;
        try {
            engineServer.serve(in);
        } catch (IOException e) {
            status = 1;
        } finally {
            backend.close();
        }
        Runtime.getRuntime().halt(status);
    }

    /** A JACK client; with {@code wait}, tries again every 200 ms until a server answers. */
    private static JackBackend connect(String client, String server, boolean wait) {
        while (true) {
            try {
                return JackBackend.open(client, server, null);
            } catch (EngineException e) {
                if (!wait) {
                    System.err.println("engine: " + e.getMessage());
                    System.exit(EXIT_NO_SERVER);
                }
                LockSupport.parkNanos(WAIT_STEP_NANOS);
            }
        }
    }

    private void serve(BufferedReader in) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            ObjectNode answer = Protocol.JSON.createObjectNode();
            try {
                answer.set("ok", answer(Protocol.JSON.readTree(line)));
            } catch (EngineException e) {
                answer.put("error", e.getMessage());
            } catch (RuntimeException e) {
                answer.put("error", "engine process: " + e);
            }
            send(answer);
        }
    }

    private JsonNode answer(JsonNode request) {
        String op = request.path("op").asText();
        return switch (op) {
            case "execute" -> {
                engine.execute(Protocol.command(request));
                yield null;
            }
            case "meter" -> Protocol.JSON.valueToTree(engine.meter(request.path("strip").asInt(),
                    MeterPoint.valueOf(request.path("point").asText())));
            case "position" -> Protocol.JSON.valueToTree(engine.position());
            case "transport" -> Protocol.JSON.valueToTree(engine.transport());
            case "disk" -> Protocol.JSON.valueToTree(engine.disk());
            case "failures" -> Protocol.JSON.valueToTree(engine.failures());
            case "lastFailure" -> Protocol.JSON.valueToTree(engine.lastFailure() == null ? null
                    : String.valueOf(engine.lastFailure()));
            case "sampleRate" -> Protocol.JSON.valueToTree(engine.sampleRate());
            case "capturePorts" -> Protocol.JSON.valueToTree(engine.capturePorts());
            case "describe" -> Protocol.JSON.valueToTree(backend.describe());
            case "inputs" -> Protocol.JSON.valueToTree(backend.inputs());
            case "outputs" -> Protocol.JSON.valueToTree(backend.outputs());
            case "connections" -> Protocol.JSON.valueToTree(backend.connections(request.path("bus").asInt()));
            case "addTrack" -> {
                backend.addTrack(request.path("track").asInt(), request.path("name").asText(),
                        request.path("channels").asInt());
                yield null;
            }
            case "renameTrack" -> {
                backend.renameTrack(request.path("track").asInt(), request.path("name").asText());
                yield null;
            }
            case "removeTrack" -> {
                backend.removeTrack(request.path("track").asInt());
                yield null;
            }
            case "checkInput" -> {
                backend.checkInput(request.path("port").asText());
                yield null;
            }
            case "connectInput" -> Protocol.JSON.valueToTree(backend.connectInput(request.path("track").asInt(),
                    request.path("channel").asInt(), request.path("port").isNull() ? null
                            : request.path("port").asText()));
            case "latency" -> Protocol.JSON.valueToTree(backend.latency());
            case "xruns" -> Protocol.JSON.valueToTree(backend.xruns());
            case "busPorts" -> Protocol.JSON.valueToTree(backend.busPorts(request.path("bus").asInt()));
            case "addDirectOut" -> Protocol.JSON.valueToTree(backend.addDirectOut(request.path("bus").asInt(),
                    request.path("name").asText(), request.path("channels").asInt()));
            case "renameDirectOut" -> {
                backend.renameDirectOut(request.path("bus").asInt(), request.path("name").asText());
                yield null;
            }
            case "removeDirectOut" -> {
                backend.removeDirectOut(request.path("bus").asInt());
                yield null;
            }
            case "checkOutput" -> {
                backend.checkOutput(request.path("port").asText());
                yield null;
            }
            case "connectOutput" -> {
                backend.connectOutput(request.path("bus").asInt(), request.path("channel").asInt(),
                        request.path("port").asText());
                yield null;
            }
            case "disconnectOutput" -> {
                backend.disconnectOutput(request.path("bus").asInt(), request.path("channel").asInt(),
                        request.path("port").isNull() ? null : request.path("port").asText());
                yield null;
            }
            default -> throw new EngineException("unknown request \"" + op + "\"");
        };
    }

    /** Passes an event of the backend to the REPL; when the JACK server has gone, exits after saying so. */
    private void event(String message) {
        ObjectNode event = Protocol.JSON.createObjectNode().put("event", message);
        event.put("serverGone", backend.serverGone());
        send(event);
        if (backend.serverGone()) {
            Runtime.getRuntime().halt(EXIT_SERVER_GONE);
        }
    }

    private void send(JsonNode message) {
        synchronized (out) {
            try {
                out.write(Protocol.line(message));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                Runtime.getRuntime().halt(1);
            }
        }
    }
}
