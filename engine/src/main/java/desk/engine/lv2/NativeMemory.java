package desk.engine.lv2;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import desk.engine.RealTime;

/**
 * The C library's {@code memcpy}, bound by JNA's direct mapping with addresses as plain numbers, so a copy between
 * native buffers allocates nothing on the Java heap. Threads: any.
 */
final class NativeMemory {
    static {
        Native.register(NativeMemory.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private NativeMemory() {
    }

    /** Copies {@code bytes} bytes from address {@code source} to address {@code destination}; returns the latter. */
    @RealTime
    static native long memcpy(long destination, long source, long bytes);
}
