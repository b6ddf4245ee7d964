package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.session.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code session.osc} from both languages: a script listens, a surface moves its fader, its handler gets a
 * message, it sends one out, and a bind other machines reach is refused without a token, in one line.
 */
class OscScriptTest {
    private static final String JS = """
            var vox = session.track("Vox");
            var port = session.osc.listen(0);
            var pads = [];
            session.osc.on("/pad/*", (value, word) => pads.push(value + ":" + word));
            """;
    private static final String PYTHON = """
            vox = session.track("Vox")
            port = session.osc.listen(0)
            pads = []
            session.osc.on("/pad/*", lambda value, word: pads.append(str(int(value)) + ":" + word))
            """;

    /** An OSC message by hand: address, type tags, big-endian arguments, each padded to four bytes. */
    private static byte[] message(String address, String tags, Object... arguments) {
        ByteBuffer bytes = ByteBuffer.allocate(256);
        for (String text : new String[]{address, "," + tags}) {
            padded(bytes, text);
        }
        for (Object argument : arguments) {
            if (argument instanceof Float f) {
                bytes.putFloat(f);
            } else if (argument instanceof Integer i) {
                bytes.putInt(i);
            } else {
                padded(bytes, (String) argument);
            }
        }
        byte[] out = new byte[bytes.position()];
        bytes.flip().get(out);
        return out;
    }

    private static void padded(ByteBuffer bytes, String text) {
        byte[] raw = text.getBytes(StandardCharsets.US_ASCII);
        bytes.put(raw).put((byte) 0);
        while (bytes.position() % 4 != 0) {
            bytes.put((byte) 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void aScriptListensHandlesSendsAndIsRefusedAnOpenBindWithoutAToken(Language language) throws Exception {
        Session session = new Session(new LocalEngineLink(new Engine(48000, 2)));
        try (ScriptHost host = new ScriptHost(session, Path.of(""), false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE);
             DatagramSocket surface = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            boolean js = language == Language.JS;
            host.evaluate(language, js ? JS : PYTHON, "<setup>", value -> null);
            int port = host.evaluate(language, "port", "<port>", value -> value.asInt());
            InetSocketAddress desk = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            byte[] fader = message("/desk/strip/Vox/fader", "f", -7.5f);
            byte[] pad = message("/pad/1", "is", 3, "x");
            surface.send(new DatagramPacket(fader, fader.length, desk));
            surface.send(new DatagramPacket(pad, pad.length, desk));
            long deadline = System.nanoTime() + 10_000_000_000L;
            String pads;
            do {
                assertTrue(System.nanoTime() < deadline, "the handler was not called");
                pads = host.evaluate(language, js ? "pads.join()" : "','.join(pads)", "<pads>", value -> value.asString());
            } while (pads.isEmpty());
            assertEquals("3:x", pads);
            assertEquals(-7.5, host.evaluate(language, "vox.fader", "<fader>", value -> value.asDouble()));

            surface.setSoTimeout(5_000);
            host.evaluate(language, "session.osc.send('127.0.0.1', " + surface.getLocalPort() + ", '/back', 1.5, 'ok')",
                    "<send>", value -> null);
            byte[] buffer = new byte[256];
            DatagramPacket back = new DatagramPacket(buffer, buffer.length);
            surface.receive(back);
            byte[] expected = message("/back", "fs", 1.5f, "ok");
            assertEquals(ByteBuffer.wrap(expected), ByteBuffer.wrap(buffer, 0, back.getLength()));

            host.evaluate(language, "session.osc.close()", "<close>", value -> null);
            String refused = js ? "try { session.osc.listen(0, {bind: '0.0.0.0'}) } catch (e) { e.message }"
                    : "def refused():\n    try:\n        session.osc.listen(0, bind='0.0.0.0')\n"
                    + "    except DeskError as e:\n        return str(e)\nrefused()";
            assertEquals("OSC bind 0.0.0.0 is reachable from other machines: it needs a token (every message then"
                    + " carries it as its first argument)", host.evaluate(language, refused, "<refused>", value -> value.asString()));
            String token = host.evaluate(language, js ? "session.osc.listen(0, {bind: '0.0.0.0', token: true}); session.osc.token"
                    : "session.osc.listen(0, bind='0.0.0.0', token=True)\nsession.osc.token", "<token>", value -> value.asString());
            assertEquals(22, token.length(), token);
        }
    }
}
