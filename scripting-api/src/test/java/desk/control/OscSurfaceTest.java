package desk.control;

import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.argument.OSCTimeTag64;
import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.session.Bus;
import desk.session.DeskException;
import desk.session.Insert;
import desk.session.Session;
import desk.session.Track;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Desk's OSC server against a client on a real UDP socket: the address space sets and reads the session,
 * errors answer the sender, tokens keep strangers out, feedback comes at the rate asked, a storm ends on the
 * last value, and a bundle timetagged ahead lands on its exact sample in an offline render.
 */
class OscSurfaceTest {
    private static final Instant ORIGIN = Instant.parse("2026-12-04T12:00:00Z");
    private final OscCodec codec = new OscCodec();
    private final List<String> notices = new CopyOnWriteArrayList<>();
    private ExecutorService controlThread;
    private Engine engine;
    private Session session;
    private OscSurface osc;
    private DatagramSocket client;
    private InetSocketAddress server;

    @BeforeEach
    void setUp() throws IOException {
        controlThread = Executors.newSingleThreadExecutor();
        engine = new Engine(48_000, 0);
        session = new Session(new LocalEngineLink(engine));
        client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client.setSoTimeout(5_000);
    }

    @AfterEach
    void tearDown() {
        if (osc != null) {
            osc.close();
        }
        client.close();
        controlThread.shutdownNow();
    }

    private void listen(String token, Clock clock) {
        osc = new OscSurface(session, controlThread, notices::add, clock, false);
        server = osc.listen("127.0.0.1", 0, token);
    }

    private <T> T onControl(Callable<T> task) throws Exception {
        return controlThread.submit(task).get();
    }

    private void send(OSCPacket packet) throws Exception {
        ByteBuffer bytes = codec.encode(packet);
        client.send(new DatagramPacket(bytes.array(), bytes.remaining(), server));
    }

    private void send(String address, Object... arguments) throws Exception {
        send(new OSCMessage(address, List.of(arguments)));
    }

    private OSCMessage receive(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[OscCodec.MAX_PACKET];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        socket.receive(datagram);
        return (OSCMessage) codec.decode(ByteBuffer.wrap(buffer, 0, datagram.getLength()));
    }

    /** Asks for {@code address} and returns the answer: everything sent before it has been applied. */
    private Object query(String address, Object... token) throws Exception {
        send(address, token);
        OSCMessage answer = receive(client);
        assertEquals(address, answer.getAddress(), () -> "answer " + answer.getArguments());
        assertEquals(List.of(token), answer.getArguments().subList(0, token.length), "an answer carries the token");
        return answer.getArguments().get(token.length);
    }

    @Test
    void aClientMovesFadersMutesSendsInsertsTheTransportAndRecallsAScene() throws Exception {
        Track vox = onControl(() -> session.track("Lead Vox"));
        Bus room = onControl(() -> session.bus("Drums/Room", "aux", 2));
        Insert eq = onControl(() -> {
            vox.send(room, -10, false);
            session.scene("quiet", null, null);
            return vox.insert("eq", Map.of(), -1, false);
        });
        listen(null, Clock.systemUTC());
        send("/desk/strip/Lead%20Vox/fader", -6.5f);
        send("/desk/strip/Lead%20Vox/mute", 1);
        send("/desk/strip/Lead%20Vox/pan", -0.25f);
        send("/desk/strip/Lead%20Vox/trim", 3f);
        send("/desk/strip/Lead%20Vox/send/Drums%2FRoom/level", -3f);
        send("/desk/strip/Lead%20Vox/insert/0/b2_gain", 4f);
        send("/desk/strip/Drums%2FRoom/balance", 0.5f);
        send("/desk/strip/master/fader", -1f);
        assertEquals(-6.5f, query("/desk/strip/Lead%20Vox/fader"));
        assertEquals(-6.5, onControl(vox::fader), 1e-6);
        assertTrue((boolean) onControl(vox::mute));
        assertEquals(-0.25, onControl(vox::pan), 1e-6);
        assertEquals(3, onControl(vox::trim), 1e-6);
        assertEquals(-3, onControl(() -> vox.sends().get(0).level()), 1e-6);
        assertEquals(4, onControl(() -> eq.get("b2_gain")), 1e-6);
        assertEquals(0.5, onControl(room::balance), 1e-6);
        assertEquals(-1, onControl(() -> session.master().fader()), 1e-6);
        assertEquals(1, query("/desk/strip/Lead%20Vox/mute"));

        send("/desk/scene/recall", "quiet");
        assertEquals(0f, query("/desk/strip/Lead%20Vox/fader"));
        assertFalse((boolean) onControl(vox::mute));

        send("/desk/strip/Lead%20Vox/insert/0/bypass", 1);
        send("/desk/transport/locate", 2.5f);
        send("/desk/transport/play");
        assertEquals(1, query("/desk/transport/rolling"));
        assertTrue((boolean) onControl(eq::bypass));
        send("/desk/transport/stop");
        assertEquals(0, query("/desk/transport/rolling"));
        assertEquals(2.5, onControl(session::transportSeconds), 1e-9);
    }

    @Test
    void badMessagesAnswerTheSenderWithOneLineAndChangeNothing() throws Exception {
        Track vox = onControl(() -> session.track("Vox"));
        listen(null, Clock.systemUTC());
        send("/desk/strip/Vox/fader", 40f);
        OSCMessage error = receive(client);
        assertEquals("/desk/error", error.getAddress());
        String words = (String) error.getArguments().get(0);
        assertTrue(words.contains("Vox") && words.contains("40"), words);
        assertFalse(words.contains("Exception"), words);
        send("/desk/strip/Nobody/fader", -3f);
        assertEquals("OSC /desk/strip/Nobody/fader: no strip called \"Nobody\"", receive(client).getArguments().get(0));
        send("/desk/strip/Vox/fader", "loud");
        assertTrue(((String) receive(client).getArguments().get(0)).contains("must be a number"));
        send("/desk/strip/Vox/insert/3/gain", 1f);
        assertTrue(((String) receive(client).getArguments().get(0)).contains("Vox has 0 inserts"));
        byte[] noise = {1, 2, 3};
        client.send(new DatagramPacket(noise, noise.length, server));
        assertEquals("OSC /desk/strip/Nobody/fader: no strip called \"Nobody\"", sendAndAwaitError("/desk/strip/Nobody/fader"));
        assertEquals(1, osc.malformed(), "a packet that is not OSC is counted and ignored");
        assertEquals(0.0, onControl(vox::fader));
        assertEquals(1, notices.size(), () -> "one notice a second at most: " + notices);
        assertEquals(words, notices.get(0));
    }

    private String sendAndAwaitError(String address) throws Exception {
        send(address, -3f);
        return (String) receive(client).getArguments().get(0);
    }

    @Test
    void withATokenAMessageWithoutItChangesNothingAndGetsNoAnswer() throws Exception {
        Track vox = onControl(() -> session.track("Vox"));
        listen("s3cret", Clock.systemUTC());
        send("/desk/strip/Vox/fader", -12f);
        send("/desk/strip/Vox/fader", "guess", -12f);
        send("/desk/strip/Vox/fader");
        assertEquals(0f, query("/desk/strip/Vox/fader", "s3cret"), "the first answer is the query with the token");
        assertEquals(3, osc.refused());
        send("/desk/strip/Vox/fader", "s3cret", -12f);
        assertEquals(-12f, query("/desk/strip/Vox/fader", "s3cret"));
        send("/desk/strip/Vox/fader", "s3cret", 40f);
        OSCMessage error = receive(client);
        assertEquals("/desk/error", error.getAddress());
        assertEquals("s3cret", error.getArguments().get(0), "an error answer carries the token too");
        send("/desk/ping", "s3cret");
        assertEquals(List.of("s3cret"), receive(client).getArguments());
        assertEquals(-12, onControl(vox::fader), 1e-6);
    }

    @Test
    void listensOnLoopbackByDefaultAndRefusesAnOpenBindWithoutAToken() throws Exception {
        osc = new OscSurface(session, controlThread, notices::add, Clock.systemUTC(), false);
        DeskException refused = assertThrows(DeskException.class, () -> osc.listen("0.0.0.0", 0, null));
        assertTrue(refused.getMessage().contains("needs a token"), refused.getMessage());
        assertNull(osc.address(), "nothing is bound after the refusal");
        server = osc.listen("127.0.0.1", 0, null);
        Process ss = new ProcessBuilder("ss", "-H", "-u", "-l", "-n").redirectErrorStream(true).start();
        String sockets = new String(ss.getInputStream().readAllBytes());
        assertEquals(0, ss.waitFor());
        List<String> ours = sockets.lines().filter(line -> line.matches(".*[:\\]]" + server.getPort() + "\\s.*")).toList();
        assertEquals(1, ours.size(), sockets);
        assertTrue(ours.get(0).contains("127.0.0.1:" + server.getPort()), ours.get(0));
    }

    @Test
    void aSubscriberGetsEveryChangeAndMeterFramesAtItsRateUntilItGoes() throws Exception {
        onControl(() -> session.track("Vox"));
        listen(null, Clock.systemUTC());
        DatagramSocket feedback = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        feedback.setSoTimeout(2_000);
        send("/desk/subscribe", 20f, feedback.getLocalPort());
        send("/desk/strip/Vox/fader", -9f);
        List<OSCMessage> messages = new ArrayList<>();
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            byte[] buffer = new byte[OscCodec.MAX_PACKET];
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            feedback.receive(datagram);
            OSCBundle bundle = (OSCBundle) codec.decode(ByteBuffer.wrap(buffer, 0, datagram.getLength()));
            bundle.getPackets().forEach(packet -> messages.add((OSCMessage) packet));
        }
        long frames = messages.stream().filter(m -> m.getAddress().equals("/desk/strip/master/meter")).count();
        assertTrue(frames >= 32 && frames <= 44, "20 frames a second for 2 s: " + frames);
        assertTrue(messages.stream().anyMatch(m -> m.getAddress().equals("/desk/strip/Vox/fader")
                && m.getArguments().equals(List.of(-9f))), "the fader's move comes back");
        assertEquals(1, messages.stream().filter(m -> m.getAddress().equals("/desk/strip/Vox/mute")).count(),
                "a value that does not change is sent once");
        OSCMessage meter = messages.stream().filter(m -> m.getAddress().equals("/desk/strip/Vox/meter")).findFirst().orElseThrow();
        assertEquals(List.of(-120f, -120f, -120f), meter.getArguments(), "a silent strip reads the floor");
        assertEquals(1, osc.clients().size(), () -> "" + osc.clients());
        assertTrue(osc.clients().get(0).startsWith("127.0.0.1:" + feedback.getLocalPort() + " at 20 Hz"));

        feedback.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!osc.clients().isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        assertTrue(osc.clients().isEmpty(), "a client whose port closed is dropped");
        assertTrue(notices.stream().anyMatch(n -> n.contains("stopped answering")), () -> "" + notices);
    }

    @Test
    void aStormEndsOnTheLastValueSentAndIsOneUndoStep() throws Exception {
        Track vox = onControl(() -> session.track("Vox"));
        int before = onControl(() -> session.history().size());
        listen(null, Clock.systemUTC());
        int count = 5_000;
        for (int i = 1; i <= count; i++) {
            send("/desk/strip/Vox/fader", (float) (-60.0 * i / count));
        }
        assertEquals(-60f, query("/desk/strip/Vox/fader"));
        assertEquals(-60, onControl(vox::fader), 1e-6);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (onControl(() -> session.history().size()) == before && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        assertEquals(before + 1, onControl(() -> session.history().size()), "one gesture, one undo step");
        onControl(session::undo);
        assertEquals(0, onControl(vox::fader), 1e-6);
    }

    @Test
    void aBundleTimetaggedTwoSecondsAheadLandsOnItsSample() throws Exception {
        Track probe = onControl(() -> {
            Track track = session.track("Probe");
            track.input(session.generator("square", Map.of("freq", 50.0, "level", 0.0)));
            track.pan(-1);
            session.play();
            return track;
        });
        listen(null, Clock.fixed(ORIGIN, ZoneOffset.UTC));
        OSCBundle bundle = new OSCBundle(List.of(new OSCMessage("/desk/strip/Probe/fader", List.of(-6f))),
                OSCTimeTag64.valueOf(ORIGIN.plusSeconds(2)));
        send(bundle);
        assertEquals(0f, query("/desk/strip/Probe/fader"), "not yet: it is for two seconds on");
        float[] left = new float[3 * 48_000];
        int[] at = {0};
        onControl(() -> {
            new OfflineRenderer(engine).render(left.length, BlockSizes.random(7, 1, 1024), (master, count) -> {
                System.arraycopy(master[0], 0, left, at[0], count);
                at[0] += count;
            }, session::tick);
            return null;
        });
        int first = -1;
        for (int i = 0; i < left.length; i++) {
            if (Math.abs(left[i]) < 0.999f) {
                first = i;
                break;
            }
        }
        assertEquals(2 * 48_000, first, "the first sample the fader moves");
        assertEquals(Math.pow(10, -6 / 20.0), Math.abs(left[left.length - 1]), 1e-4);
        assertEquals(-6, onControl(probe::fader), 1e-6);
    }

    @Test
    void scriptHandlersGetTheMessagesDesksAddressesDoNotTake() throws Exception {
        listen(null, Clock.systemUTC());
        List<List<Object>> pads = new CopyOnWriteArrayList<>();
        onControl(() -> {
            osc.on("/pad/*", pads::add);
            return null;
        });
        assertThrows(DeskException.class, () -> osc.on("/desk/strip/x/fader", pads::add));
        send("/pad/1", 1f);
        send("/pad/2", "on");
        send("/elsewhere", 3);
        onControl(() -> session.track("Vox"));
        assertEquals(0f, query("/desk/strip/Vox/fader"));
        assertEquals(List.of(List.of(1f), List.of("on")), pads);
        assertEquals(List.of("/pad/*"), osc.handled());
        assertTrue(osc.off("/pad/*"));
        DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        other.setSoTimeout(5_000);
        osc.send("127.0.0.1", other.getLocalPort(), "/hello", List.of(1, 2.5f, "x", true));
        OSCMessage hello = receive(other);
        assertEquals(List.of(1, 2.5f, "x", true), hello.getArguments());
        other.close();
        DeskException remote = assertThrows(DeskException.class,
                () -> osc.send("192.0.2.1", 9000, "/hello", List.of()));
        assertTrue(remote.getMessage().contains("--allow-io"), remote.getMessage());
    }

    @Test
    void everyAddressOfTheOpenStageControlLayoutNamesAControl() throws Exception {
        com.fasterxml.jackson.databind.JsonNode layout = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Path.of("../examples/osc/desk-faders.json").toFile());
        assertEquals("session", layout.get("type").asText());
        List<String> addresses = layout.findValuesAsText("address");
        assertEquals(11, addresses.size(), () -> "" + addresses);
        OscAddressSpace space = new OscAddressSpace(session);
        onControl(() -> {
            for (String name : List.of("Vox", "Gtr", "Drums")) {
                session.track(name);
            }
            for (String address : addresses) {
                if (!address.equals("/desk/subscribe")) {
                    space.resolve(address);
                }
            }
            return null;
        });
    }

    @Test
    void namesWithSpacesSlashesAndAccentsRoundTrip() {
        for (String name : List.of("Lead Vox", "Drums/Room", "Chœur #2", "100%", "a{b}[c]*?,")) {
            String part = OscNames.escape(name);
            assertTrue(OSCMessage.isValidAddress("/desk/strip/" + part + "/fader"), part);
            assertEquals(name, OscNames.unescape(part));
        }
        assertEquals("Lead%20Vox", OscNames.escape("Lead Vox"));
        assertNull(OscNames.unescape("bad%2"));
    }
}
