package desk.engine.backend;

import desk.engine.AudioInterface;
import desk.engine.Engine;
import desk.engine.EngineException;
import desk.engine.RealTime;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The engine on a JACK server, through JNAJack: a client (named {@code desk} unless told otherwise) whose
 * process callback runs the engine. The master has output ports {@code master_out_1/2}, connected to the
 * server's first two physical playback ports at start; every track has input ports of its own,
 * {@code <track>_in_<n>}, which the engine reads as its capture channels (one channel per port, up to
 * {@value #MAX_INPUT_PORTS}). Setting a track's input to a port connects that port to the track's port.
 * <p>
 * Everything the audio thread touches is allocated before it runs or when a port is made: the callback
 * copies port buffers through one movable pointer and allocates nothing. Buffer size changes are followed
 * (blocks longer than {@link Engine#MAX_BLOCK} are cut into spans); xruns are counted on libjack's
 * notification thread, kept attached to the JVM so that an xrun starts no Java thread; a server that stops
 * is reported once through the event listener and leaves the engine and the session intact.
 * <p>
 * Threads: {@link #open}, the port methods and {@link #close} on the control thread (the session's);
 * the process callback on JACK's audio thread; xrun, buffer-size, sample-rate and shutdown callbacks on
 * JACK's notification threads; the counters and {@link #latency} on any thread.
 */
public final class JackBackend implements AudioInterface, AutoCloseable {
    /** The client name when none is given. */
    public static final String DEFAULT_CLIENT_NAME = "desk";
    /** Most track input ports: the engine's capture channels. */
    public static final int MAX_INPUT_PORTS = 256;
    private static final int MASTER_CHANNELS = 2;
    private static final long CYCLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Keeps libjack's own messages off the terminal; the last one explains a failure to connect. */
    private static final JackNative.MessageHandler QUIET = message -> lastMessage = message;
    private static volatile String lastMessage;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private final Jack jack;
    private final JackClient client;
    private final long clientPointer;
    private final String serverName;
    private final Engine engine;
    private final long[] masterPorts = new long[MASTER_CHANNELS];
    private final String[] masterPortNames = new String[MASTER_CHANNELS];
    private final float[][] capture = new float[MAX_INPUT_PORTS][];
    private final float[][] playback = new float[MASTER_CHANNELS][Engine.MAX_BLOCK];
    private final JackNative.MovablePointer rtPointer = new JackNative.MovablePointer();
    private final CallbackTimes times;
    private final Map<Integer, int[]> trackPorts = new HashMap<>();
    private volatile InputPort[] inputPorts = new InputPort[MAX_INPUT_PORTS];
    private volatile int bufferFrames;
    private volatile int serverSampleRate;
    private volatile long xruns;
    private volatile long cycles;
    private volatile boolean serverGone;
    private volatile Thread audioThread;
    private volatile Consumer<String> events = message -> { };
    /** Counts xruns; referenced here for as long as libjack may call it. */
    private final JackNative.XrunCallback xrunCounter = arg -> {
        xruns = xruns + 1;
        return 0;
    };
    private boolean closed;

    /** A track's input port: its native handle, full name and the buffer the engine reads it from. */
    private record InputPort(long handle, String name, float[] buffer) {
    }

    private JackBackend(Jack jack, JackClient client, String serverName, CallbackTimes times) throws JackException {
        this.jack = jack;
        this.client = client;
        this.serverName = serverName;
        this.times = times;
        this.clientPointer = nativeClient(client);
        this.serverSampleRate = client.getSampleRate();
        this.bufferFrames = client.getBufferSize();
        this.engine = new Engine(serverSampleRate, MAX_INPUT_PORTS);
        for (int c = 0; c < MASTER_CHANNELS; c++) {
            String shortName = "master_out_" + (c + 1);
            masterPorts[c] = register(shortName, JackNative.PORT_IS_OUTPUT);
            masterPortNames[c] = client.getName() + ":" + shortName;
        }
    }

    /**
     * Connects to the JACK server {@code serverName} (null: the default server, or JACK_DEFAULT_SERVER) as
     * a client called {@code clientName}, starts the engine in its process callback and connects the master
     * to the first two physical playback ports; takes are aligned by the physical ports' capture and playback
     * latencies the server reports. Never starts a server. {@code times}, if not null, records
     * how long each callback takes. Throws {@link EngineException} with one line saying why when no server
     * answers or libjack is missing.
     */
    public static JackBackend open(String clientName, String serverName, CallbackTimes times) {
        Jack jack = library(serverName);
        String server = serverLabel(serverName);
        JackClient client = openClient(jack, clientName, server);
        JackBackend backend = null;
        try {
            backend = new JackBackend(jack, client, server, times);
            backend.start();
            Latency latency = backend.latency();
            backend.engine.setLatency(latency.captureMax(), latency.playbackMax());
            return backend;
        } catch (JackException | RuntimeException e) {
            if (backend != null) {
                backend.close();
            } else {
                client.close();
            }
            throw new EngineException("JACK server \"" + server + "\": could not start the client "
                    + clientName + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /**
     * The xruns the JACK server {@code serverName} (null: the default) has in {@code millis} ms with no Desk
     * client processing: a client that only listens for xruns, for a baseline.
     */
    public static long baselineXruns(String serverName, long millis) throws InterruptedException {
        JackClient client = openClient(library(serverName), DEFAULT_CLIENT_NAME + "-baseline", serverLabel(serverName));
        long[] count = {0};
        try {
            client.setXrunCallback(c -> count[0]++);
            client.activate();
        } catch (JackException e) {
            throw new EngineException("JACK: cannot open a client to count the server's own xruns");
        }
        try {
            Thread.sleep(millis);
        } finally {
            client.deactivate();
            client.close();
        }
        return count[0];
    }

    /** libjack through JNAJack, quiet, aimed at {@code serverName} (null: the default server). */
    private static Jack library(String serverName) {
        try {
            JackNative.jack_set_error_function(QUIET);
            JackNative.jack_set_info_function(QUIET);
            if (serverName != null) {
                JackNative.setEnvironment("JACK_DEFAULT_SERVER", serverName);
            }
            return Jack.getInstance();
        } catch (UnsatisfiedLinkError | JackException e) {
            throw new EngineException("JACK is not installed here (libjack not found): install jackd2");
        }
    }

    private static String serverLabel(String serverName) {
        return serverName != null ? serverName : System.getenv().getOrDefault("JACK_DEFAULT_SERVER", "default");
    }

    private static JackClient openClient(Jack jack, String clientName, String server) {
        EnumSet<JackStatus> status = EnumSet.noneOf(JackStatus.class);
        try {
            return jack.openClient(clientName, EnumSet.of(JackOptions.JackNoStartServer), status);
        } catch (JackException e) {
            throw new EngineException("no JACK server \"" + server + "\" is running"
                    + (status.contains(JackStatus.JackServerFailed) || status.isEmpty() ? ""
                    : " (" + status + ")"));
        }
    }

    private void start() throws JackException {
        client.setProcessCallback((c, frames) -> rtProcess(frames));
        Native.setCallbackThreadInitializer(xrunCounter, new CallbackThreadInitializer(true, false,
                "desk-jack-notification"));
        if (JackNative.jack_set_xrun_callback(clientPointer, xrunCounter, null) != 0) {
            throw new JackException("cannot set the xrun callback");
        }
        client.setBuffersizeCallback((c, frames) -> {
            bufferFrames = frames;
            events.accept("JACK buffer size is now " + frames + " frames");
        });
        client.setSampleRateCallback((c, rate) -> {
            if (rate != serverSampleRate) {
                serverSampleRate = rate;
                events.accept("JACK sample rate is now " + rate + " Hz; the engine runs at " + engine.sampleRate()
                        + " Hz until it reconnects (:reconnect)");
            }
        });
        client.onShutdown(c -> {
            serverGone = true;
            events.accept("JACK server \"" + serverName + "\" stopped" + (lastMessage == null ? ""
                    : " (" + lastMessage.strip() + ")"));
        });
        engine.setAudioThreadRunning(true);
        client.activate();
        String[] physical = jack.getPorts(client, null, JackPortType.AUDIO,
                EnumSet.of(JackPortFlags.JackPortIsInput, JackPortFlags.JackPortIsPhysical));
        for (int c = 0; c < MASTER_CHANNELS && c < physical.length; c++) {
            jack.connect(client, masterPortNames[c], physical[c]);
        }
    }

    /** The engine the callback runs. */
    public Engine engine() {
        return engine;
    }

    /** The client's name on the server (the one asked for, unless the server had to make it unique). */
    public String clientName() {
        return client.getName();
    }

    /** Frames per period, as the server has it now. */
    public int bufferFrames() {
        return bufferFrames;
    }

    /**
     * Asks the server to run in periods of {@code frames} frames (for every client) and waits until this
     * client follows; refuses a size the server does not take.
     */
    public void requestBufferSize(int frames) {
        if (frames == bufferFrames) {
            return;
        }
        if (JackNative.jack_set_buffer_size(clientPointer, frames) != 0) {
            throw new EngineException("JACK server \"" + serverName + "\" refused a period of " + frames
                    + " frames: try a power of two, 16..4096");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bufferFrames != frames && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Process callbacks run so far. */
    public long cycles() {
        return cycles;
    }

    /**
     * Bytes JACK's process thread has allocated since it started, callbacks and binding together, or -1 before
     * the first callback; once warmed up it stops growing, as nothing in the callback allocates. Any thread.
     */
    public long audioThreadAllocatedBytes() {
        Thread thread = audioThread;
        return thread == null ? -1 : THREADS.getThreadAllocatedBytes(thread.threadId());
    }

    /** True once the server has shut the client down. */
    public boolean serverGone() {
        return serverGone;
    }

    /** Receives one line per event (server gone, buffer size or sample rate changed), on JACK's threads. */
    public void onEvent(Consumer<String> listener) {
        events = listener;
    }

    @RealTime
    private boolean rtProcess(int frames) {
        if (audioThread == null) {
            audioThread = Thread.currentThread();
        }
        if (times != null) {
            times.rtBegin();
        }
        InputPort[] ports = inputPorts;
        int done = 0;
        while (done < frames) {
            int span = Math.min(frames - done, Engine.MAX_BLOCK);
            long byteOffset = (long) done * Float.BYTES;
            for (int p = 0; p < ports.length; p++) {
                InputPort port = ports[p];
                if (port == null) {
                    capture[p] = null;
                } else {
                    rtPointer.moveTo(JackNative.jack_port_get_buffer(port.handle(), frames));
                    rtPointer.read(byteOffset, port.buffer(), 0, span);
                    capture[p] = port.buffer();
                }
            }
            engine.rtProcess(capture, playback, span);
            for (int c = 0; c < MASTER_CHANNELS; c++) {
                rtPointer.moveTo(JackNative.jack_port_get_buffer(masterPorts[c], frames));
                rtPointer.write(byteOffset, playback[c], 0, span);
            }
            done += span;
        }
        cycles = cycles + 1;
        if (times != null) {
            times.rtEnd();
        }
        return true;
    }

    // ------------------------------------------------------------------ the audio interface

    @Override
    public String describe() {
        return "JACK server \"" + serverName + "\" as client " + client.getName() + ", " + serverSampleRate
                + " Hz, " + bufferFrames + "-frame periods";
    }

    @Override
    public List<String> inputs() {
        return foreignPorts(JackPortFlags.JackPortIsOutput);
    }

    @Override
    public List<String> outputs() {
        return foreignPorts(JackPortFlags.JackPortIsInput);
    }

    @Override
    public List<String> masterConnections() {
        List<String> connected = new ArrayList<>();
        for (String name : masterPortNames) {
            try {
                connected.addAll(Arrays.asList(jack.getAllConnections(client, name)));
            } catch (JackException e) {
                throw new EngineException("JACK: cannot read the connections of " + name);
            }
        }
        return connected;
    }

    @Override
    public void addTrack(int trackId, String name, int channels) {
        int[] slots = new int[channels];
        InputPort[] next = inputPorts.clone();
        int made = 0;
        try {
            for (int p = 0; p < next.length && made < channels; p++) {
                if (next[p] == null) {
                    String shortName = portName(name, made);
                    next[p] = new InputPort(register(shortName, JackNative.PORT_IS_INPUT),
                            client.getName() + ":" + shortName, new float[Engine.MAX_BLOCK]);
                    slots[made++] = p;
                }
            }
        } catch (EngineException e) {
            unregisterAll(next, slots, made);
            throw e;
        }
        if (made < channels) {
            unregisterAll(next, slots, made);
            throw new EngineException("track " + name + ": no room for " + channels + " more input port"
                    + (channels == 1 ? "" : "s") + " (at most " + MAX_INPUT_PORTS + " in all)");
        }
        inputPorts = next;
        trackPorts.put(trackId, slots);
    }

    @Override
    public void renameTrack(int trackId, String name) {
        int[] slots = ports(trackId);
        InputPort[] next = inputPorts.clone();
        for (int c = 0; c < slots.length; c++) {
            InputPort port = next[slots[c]];
            String shortName = portName(name, c);
            if (JackNative.jack_port_rename(clientPointer, port.handle(), shortName) != 0) {
                throw new EngineException("JACK refused to rename port " + port.name() + " to " + shortName);
            }
            next[slots[c]] = new InputPort(port.handle(), client.getName() + ":" + shortName, port.buffer());
        }
        inputPorts = next;
    }

    @Override
    public void removeTrack(int trackId) {
        int[] slots = ports(trackId);
        InputPort[] next = inputPorts.clone();
        unregisterAll(next, slots, slots.length);
        trackPorts.remove(trackId);
    }

    @Override
    public void checkInput(String port) {
        List<String> available = foreignPorts(JackPortFlags.JackPortIsOutput);
        if (!available.contains(port)) {
            throw new EngineException("input port \"" + port + "\": the JACK server has no such output port"
                    + (available.isEmpty() ? " (it has none)" : "; it has " + summary(available)));
        }
    }

    @Override
    public int connectInput(int trackId, int channel, String port) {
        int[] slots = ports(trackId);
        InputPort own = inputPorts[slots[channel]];
        if (port != null) {
            checkInput(port);
        }
        JackNative.jack_port_disconnect(clientPointer, own.handle());
        if (port != null) {
            try {
                jack.connect(client, port, own.name());
            } catch (JackException e) {
                throw new EngineException("JACK refused to connect " + port + " to " + own.name());
            }
        }
        return slots[channel];
    }

    /** The full names of a track's input ports, one per channel. */
    public List<String> trackPortNames(int trackId) {
        List<String> names = new ArrayList<>();
        for (int slot : ports(trackId)) {
            names.add(inputPorts[slot].name());
        }
        return names;
    }

    /** The full names of the master's output ports. */
    public List<String> masterPortNames() {
        return List.of(masterPortNames);
    }

    @Override
    public Latency latency() {
        int[] captureRange = latencyOf(JackPortFlags.JackPortIsOutput, JackNative.CAPTURE_LATENCY);
        int[] playbackRange = latencyOf(JackPortFlags.JackPortIsInput, JackNative.PLAYBACK_LATENCY);
        return new Latency(serverSampleRate, bufferFrames, captureRange[0], captureRange[1], playbackRange[0],
                playbackRange[1]);
    }

    @Override
    public long xruns() {
        return xruns;
    }

    /** Stops processing and leaves the server; safe to call twice and after the server has gone. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!serverGone) {
            client.deactivate();
        }
        client.close();
        engine.setAudioThreadRunning(false);
    }

    // ------------------------------------------------------------------ plumbing

    private int[] ports(int trackId) {
        int[] slots = trackPorts.get(trackId);
        if (slots == null) {
            throw new EngineException("track " + trackId + " has no JACK ports");
        }
        return slots;
    }

    /** Latency range [min, max] over the physical ports with {@code flag}, in {@code mode}. */
    private int[] latencyOf(JackPortFlags flag, int mode) {
        int[] result = {0, 0};
        int[] range = new int[2];
        boolean first = true;
        try {
            for (String name : jack.getPorts(client, null, JackPortType.AUDIO,
                    EnumSet.of(flag, JackPortFlags.JackPortIsPhysical))) {
                long port = JackNative.jack_port_by_name(clientPointer, name);
                if (port == 0) {
                    continue;
                }
                JackNative.jack_port_get_latency_range(port, mode, range);
                result[0] = first ? range[0] : Math.min(result[0], range[0]);
                result[1] = first ? range[1] : Math.max(result[1], range[1]);
                first = false;
            }
        } catch (JackException e) {
            throw new EngineException("JACK: cannot read the ports' latency");
        }
        return result;
    }

    private List<String> foreignPorts(JackPortFlags direction) {
        String own = client.getName() + ":";
        try {
            List<String> names = new ArrayList<>();
            for (String name : jack.getPorts(client, null, JackPortType.AUDIO, EnumSet.of(direction))) {
                if (!name.startsWith(own)) {
                    names.add(name);
                }
            }
            return names;
        } catch (JackException e) {
            throw new EngineException("JACK: cannot list the server's ports");
        }
    }

    private static String summary(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
    }

    private long register(String shortName, long flags) {
        long port = JackNative.jack_port_register(clientPointer, shortName, JackNative.AUDIO_TYPE, flags, 0);
        if (port == 0) {
            throw new EngineException("JACK refused to make port " + client.getName() + ":" + shortName);
        }
        return port;
    }

    /** Takes {@code count} of {@code slots} out of {@code ports}, publishes that, then unregisters them. */
    private void unregisterAll(InputPort[] ports, int[] slots, int count) {
        long[] handles = new long[count];
        for (int i = 0; i < count; i++) {
            handles[i] = ports[slots[i]].handle();
            ports[slots[i]] = null;
        }
        inputPorts = ports;
        awaitCycle();
        for (long handle : handles) {
            JackNative.jack_port_unregister(clientPointer, handle);
        }
    }

    /** Waits until the callback has surely stopped using ports taken out of the table, if it runs. */
    private void awaitCycle() {
        long target = cycles + 2;
        long deadline = System.nanoTime() + CYCLE_WAIT_NANOS;
        while (cycles < target && !serverGone && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static String portName(String trackName, int channel) {
        return trackName.replace(':', '_') + "_in_" + (channel + 1);
    }

    /** The libjack client handle behind a JNAJack client, which JNAJack keeps to itself. */
    private static long nativeClient(JackClient client) throws JackException {
        try {
            Field field = JackClient.class.getDeclaredField("clientPtr");
            field.setAccessible(true);
            com.sun.jna.PointerType handle = (com.sun.jna.PointerType) field.get(client);
            return com.sun.jna.Pointer.nativeValue(handle.getPointer());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new JackException("this JNAJack version hides its client handle", e);
        }
    }
}
