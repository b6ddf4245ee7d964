package desk.engine.backend;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import org.jaudiolibs.jnajack.JackException;

import java.util.function.Supplier;

/**
 * Reports the engine's processing latency (its inserts' delay on the way to the master) on Desk's JACK ports,
 * as a JACK client that passes audio through must: in capture mode the outputs (master and direct outs) get
 * the capture latency of the track inputs plus the engine's; in playback mode the track inputs get the
 * playback latency of the outputs plus the engine's. Clients downstream, and recorders that compensate, then
 * see Desk's delay.
 * <p>
 * Threads: {@link #install} and {@link #refresh} on control threads; the callback on libjack's notification
 * thread, kept attached to the JVM.
 */
final class JackLatency {
    private final long client;
    private final AudioCallback engine;
    private final JackNotifications gate;
    private final Supplier<long[]> inputs;
    private final Supplier<long[]> outputs;
    /** Referenced here for as long as libjack may call it. */
    private final JackNative.LatencyCallback callback = this::reportLetIn;
    private volatile int reported;

    /**
     * A reporter for {@code engine}'s latency on the ports {@code inputs} and {@code outputs} give (handles),
     * whose callback {@code gate} lets in (see {@link JackNotifications#drain}).
     */
    JackLatency(long client, AudioCallback engine, JackNotifications gate, Supplier<long[]> inputs,
                Supplier<long[]> outputs) {
        this.client = client;
        this.engine = engine;
        this.gate = gate;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** Sets the callback; before the client is activated. */
    void install() throws JackException {
        Native.setCallbackThreadInitializer(callback, new CallbackThreadInitializer(true, false, "desk-jack-latency"));
        if (JackNative.jack_set_latency_callback(client, callback, null) != 0) {
            throw new JackException("cannot set the latency callback");
        }
    }

    /** Has JACK work the latencies out again if the engine's changed since it was last reported. */
    void refresh() {
        if (engine.processingLatency() != reported) {
            JackNative.jack_recompute_total_latencies(client);
        }
    }

    private void reportLetIn(int mode, com.sun.jna.Pointer arg) {
        if (gate.enter()) {
            try {
                report(mode);
            } finally {
                gate.leave();
            }
        }
    }

    private void report(int mode) {
        int own = engine.processingLatency();
        reported = own;
        boolean capture = mode == JackNative.CAPTURE_LATENCY;
        long[] from = capture ? inputs.get() : outputs.get();
        long[] to = capture ? outputs.get() : inputs.get();
        int[] range = new int[2];
        int least = Integer.MAX_VALUE;
        int most = 0;
        for (long port : from) {
            JackNative.jack_port_get_latency_range(port, mode, range);
            least = Math.min(least, range[0]);
            most = Math.max(most, range[1]);
        }
        int[] total = {(least == Integer.MAX_VALUE ? 0 : least) + own, most + own};
        for (long port : to) {
            JackNative.jack_port_set_latency_range(port, mode, total);
        }
    }
}
