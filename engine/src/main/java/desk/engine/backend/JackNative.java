package desk.engine.backend;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import desk.engine.RealTime;

/**
 * The few libjack calls the JACK backend makes itself rather than through JNAJack, each bound directly with
 * pointers as plain {@code long}s, so the audio thread can fetch port buffers without allocating: JNAJack
 * wraps every buffer pointer in a new object on every cycle. The xrun callback is set here too, so that the
 * thread it runs on can be kept attached to the JVM (see {@link XrunCallback}).
 * <p>
 * Threads: {@link #jack_port_get_buffer} and the {@code jack_midi_} calls on the audio thread; the rest on
 * control threads.
 */
final class JackNative {
    static {
        Native.register(JackNative.class, NativeLibrary.getInstance("jack"));
    }

    /** Latency mode: from the outside world to a port. */
    static final int CAPTURE_LATENCY = 0;
    /** Latency mode: from a port to the outside world. */
    static final int PLAYBACK_LATENCY = 1;
    /** Port flag: the port receives data. */
    static final long PORT_IS_INPUT = 0x1;
    /** Port flag: the port sends data. */
    static final long PORT_IS_OUTPUT = 0x2;
    /** Port flag: the port is a connector of the hardware. */
    static final long PORT_IS_PHYSICAL = 0x4;
    /** What jack_connect returns when the two ports are connected already (EEXIST). */
    static final int ALREADY_CONNECTED = 17;
    /** The type string of audio ports. */
    static final String AUDIO_TYPE = "32 bit float mono audio";

    private JackNative() {
    }

    /** Receives libjack's error and information messages. */
    interface MessageHandler extends Callback {
        /** One message from libjack. */
        void invoke(String message);
    }

    /**
     * Called by libjack on its notification thread after each xrun; returns 0. JNA attaches a native thread
     * to the JVM for each call and detaches it after, unless the callback has a
     * {@link com.sun.jna.CallbackThreadInitializer} that says otherwise: each attachment starts a Java
     * thread, whose first allocation buffer is then thrown away with it.
     */
    interface XrunCallback extends Callback {
        /** One xrun; {@code arg} is the pointer given when the callback was set. */
        int invoke(Pointer arg);
    }

    static native int jack_set_xrun_callback(long client, XrunCallback callback, Pointer arg);

    /** Called by libjack on its notification thread when the graph's latencies are worked out again. */
    interface LatencyCallback extends Callback {
        /** Sets the latencies of the client's ports in {@code mode} ({@link #CAPTURE_LATENCY} or playback). */
        void invoke(int mode, Pointer arg);
    }

    static native int jack_set_latency_callback(long client, LatencyCallback callback, Pointer arg);

    static native void jack_port_set_latency_range(long port, int mode, int[] minMax);

    static native int jack_recompute_total_latencies(long client);

    static native long jack_port_register(long client, String name, String type, long flags, long bufferSize);

    static native int jack_port_unregister(long client, long port);

    static native int jack_port_rename(long client, long port, String name);

    static native int jack_port_disconnect(long client, long port);

    static native int jack_connect(long client, String source, String destination);

    static native int jack_disconnect(long client, String source, String destination);

    static native long jack_port_by_name(long client, String name);

    static native int jack_set_buffer_size(long client, int frames);

    /** 1 when the client's server was started to run its process callbacks with real-time scheduling. */
    static native int jack_is_realtime(long client);

    /** The client's process thread (a pthread_t), once it is active; 0 before. */
    static native long jack_client_thread_id(long client);

    /**
     * Whether the client's process thread runs with a real-time policy now: the server asked for it
     * ({@code jackd -R}) and the system granted it. On Linux the thread's policy is read, since a server asks
     * even where the system refuses; elsewhere the server's word is taken.
     */
    static boolean processThreadRealTime(long client) {
        if (jack_is_realtime(client) != 1) {
            return false;
        }
        long thread = jack_client_thread_id(client);
        if (!com.sun.jna.Platform.isLinux() || thread == 0) {
            return true;
        }
        int[] policy = new int[1];
        return Threads.pthread_getschedparam(thread, policy, new int[1]) != 0
                || policy[0] == Threads.SCHED_FIFO || policy[0] == Threads.SCHED_RR;
    }

    /** The C library's thread scheduling, as Linux numbers its policies. */
    private static final class Threads {
        static final int SCHED_FIFO = 1;
        static final int SCHED_RR = 2;

        static {
            Native.register(Threads.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
        }

        static native int pthread_getschedparam(long thread, int[] policy, int[] priority);
    }

    @RealTime
    static native long jack_port_get_buffer(long port, int frames);

    @RealTime
    static native int jack_midi_get_event_count(long portBuffer);

    @RealTime
    static native int jack_midi_event_get(long event, long portBuffer, int index);

    @RealTime
    static native void jack_midi_clear_buffer(long portBuffer);

    @RealTime
    static native int jack_midi_event_write(long portBuffer, int time, long data, long size);

    static native String jack_port_name(long port);

    static native void jack_port_get_latency_range(long port, int mode, int[] minMax);

    static native void jack_set_error_function(MessageHandler handler);

    static native void jack_set_info_function(MessageHandler handler);

    /** Sets an environment variable of this process as native code sees it (libjack reads JACK_DEFAULT_SERVER). */
    static void setEnvironment(String name, String value) {
        C.setenv(name, value, 1);
    }

    /** The C library's environment, which {@link System#getenv} does not write. */
    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance("c"));
        }

        static native int setenv(String name, String value, int overwrite);
    }

    /**
     * A JNA pointer whose address can be moved, so native buffers can be read and written through one
     * preallocated object. Threads: the thread that owns it.
     */
    static final class MovablePointer extends Pointer {
        MovablePointer() {
            super(0);
        }

        /** Points at {@code address}. */
        @RealTime
        void moveTo(long address) {
            peer = address;
        }

        /** The 32-bit int at {@code offset}. */
        @RealTime
        int rtInt(long offset) {
            return getInt(offset);
        }

        /** The 64-bit long at {@code offset}. */
        @RealTime
        long rtLong(long offset) {
            return getLong(offset);
        }

        /** The unsigned byte at {@code offset}. */
        @RealTime
        int rtByte(long offset) {
            return getByte(offset) & 0xFF;
        }

        /** Writes the low byte of {@code value} at {@code offset}. */
        @RealTime
        void rtSetByte(long offset, int value) {
            setByte(offset, (byte) value);
        }
    }
}
