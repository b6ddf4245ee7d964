package desk.engine.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * A connected socket (plain or TLS) as a {@link ByteChannel}, for {@link LineChannel}: reads and writes go
 * through one reused array, so moving bytes allocates nothing here (a TLS socket's own records may).
 * <p>
 * Threads: one reading thread and one writing thread at a time (the line channel serialises writes); close on any.
 */
final class SocketByteChannel implements ByteChannel {
    private static final int CHUNK = 1 << 14;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] readArray = new byte[CHUNK];
    private final byte[] writeArray = new byte[CHUNK];

    SocketByteChannel(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        int count = in.read(readArray, 0, Math.min(into.remaining(), CHUNK));
        if (count > 0) {
            into.put(readArray, 0, count);
        }
        return count;
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        int written = 0;
        while (from.hasRemaining()) {
            int count = Math.min(from.remaining(), CHUNK);
            from.get(writeArray, 0, count);
            out.write(writeArray, 0, count);
            written += count;
        }
        out.flush();
        return written;
    }

    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
