package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import desk.engine.AutomationLane;
import desk.engine.BuiltInInterface;
import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Interpolation;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.backend.DummyBackend;
import desk.engine.backend.JackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bound on the engine channel's lines: a line of {@link LineChannel#MAX_LINE_BYTES} is read whole, one
 * byte more is refused before the rest is read; the real {@link EngineServer} (on the dummy clock, in this
 * process) answers an over-long request with one error line and closes the connection; the REPL's end
 * refuses to send one to an engine process on a JACK server.
 */
class EngineChannelBoundTest {
    private final AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    private SocketChannel client;
    private SocketChannel end;
    private DummyBackend clock;

    @AfterEach
    void stop() throws IOException {
        for (SocketChannel channel : new SocketChannel[]{client, end}) {
            if (channel != null) {
                channel.close();
            }
        }
        if (clock != null) {
            clock.close();
        }
    }

    /** Connects {@link #client} and {@link #end} over a Unix domain socket in {@code folder}. */
    private void connect(Path folder) throws IOException {
        Path socket = folder.resolve("channel.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            end = listener.accept();
        }
    }

    /** {@code count} bytes of {@code filler} after {@code start}, then a newline. */
    private static byte[] line(String start, int count, char filler) {
        byte[] bytes = new byte[count + 1];
        Arrays.fill(bytes, (byte) filler);
        byte[] head = start.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[count] = '\n';
        return bytes;
    }

    /** Writes {@code bytes} to the client's end on a thread of its own, as the peer may stop reading. */
    private Thread write(byte[] bytes) {
        OutputStream out = Channels.newOutputStream(client);
        Thread writer = new Thread(() -> {
            try {
                out.write(bytes);
            } catch (IOException e) {
                // the other end closed before reading everything: what the test expects of an over-long line
            }
        }, "bound-test-writer");
        writer.start();
        return writer;
    }

    @Test
    void aLineAtTheBoundIsReadWholeAndOneByteMoreIsRefused(@TempDir Path folder) throws Exception {
        connect(folder);
        LineChannel lines = new LineChannel(end);
        byte[] longest = line("longest", LineChannel.MAX_LINE_BYTES, 'x');
        Thread writer = write(longest);
        assertTrue(lines.readLine());
        assertEquals(LineChannel.MAX_LINE_BYTES, lines.length());
        assertArrayEquals(Arrays.copyOf(longest, LineChannel.MAX_LINE_BYTES),
                Arrays.copyOf(lines.line(), lines.length()));
        assertEquals(LineChannel.MAX_LINE_BYTES, lines.line().length, "the line array grows to the bound, no further");
        writer.join();

        write(line("too long", LineChannel.MAX_LINE_BYTES + 1, 'y'));
        IOException refused = assertThrows(LineChannel.TooLong.class, lines::readLine);
        assertEquals("a line longer than 1048576 bytes (1 MiB), the most the engine channel takes",
                refused.getMessage());
        assertEquals(LineChannel.MAX_LINE_BYTES, lines.line().length);
    }

    @Test
    void theEngineServerAnswersAnOverLongRequestWithOneErrorAndClosesTheConnection(@TempDir Path folder)
            throws Exception {
        connect(folder);
        Engine engine = new Engine(48000, 2);
        clock = new DummyBackend(engine, 256);
        clock.start();
        EngineServer server = new EngineServer(engine, new BuiltInInterface("the dummy clock", 2, 48000, 256,
                clock::xruns), end);
        Thread serving = new Thread(() -> {
            try {
                server.serve();
            } catch (Throwable failure) {
                serverFailure.set(failure);
            }
        }, "engine-server");
        serving.start();
        InputStream in = Channels.newInputStream(client);

        write(line("{\"op\":\"position\"}", LineChannel.MAX_LINE_BYTES, ' ')).join();
        JsonNode answer = Protocol.JSON.readTree(readLine(in));
        assertTrue(answer.has("ok"), "a request padded to the bound is answered: " + answer);

        Thread writer = write(line("{\"op\":\"position\"}", 2 * LineChannel.MAX_LINE_BYTES, ' '));
        JsonNode refusal = Protocol.JSON.readTree(readLine(in));
        assertEquals("request refused: a line longer than 1048576 bytes (1 MiB), the most the engine channel takes;"
                + " closing the connection", refusal.path("error").asText());
        serving.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(serving.isAlive(), "the server stopped serving, as when its peer closes");
        assertNull(serverFailure.get());
        assertTrue(peerClosed(in), "the client sees the connection closed");
        writer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(writer.isAlive(), "the rest of the over-long line was never read, and the write ended");
    }

    /** One line from {@code in}, without its newline; fails at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            assertTrue(b >= 0, "the connection closed before a whole line: " + text);
            text.append((char) b);
        }
        return text.toString();
    }

    /** True when reading {@code in} finds the end of the stream, or the connection reset by its peer. */
    private static boolean peerClosed(InputStream in) {
        try {
            return in.read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void aRequestOverTheBoundIsRefusedBeforeItIsSentAndTheEngineGoesOn() throws Exception {
        int points = 40_000;
        long[] times = new long[points];
        double[] values = new double[points];
        Interpolation[] interpolations = new Interpolation[points];
        for (int i = 0; i < points; i++) {
            times[i] = 480L * i;
            values[i] = -6.020599913279624 - i % 7;
        }
        Arrays.fill(interpolations, Interpolation.DB);
        try (JackServer server = new JackServer(48000, 256)) {
            RemoteEngineLink link = RemoteEngineLink.start(server.name(), "desk-bound");
            try {
                long engine = link.enginePid();
                EngineException refused = assertThrows(EngineException.class, () -> link.execute(
                        new EngineCommand.SetLane(NodeIds.MASTER_ID, Parameter.FADER,
                                new AutomationLane(times, values, interpolations))));
                assertTrue(refused.getMessage().matches("the engine request execute SetLane is \\d+ bytes long: the"
                        + " engine channel takes at most 1048576 bytes \\(1 MiB\\) a line"), refused.getMessage());
                assertTrue(link.position() >= 0);
                assertEquals(engine, link.enginePid(), "the same engine process answers");
                assertNotEquals(-1, engine);
            } finally {
                link.close();
            }
        }
    }
}
