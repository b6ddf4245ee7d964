package desk.engine.backend;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * What libjack tells the JACK backend between cycles: xruns (counted on libjack's notification thread, kept
 * attached to the JVM so that an xrun starts no Java thread), the server's buffer size and sample rate, and
 * the server's end, each said once through the event listener.
 * <p>
 * libjack ends its notification thread with an asynchronous {@code pthread_cancel} when the client closes. A
 * thread cancelled while in Java leaves the JVM to abort later, so every callback runs inside
 * {@link #enter}/{@link #leave} and {@link #drain} waits, after deactivation (from then on libjack starts no
 * callback), for the one still running.
 * <p>
 * Threads: {@link #install} and {@link #drain} on the control thread; the callbacks on libjack's threads;
 * the readings on any thread.
 */
final class JackNotifications {
    private static final long DRAIN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final AtomicInteger running = new AtomicInteger();
    private final String serverName;
    private volatile boolean draining;
    private volatile int bufferFrames;
    private volatile int sampleRate;
    private volatile long xruns;
    private volatile boolean serverGone;
    private volatile Consumer<String> events = message -> { };
    /** Counts xruns; referenced here for as long as libjack may call it. */
    private final JackNative.XrunCallback xrunCounter = arg -> {
        if (enter()) {
            xruns = xruns + 1;
            leave();
        }
        return 0;
    };

    /** Readings of {@code client} on the server {@code serverName}, starting from its rate and buffer size now. */
    JackNotifications(JackClient client, String serverName) throws JackException {
        this.serverName = serverName;
        this.sampleRate = client.getSampleRate();
        this.bufferFrames = client.getBufferSize();
    }

    /** Sets the callbacks; before the client is activated. {@code engineRate} says the engine's own rate. */
    void install(JackClient client, long clientPointer, IntSupplier engineRate) throws JackException {
        Native.setCallbackThreadInitializer(xrunCounter, new CallbackThreadInitializer(true, false,
                "desk-jack-notification"));
        if (JackNative.jack_set_xrun_callback(clientPointer, xrunCounter, null) != 0) {
            throw new JackException("cannot set the xrun callback");
        }
        client.setBuffersizeCallback((c, frames) -> guarded(() -> {
            bufferFrames = frames;
            events.accept("JACK buffer size is now " + frames + " frames");
        }));
        client.setSampleRateCallback((c, rate) -> guarded(() -> {
            if (rate != sampleRate) {
                sampleRate = rate;
                events.accept("JACK sample rate is now " + rate + " Hz; the engine runs at " + engineRate.getAsInt()
                        + " Hz until it reconnects (:reconnect)");
            }
        }));
        client.onShutdown(c -> guarded(() -> {
            serverGone = true;
            String last = JackClients.lastMessage();
            events.accept("JACK server \"" + serverName + "\" stopped" + (last == null ? "" : " (" + last.strip() + ")"));
        }));
    }

    /** Runs {@code body} unless draining. */
    private void guarded(Runnable body) {
        if (enter()) {
            try {
                body.run();
            } finally {
                leave();
            }
        }
    }

    /** Whether a callback may run its body; if so, it must {@link #leave} when done. */
    boolean enter() {
        running.incrementAndGet();
        if (draining) {
            running.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Ends what {@link #enter} let in. */
    void leave() {
        running.decrementAndGet();
    }

    /**
     * Lets no further callback in and waits (2 s at most) until none is running; call after deactivating, so
     * that libjack may then cancel its threads.
     */
    void drain() {
        draining = true;
        long deadline = System.nanoTime() + DRAIN_WAIT_NANOS;
        while (running.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    /** Has the listener receive one line per event (server gone, buffer size or sample rate changed). */
    void onEvent(Consumer<String> listener) {
        events = listener;
    }

    /** Frames per period, as the server last said. */
    int bufferFrames() {
        return bufferFrames;
    }

    /** The server's sample rate, as it last said. */
    int sampleRate() {
        return sampleRate;
    }

    /** Xruns the server has reported. */
    long xruns() {
        return xruns;
    }

    /** True once the server has shut the client down. */
    boolean serverGone() {
        return serverGone;
    }
}
