package desk.engine.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One end of the engine channel, without garbage: lines are read into one reused array, and each message is
 * written whole from one reused direct buffer under a lock, so answers and events never interleave. Arrays
 * grow for longer lines and messages, and are kept. A line may be at most {@link #MAX_LINE_BYTES} long: a
 * longer one is refused ({@link TooLong}) as soon as it passes the bound, without buffering the rest, and
 * the reader then closes the channel.
 * <p>
 * Threads: {@link #readLine} and the line accessors on one reading thread; {@link #send} and {@link #close}
 * on any thread.
 */
final class LineChannel {
    /** The longest line either end reads, in bytes without its newline: 1 MiB. */
    static final int MAX_LINE_BYTES = 1 << 20;
    private static final int BUFFER_BYTES = 1 << 16;

    /** Thrown by {@link #readLine} when a line passes {@link #MAX_LINE_BYTES}. */
    static final class TooLong extends IOException {
        TooLong() {
            super("a line longer than " + MAX_LINE_BYTES + " bytes (1 MiB), the most the engine channel takes");
        }
    }

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

    /**
     * Reads the next line, without its newline; false once the peer has closed the channel. Throws
     * {@link TooLong} when the line passes {@link #MAX_LINE_BYTES}; the channel is then of no further use.
     */
    boolean readLine() throws IOException {
        length = 0;
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    return true;
                }
                if (length == line.length) {
                    if (length == MAX_LINE_BYTES) {
                        throw new TooLong();
                    }
                    line = Arrays.copyOf(line, Math.min(2 * length, MAX_LINE_BYTES));
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

    /** Closes the channel; the peer sees it closed. */
    void close() throws IOException {
        channel.close();
    }
}
