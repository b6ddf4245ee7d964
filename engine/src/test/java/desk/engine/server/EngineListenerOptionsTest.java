package desk.engine.server;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.GeneratorSpec;
import desk.engine.StripKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an engine on the network takes before it starts, and what it keeps: a listen beyond the loopback
 * address without TLS is refused in one line, as are a short token and a bad address; a token is made when
 * none is given; a desk must name a token and may go without TLS on loopback alone; the identity is made once
 * and kept, and a desk trusts only the certificate it pinned; the engine counts what desks made from the
 * commands it served, and hands the kept text back chunk by chunk as it came.
 */
class EngineListenerOptionsTest {
    @TempDir
    Path folder;

    @Test
    void aListenBeyondLoopbackWithoutTlsIsRefusedInOneLine() {
        EngineException refusal = assertThrows(EngineException.class,
                () -> EngineListener.Options.parse(new String[]{"--listen", "0.0.0.0:7770", "--no-tls"}));
        assertEquals("--listen 0.0.0.0:7770 with --no-tls: a listen beyond this machine needs TLS and a token;"
                + " --no-tls is for a loopback address (127.0.0.1) alone", refusal.getMessage());
        EngineListener.Options loopback = EngineListener.Options.parse(new String[]{"--listen", "127.0.0.1:7770",
                "--no-tls"});
        assertFalse(loopback.tls());
        assertTrue(EngineListener.Options.parse(new String[]{"--listen", "0.0.0.0:7770"}).tls());
    }

    @Test
    void aTokenIsMadeWhenNoneIsGivenAndAShortOneIsRefused() {
        EngineListener.Options made = EngineListener.Options.parse(new String[]{"--listen", "127.0.0.1:0"});
        assertTrue(made.madeToken());
        assertEquals(32, made.token().length());
        assertNotEquals(made.token(), EngineListener.Options.parse(new String[]{"--listen", "127.0.0.1:0"}).token());
        assertEquals("--token of 5 characters: a token needs at least 16 (leave it out and the engine makes one of 32)",
                assertThrows(EngineException.class, () -> EngineListener.Options.parse(new String[]{"--listen",
                        "127.0.0.1:7770", "--token", "short"})).getMessage());
        assertEquals("--listen 127.0.0.1:70000: the port must be 0 (any free one)..65535", assertThrows(
                EngineException.class, () -> EngineListener.Options.parse(new String[]{"--listen",
                        "127.0.0.1:70000"})).getMessage());
        assertEquals("--listen HOST:PORT is needed (e.g. --listen 0.0.0.0:7770)", assertThrows(EngineException.class,
                () -> EngineListener.Options.parse(new String[]{"--no-tls"})).getMessage());
    }

    @Test
    void aDeskNeedsATokenAndTlsBeyondLoopback() {
        assertEquals("--engine 10.0.0.2:7770 with --no-tls: only an engine on a loopback address (127.0.0.1) may be"
                + " driven without TLS", assertThrows(EngineException.class,
                () -> new RemoteEngine("10.0.0.2:7770", "0123456789abcdef", null, false, false)).getMessage());
        assertTrue(assertThrows(EngineException.class, () -> new RemoteEngine("127.0.0.1:7770", null, null, true,
                false)).getMessage().startsWith("--engine 127.0.0.1:7770 needs the engine's token"));
        assertEquals("--engine 127.0.0.1:0: the port must be 1..65535", assertThrows(EngineException.class,
                () -> new RemoteEngine("127.0.0.1:0", "0123456789abcdef", null, true, false)).getMessage());
        assertEquals("[::1]:7770", new RemoteEngine("[::1]:7770", "0123456789abcdef", null, false, false).address());
    }

    @Test
    void theIdentityIsMadeOnceAndADeskTrustsOnlyThePinnedCertificate() throws Exception {
        EngineIdentity made = EngineIdentity.open(folder.resolve("identity"));
        EngineIdentity again = EngineIdentity.open(folder.resolve("identity"));
        assertEquals(made.fingerprint(), again.fingerprint());
        assertTrue(made.fingerprint().matches("[0-9a-f]{64}"));
        assertEquals(made.fingerprint(), EngineIdentity.normalised(made.fingerprint().toUpperCase()
                .replaceAll("(..)(?!$)", "$1:")));

        try (var listening = made.serverSockets().createServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (var socket = (javax.net.ssl.SSLSocket) listening.accept()) {
                        socket.startHandshake();
                        socket.getOutputStream().write('\n');
                    } catch (java.io.IOException e) {
                        // the desk refused the certificate
                    }
                }
            });
            server.start();
            String[] presented = new String[1];
            try (var refused = (javax.net.ssl.SSLSocket) EngineIdentity.pinnedSockets("00".repeat(32), presented)
                    .createSocket(java.net.InetAddress.getLoopbackAddress(), listening.getLocalPort())) {
                assertThrows(javax.net.ssl.SSLHandshakeException.class, refused::startHandshake);
            }
            assertEquals(made.fingerprint(), presented[0], "the refusal can name the fingerprint presented");
            try (var trusted = (javax.net.ssl.SSLSocket) EngineIdentity.pinnedSockets(made.fingerprint(), presented)
                    .createSocket(java.net.InetAddress.getLoopbackAddress(), listening.getLocalPort())) {
                trusted.startHandshake();
                assertEquals("TLSv1.3", trusted.getSession().getProtocol());
                assertEquals('\n', trusted.getInputStream().read());
            }
            server.join(10_000);
        }
    }

    @Test
    void theEngineCountsWhatDesksMadeAndKeepsTheTextWhole() {
        KeptState kept = new KeptState();
        kept.applied(new EngineCommand.CreateStrip(2, StripKind.TRACK, 1));
        kept.applied(new EngineCommand.CreateStrip(3, StripKind.GROUP_BUS, 2));
        kept.applied(new EngineCommand.CreateGenerator(4, GeneratorSpec.silence()));
        kept.applied(new EngineCommand.At(100, new EngineCommand.CreateStrip(9, StripKind.TRACK, 1)));
        kept.applied(new EngineCommand.RemoveStrip(9));
        kept.ports(true, 2, true);
        kept.ports(false, 3, true);
        kept.ports(false, 3, false);
        ObjectNode made = Protocol.JSON.createObjectNode();
        kept.made(made);
        assertEquals("{\"strips\":[2,3],\"tracks\":[2],\"directOuts\":[],\"sources\":[4],\"masterInserts\":[],"
                + "\"nextId\":10}", made.toString());

        String text = "x".repeat(KeptState.CHUNK_CHARS * 2 + 17);
        assertEquals(0, kept.chunks());
        kept.keep("desk-a", 7, 0, 3, text.substring(0, KeptState.CHUNK_CHARS));
        kept.keep("desk-a", 7, 1, 3, text.substring(KeptState.CHUNK_CHARS, 2 * KeptState.CHUNK_CHARS));
        assertEquals(0, kept.chunks(), "nothing replaces the kept text before its last chunk");
        kept.keep("desk-a", 7, 2, 3, text.substring(2 * KeptState.CHUNK_CHARS));
        assertEquals(3, kept.chunks());
        assertEquals(text, kept.chunk(0) + kept.chunk(1) + kept.chunk(2));
        assertEquals("desk-a", kept.desk());
        assertEquals(7, kept.serial());
        assertEquals("keep: chunk 2 of 3 came without chunk 0 before it", assertThrows(EngineException.class,
                () -> kept.keep("desk-b", 1, 2, 3, "y")).getMessage());
        assertEquals(text, kept.chunk(0) + kept.chunk(1) + kept.chunk(2), "a refused chunk changes nothing");
        assertEquals("desk-a", kept.desk());
    }
}
