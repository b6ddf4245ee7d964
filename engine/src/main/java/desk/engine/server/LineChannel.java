package desk.engine.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The engine process's end of the socket, without garbage: request lines are read into one reused array,
 * and each message is written whole from one reused direct buffer under a lock, so answers and events never
 * interleave. Arrays grow for longer lines and messages, and are kept.
 * <p>
 * Threads: {@link #readLine} and the line accessors on one reading thread; {@link #send} on any thread.
 */
final class LineChannel {
    private static final int BUFFER_BYTES = 1 << 16;

    private final ByteChannel channel;
    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_BYTES).flip();
    private final Object writing = new Object();
    private ByteBuffer out = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private byte[] line = new byte[1024];
    private int length;
    private boolean ended;

    LineChannel(ByteChannel channel) {
        this.channel = channel;
    }

    /** Reads the next line, without its newline; false once the peer has closed the channel. */
    boolean readLine() throws IOException {
        length = 0;
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    return true;
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, 2 * length);
                }
                line[length++] = b;
            }
            if (ended) {
                return length > 0;
            }
            in.clear();
            ended = channel.read(in) < 0;
            in.flip();
        }
    }

    /** The bytes of the line read (the first {@link #length()} of them). */
    byte[] line() {
        return line;
    }

    /** The length of the line read, in bytes. */
    int length() {
        return length;
    }

    /** The line read, decoded from UTF-8. */
    String text() {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    /** Writes the first {@code count} of {@code bytes} (a whole message, with its newline) to the peer. */
    void send(byte[] bytes, int count) throws IOException {
        synchronized (writing) {
            if (out.capacity() < count) {
                out = ByteBuffer.allocateDirect(Math.max(count, 2 * out.capacity()));
            }
            out.clear();
            out.put(bytes, 0, count);
            out.flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
    }
}
