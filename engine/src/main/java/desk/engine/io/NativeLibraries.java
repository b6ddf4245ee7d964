package desk.engine.io;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;

/**
 * Loads a C library through JNA by the first of its names that the system has: the development link
 * ({@code FLAC}), then the runtime libraries of recent Debian releases ({@code libFLAC.so.12}).
 * <p>
 * Threads: any thread.
 */
final class NativeLibraries {
    private NativeLibraries() {
    }

    /**
     * The library {@code type} maps, by the first of {@code names} that loads.
     *
     * @throws IOException with {@code missing} as its one line when none does
     */
    static <T extends Library> T load(Class<T> type, String missing, String... names) throws IOException {
        UnsatisfiedLinkError last = null;
        for (String name : names) {
            try {
                return Native.load(name, type);
            } catch (UnsatisfiedLinkError e) {
                last = e;
            }
        }
        throw new IOException(missing, last);
    }
}
