package desk.control;

import com.illposed.osc.BufferBytesReceiver;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.OSCParseException;
import com.illposed.osc.OSCParser;
import com.illposed.osc.OSCSerializeException;
import com.illposed.osc.OSCSerializer;
import com.illposed.osc.OSCSerializerAndParserBuilder;

import java.nio.ByteBuffer;

/**
 * OSC 1.0 packets to and from bytes, by JavaOSC's parser and serializer (which keep state, so each codec
 * serves one thread at a time).
 * <p>
 * Threads: one at a time; {@link #encode} and {@link #decode} are synchronized.
 */
final class OscCodec {
    /** The largest packet: a UDP datagram's payload. */
    static final int MAX_PACKET = 65_507;

    private final OSCParser parser;
    private final ByteBuffer out = ByteBuffer.allocate(MAX_PACKET);
    private final OSCSerializer serializer;

    OscCodec() {
        OSCSerializerAndParserBuilder builder = new OSCSerializerAndParserBuilder();
        this.parser = builder.buildParser();
        this.serializer = builder.buildSerializer(new BufferBytesReceiver(out));
    }

    /** The packet in {@code bytes} (from its position to its limit). */
    synchronized OSCPacket decode(ByteBuffer bytes) throws OSCParseException {
        return parser.convert(bytes);
    }

    /** {@code packet} as the bytes of one datagram. */
    synchronized ByteBuffer encode(OSCPacket packet) throws OSCSerializeException {
        out.clear();
        serializer.write(packet);
        out.flip();
        ByteBuffer copy = ByteBuffer.allocate(out.remaining());
        copy.put(out).flip();
        return copy;
    }
}
