package desk.engine.lv2;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import desk.engine.RealTime;

/**
 * A ring of messages of any size in native memory, between one writing thread and one reading thread: a plugin's
 * requests to its worker, or the worker's answers. Each message is its size (4 bytes) then its bytes, padded to a
 * multiple of 4, so a size never straddles the end of the ring; a message's bytes may, and are copied in two
 * pieces. Neither side allocates, locks or waits; a write that does not fit is refused whole.
 * <p>
 * Threads: one writer and one reader at a time; the positions are published with volatile writes.
 */
final class WorkRing {
    private final Memory memory;
    private final long base;
    private final int capacity;
    /** Bytes ever written and ever read; the ring holds the difference. */
    private volatile long written;
    private volatile long read;

    /** A ring of {@code capacity} bytes, a power of two. */
    WorkRing(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 8) {
            throw new IllegalArgumentException("ring capacity " + capacity + ": must be a power of two, 8 or more");
        }
        this.capacity = capacity;
        this.memory = new Memory(capacity);
        this.base = Pointer.nativeValue(memory);
    }

    /** Copies {@code size} bytes from native address {@code source} in as one message; false if they do not fit. */
    @RealTime
    boolean rtWrite(long source, int size) {
        long at = written;
        long needed = 4L + padded(size);
        if (size < 0 || needed > capacity - (at - read)) {
            return false;
        }
        int offset = (int) (at & (capacity - 1));
        memory.setInt(offset, size);
        int body = (offset + 4) & (capacity - 1);
        int first = Math.min(size, capacity - body);
        NativeMemory.memcpy(base + body, source, first);
        NativeMemory.memcpy(base, source + first, size - first);
        written = at + needed;
        return true;
    }

    /**
     * Copies the next message to native address {@code destination} (with room for the ring's capacity less 4
     * bytes) and takes it off the ring; returns its size, or -1 when the ring is empty.
     */
    @RealTime
    int rtRead(long destination) {
        long at = read;
        if (written == at) {
            return -1;
        }
        int offset = (int) (at & (capacity - 1));
        int size = memory.getInt(offset);
        int body = (offset + 4) & (capacity - 1);
        int first = Math.min(size, capacity - body);
        NativeMemory.memcpy(destination, base + body, first);
        NativeMemory.memcpy(destination + first, base, size - first);
        read = at + 4L + padded(size);
        return size;
    }

    @RealTime
    private static int padded(int size) {
        return (size + 3) & ~3;
    }
}
