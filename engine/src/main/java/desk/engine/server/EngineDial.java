package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import desk.engine.EngineException;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A desk's connection to an engine on the network ({@link EngineListener}): the TCP connection, TLS with the
 * engine's certificate pinned ({@link EngineIdentity}), and the hello that presents the token; the engine's
 * answer to it says what session state it keeps and how many connections it refused. A refusal (wrong token,
 * another desk driving, a certificate not pinned) is one line that says what to do.
 * <p>
 * Threads: any thread; each dial makes a connection of its own.
 */
final class EngineDial {
    private static final int CONNECT_MILLIS = 5_000;

    /** A connection that said hello, and the engine's answer. */
    record Dialled(EngineProcess engine, JsonNode hello) {
    }

    private EngineDial() {
    }

    /**
     * Connects to {@code target} as desk {@code deskId}, taking it over when {@code takeOver} says so; events
     * and the loss of the connection go to {@code listener}.
     */
    static Dialled dial(RemoteEngine target, String deskId, boolean takeOver, EngineProcess.Listener listener) {
        Socket socket = null;
        String[] presented = new String[1];
        try {
            if (target.tls()) {
                socket = EngineIdentity.pinnedSockets(target.fingerprint(), presented).createSocket();
            } else {
                socket = new Socket();
            }
            socket.connect(target.socketAddress(), CONNECT_MILLIS);
            socket.setTcpNoDelay(true);
            if (socket instanceof SSLSocket tls) {
                tls.setEnabledProtocols(new String[]{"TLSv1.3"});
                tls.startHandshake();
            }
            LineChannel lines = new LineChannel(new SocketByteChannel(socket));
            byte[] hello = (Protocol.line(Protocol.request(Operation.HELLO)
                    .put("protocol", EngineListener.PROTOCOL_VERSION).put("token", target.token())
                    .put("desk", deskId).put("takeOver", takeOver)) + "\n").getBytes(StandardCharsets.UTF_8);
            lines.send(hello, hello.length);
            socket.setSoTimeout(CONNECT_MILLIS);
            if (!lines.readLine()) {
                throw new EngineException("the engine at " + target.address() + " closed the connection at once"
                        + (target.tls() ? "" : " (an engine with TLS needs a desk without --no-tls)"));
            }
            socket.setSoTimeout(0);
            JsonNode answer = Protocol.JSON.readTree(lines.text());
            if (answer.has("error")) {
                throw new EngineException("the engine at " + target.address() + " refused: " + answer.path("error").asText());
            }
            return new Dialled(new EngineProcess(null, lines, null, listener), answer.path("ok"));
        } catch (SSLHandshakeException e) {
            close(socket);
            if (presented[0] != null) {
                throw new EngineException("the engine at " + target.address() + " presents certificate sha256 "
                        + presented[0] + (target.fingerprint() == null ? ", and no fingerprint was given"
                        : ", not the one given (" + EngineIdentity.normalised(target.fingerprint()) + ")")
                        + ": if that is the fingerprint the engine printed as it started, pass --fingerprint "
                        + presented[0]);
            }
            throw new EngineException("the engine at " + target.address() + ": TLS failed (" + e.getMessage()
                    + "); an engine started with --no-tls is driven with --no-tls");
        } catch (IOException e) {
            close(socket);
            throw new EngineException("the engine at " + target.address() + " does not answer (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            close(socket);
            throw e;
        }
    }

    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // never connected, or already broken
            }
        }
    }
}
