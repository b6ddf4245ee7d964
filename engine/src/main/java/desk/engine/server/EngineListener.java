package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.Engine;
import desk.engine.EngineException;
import desk.engine.backend.JackBackend;
import desk.engine.backend.JackPresence;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine on its own on a machine, on its JACK server, listening on the network for the desk that drives
 * it ({@code desk engine --listen HOST:PORT}): the shape for an audio machine by the stage driven from a
 * laptop. It speaks the engine process's protocol ({@link Protocol}) over TCP, with TLS ({@link EngineIdentity})
 * unless told otherwise on a loopback address, and admits a desk only with its token: the first line on a
 * connection must be a {@code hello} that carries it (compared in constant time); a wrong one is refused,
 * counted and logged. A listen beyond the loopback address without TLS is refused at start.
 * <p>
 * One desk drives it at a time. A second desk is refused unless it asks to take over, and then the first is
 * told in an event and let go; the same desk coming back after its link dropped replaces its old connection.
 * When a desk's connection ends, however it ends, the engine plays on with what it has and waits for the next;
 * the desk leaves its session's state here ({@link KeptState}) so that the next one takes it up where it is.
 * When the JACK server goes, the engine ends, as an engine process does.
 * <p>
 * Exit status: {@value #EXIT_REFUSED} when its options are refused, {@link EngineServer#EXIT_NO_SERVER} when
 * no JACK server answered, {@link EngineServer#EXIT_SERVER_GONE} when the server went away,
 * {@link EngineServer#EXIT_PARENT_GONE} when the process given with {@code --parent} ended.
 * <p>
 * Threads: the main thread accepts connections; each connection has a thread of its own for its hello and its
 * requests; JACK's threads send events to the desk that drives the engine.
 */
public final class EngineListener {
    /** Exit status when the options are refused (a listen beyond loopback without TLS, a short token). */
    public static final int EXIT_REFUSED = 2;
    /** The shortest token taken, in characters. */
    public static final int MIN_TOKEN_CHARS = 16;
    /** The version of the protocol a desk's hello must name. */
    static final int PROTOCOL_VERSION = 1;
    /** How long a new connection has to say hello, milliseconds. */
    private static final int HELLO_MILLIS = 10_000;

    private final Engine engine;
    private final String token;
    private final KeptState kept = new KeptState();
    private final AtomicLong refused = new AtomicLong();
    private final Object control = new Object();
    private volatile Desk driver;

    /** The desk that drives the engine: its serving, its id, where it connected from and since when. */
    private record Desk(EngineServer server, String id, String from, LocalTime since) {
        String describe() {
            return "a desk from " + from + " since " + since.truncatedTo(ChronoUnit.SECONDS);
        }
    }

    private EngineListener(Engine engine, String token) {
        this.engine = engine;
        this.token = token;
    }

    /**
     * {@code --listen HOST:PORT [--token TOKEN] [--no-tls] [--identity DIR] [--jack-server NAME] [--client NAME]
     * [--parent PID]}; the token may also come from {@code DESK_ENGINE_TOKEN}, and one is made when neither
     * gives it.
     */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (EngineException e) {
            System.err.println("desk engine: " + e.getMessage());
            Runtime.getRuntime().halt(EXIT_REFUSED);
            return;
        }
        Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        if (options.parent() >= 0) {
            EngineServer.endWith(ProcessHandle.of(options.parent()));
        }
        ServerSocket listening;
        String security;
        try {
            if (options.tls()) {
                EngineIdentity identity = EngineIdentity.open(options.identity());
                listening = identity.serverSockets().createServerSocket();
                ((javax.net.ssl.SSLServerSocket) listening).setEnabledProtocols(new String[]{"TLSv1.3"});
                security = "TLS 1.3, certificate sha256 " + identity.fingerprint();
            } else {
                listening = new ServerSocket();
                security = "no TLS (loopback only)";
            }
            listening.setReuseAddress(true);
            listening.bind(options.address());
        } catch (IOException | EngineException e) {
            System.err.println("desk engine: cannot listen on " + options.label() + ": " + e.getMessage());
            Runtime.getRuntime().halt(EXIT_REFUSED);
            return;
        }
        JackBackend<Engine> backend = EngineServer.connect(options.client(), options.jackServer(), false);
        EngineListener listener = new EngineListener(backend.engine(), options.token());
        backend.onEvent(message -> listener.event(message, backend.serverGone()));
        System.out.println("desk engine: on JACK server \"" + options.serverLabel() + "\" as client \""
                + options.client() + "\", " + backend.engine().sampleRate() + " Hz");
        String host = options.address().getAddress() instanceof java.net.Inet6Address
                ? "[" + options.address().getHostString() + "]" : options.address().getHostString();
        System.out.println("desk engine: listening on " + host + ":" + listening.getLocalPort() + " with " + security);
        if (options.madeToken()) {
            System.out.println("desk engine: token " + options.token());
        }
        System.out.flush();
        listener.accept(listening, backend);
    }

    /**
     * Checks {@code options} (those of {@link #main}) and {@code token} (null: the one from the environment, or
     * one made) as the engine will, so that a refusal comes before a JVM starts; throws {@link EngineException}
     * with the engine's one line.
     */
    public static void check(List<String> options, String token) {
        List<String> all = new java.util.ArrayList<>(options);
        if (token != null) {
            all.addAll(List.of("--token", token));
        }
        Options.parse(all.toArray(String[]::new));
    }

    /**
     * The command that runs an engine listening with {@code options} (those of {@link #main}) in a JVM of its
     * own, as the engine process runs, ending with the process that starts it; a crash report goes to
     * {@code errorFile}. For {@code desk engine}.
     */
    public static List<String> command(List<String> options, Path errorFile) {
        return EngineCommandLine.listening(options, errorFile);
    }

    /** Takes connections until the process ends; each is served on a thread of its own. */
    private void accept(ServerSocket listening, JackBackend<Engine> backend) {
        while (true) {
            Socket socket;
            try {
                socket = listening.accept();
            } catch (IOException e) {
                System.err.println("desk engine: a connection could not be taken: " + e.getMessage());
                continue;
            }
            Thread peer = new Thread(() -> serve(socket, backend), "desk-engine-peer");
            peer.setDaemon(true);
            peer.start();
        }
    }

    /** Greets the desk on {@code socket} and, if it is admitted, serves it until its connection ends. */
    private void serve(Socket socket, JackBackend<Engine> backend) {
        String from = socket.getRemoteSocketAddress().toString();
        LineChannel lines;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HELLO_MILLIS);
            lines = new LineChannel(new SocketByteChannel(socket));
            if (!lines.readLine()) {
                socket.close();
                return;
            }
        } catch (SocketTimeoutException e) {
            System.err.println("desk engine: a connection from " + from + " said no hello in time: closed");
            close(socket);
            return;
        } catch (IOException e) {
            System.err.println("desk engine: a connection from " + from + " ended before its hello: " + e.getMessage());
            close(socket);
            return;
        }
        EngineServer server = new EngineServer(engine, backend, lines, kept);
        Desk desk;
        try {
            desk = admit(Protocol.JSON.readTree(lines.text()), server, from, lines);
            socket.setSoTimeout(0);
        } catch (IOException | RuntimeException e) {
            System.err.println("desk engine: a connection from " + from + " sent no hello: " + e.getMessage());
            close(socket);
            return;
        }
        if (desk == null) {
            close(socket);
            return;
        }
        try {
            server.serve();
        } catch (IOException e) {
            // the connection broke: the desk is gone, as when it closes it
        }
        close(socket);
        synchronized (control) {
            if (driver == desk) {
                driver = null;
                System.err.println("desk engine: " + desk.describe() + " let go; the engine plays on");
            }
        }
    }

    /**
     * Checks the hello {@code hello}: answers it on {@code lines} and returns the desk, now the driver, or
     * answers with a refusal and returns null.
     */
    private Desk admit(JsonNode hello, EngineServer server, String from, LineChannel lines) throws IOException {
        String refusal = null;
        String tookOver = null;
        Desk desk = new Desk(server, hello.path("desk").asText(""), from, LocalTime.now());
        Desk previous = null;
        synchronized (control) {
            if (!Operation.HELLO.wireName().equals(hello.path("op").asText())) {
                refusal = "this engine first needs a hello with its token";
            } else if (hello.path("protocol").asInt() != PROTOCOL_VERSION) {
                refusal = "this engine speaks protocol " + PROTOCOL_VERSION + ", the desk " + hello.path("protocol")
                        + ": run the same Desk version at both ends";
            } else if (!tokenMatches(hello.path("token").asText(""))) {
                refusal = "wrong token: the engine refused this connection (" + refused.incrementAndGet()
                        + " refused so far)";
                System.err.println("desk engine: refused a connection from " + from + ": wrong token ("
                        + refused.get() + " refused so far)");
            } else if (driver != null && !driver.id().equals(desk.id()) && !hello.path("takeOver").asBoolean()) {
                refusal = "the engine is driven by " + driver.describe() + "; --take-over takes it over (that desk"
                        + " is told and let go)";
            } else {
                previous = driver;
                if (previous != null && !previous.id().equals(desk.id())) {
                    tookOver = previous.describe();
                }
                driver = desk;
            }
        }
        if (refusal != null) {
            reply(lines, Protocol.JSON.createObjectNode().put("error", refusal));
            return null;
        }
        if (previous != null) {
            if (tookOver != null) {
                previous.server().send(Protocol.JSON.createObjectNode().put("event", "a desk from " + from
                        + " took over the engine").put("takenOver", true));
                System.err.println("desk engine: a desk from " + from + " took over from " + tookOver);
            }
            previous.server().close();
        }
        ObjectNode answer = Protocol.JSON.createObjectNode();
        answer.put("keptChunks", kept.chunks()).put("keptDesk", kept.desk()).put("keptSerial", kept.serial())
                .put("refused", refused.get()).put("tookOver", tookOver);
        kept.made(answer.putObject("made"));
        reply(lines, Protocol.JSON.createObjectNode().set("ok", answer));
        System.err.println("desk engine: driven by a desk from " + from);
        return desk;
    }

    private boolean tokenMatches(String given) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /** Passes an event of the backend to the desk that drives the engine; with none, a lost server still ends it. */
    private void event(String message, boolean serverGone) {
        Desk desk = driver;
        if (desk != null) {
            desk.server().event(message, serverGone);
        } else if (serverGone) {
            System.err.println("desk engine: " + message);
            engine.close();
            Runtime.getRuntime().halt(EngineServer.EXIT_SERVER_GONE);
        }
    }

    private static void reply(LineChannel lines, JsonNode message) throws IOException {
        byte[] bytes = (Protocol.line(message) + "\n").getBytes(StandardCharsets.UTF_8);
        lines.send(bytes, bytes.length);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken: nothing left to close
        }
    }

    /** The listener's options, checked whole before anything starts. */
    record Options(InetSocketAddress address, String label, String token, boolean madeToken, boolean tls,
                   Path identity, String jackServer, String client, long parent) {

        /** The options of {@code args}; refuses what cannot be served safely, in one line. */
        static Options parse(String[] args) {
            String listen = null;
            String token = System.getenv("DESK_ENGINE_TOKEN");
            boolean tls = true;
            Path identity = defaultIdentity();
            String jackServer = null;
            String client = JackBackend.DEFAULT_CLIENT_NAME;
            long parent = -1;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--no-tls")) {
                    tls = false;
                    continue;
                }
                if (i + 1 == args.length) {
                    throw new EngineException(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--listen" -> listen = value;
                    case "--token" -> token = value;
                    case "--identity" -> identity = Path.of(value);
                    case "--jack-server" -> jackServer = value;
                    case "--client" -> client = value;
                    case "--parent" -> parent = Long.parseLong(value);
                    default -> throw new EngineException("unknown option " + option + ": the engine takes --listen,"
                            + " --token, --no-tls, --identity, --jack-server, --client");
                }
            }
            if (listen == null) {
                throw new EngineException("--listen HOST:PORT is needed (e.g. --listen 0.0.0.0:7770)");
            }
            InetSocketAddress address;
            try {
                address = EngineListener.address(listen, true);
            } catch (EngineException e) {
                throw new EngineException("--listen " + e.getMessage());
            }
            boolean loopback = address.getAddress().isLoopbackAddress();
            if (!loopback && !tls) {
                throw new EngineException("--listen " + listen + " with --no-tls: a listen beyond this machine"
                        + " needs TLS and a token; --no-tls is for a loopback address (127.0.0.1) alone");
            }
            boolean madeToken = token == null;
            if (madeToken) {
                byte[] secret = new byte[16];
                new SecureRandom().nextBytes(secret);
                token = HexFormat.of().formatHex(secret);
            } else if (token.length() < MIN_TOKEN_CHARS) {
                throw new EngineException("--token of " + token.length() + " characters: a token needs at least "
                        + MIN_TOKEN_CHARS + " (leave it out and the engine makes one of 32)");
            }
            return new Options(address, listen, token, madeToken, tls, identity, jackServer, client, parent);
        }

        /** The JACK server's name as the user knows it. */
        String serverLabel() {
            return JackPresence.serverLabel(jackServer);
        }

        /** Where the engine keeps its TLS identity: {@code $XDG_CONFIG_HOME/desk/engine}, else {@code ~/.config/desk/engine}. */
        private static Path defaultIdentity() {
            String config = System.getenv("XDG_CONFIG_HOME");
            Path base = config != null && !config.isBlank() ? Path.of(config)
                    : Path.of(System.getProperty("user.home"), ".config");
            return base.resolve("desk").resolve("engine");
        }
    }

    /**
     * {@code HOST:PORT} (an IPv6 host in brackets) as an address; port 0 {@code toListen} (any free port, which
     * the engine prints). Refuses anything else in one line.
     */
    static InetSocketAddress address(String hostPort, boolean toListen) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new EngineException(hostPort + ": an address is HOST:PORT, e.g. 127.0.0.1:7770 or [::1]:7770");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < (toListen ? 0 : 1) || port > 65535) {
            throw new EngineException(hostPort + ": the port must be " + (toListen ? "0 (any free one)" : "1")
                    + "..65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new EngineException(hostPort + ": no such host \"" + host + "\"");
        }
    }
}
