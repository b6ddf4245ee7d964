package desk.engine.backend;

import desk.engine.AudioInterface;
import desk.engine.Engine;
import desk.engine.EngineException;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.RealTime;
import desk.engine.midi.MidiPorts;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;

import java.util.ArrayList;
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
 * {@code <track>_in_<n>}, which the engine reads as its capture channels (one channel per port, made as
 * tracks ask for them until the server refuses one, which is then reported with the server's count of
 * ports). Setting a track's input to a port connects that port to the track's port. A
 * bus with a direct out has output ports of its own, {@code <bus>_out_<n>}, which carry playback channels of
 * the engine from {@link Engine#FIRST_DIRECT_OUT} on (up to {@value #MAX_OUTPUT_PORTS} ports); the master's
 * and the buses' output ports connect to other clients' input ports.
 * <p>
 * Everything the audio thread touches is allocated before it runs or when a port is made: the callback
 * copies port buffers through one movable pointer and allocates nothing. Buffer size changes are followed
 * (periods longer than {@value #SPAN} frames are cut into spans); xruns, the server's changes and its end
 * are heard through {@link JackNotifications}; a server that stops is reported once through the event
 * listener and leaves the engine and the session intact. Closing keeps both of libjack's threads out of Java
 * when libjack cancels them.
 * <p>
 * Threads: {@link #open}, the port methods and {@link #close} on the control thread (the session's);
 * the process callback on JACK's audio thread; xrun, buffer-size, sample-rate and shutdown callbacks on
 * JACK's notification threads; the counters and {@link #latency} on any thread.
 */
public final class JackBackend<E extends AudioCallback> implements AudioInterface, AutoCloseable {
    /** Makes the engine a backend drives, once the server has said its sample rate. */
    @FunctionalInterface
    public interface EngineFactory<E extends AudioCallback> {
        /** An engine at {@code sampleRate} Hz with {@code capturePorts} capture ports and {@code playbackChannels} playback channels. */
        E create(int sampleRate, int capturePorts, int playbackChannels);
    }

    /** The client name when none is given. */
    public static final String DEFAULT_CLIENT_NAME = "desk";
    /** Most output ports of buses' direct outs: the engine's playback channels after the master's. */
    public static final int MAX_OUTPUT_PORTS = Limits.MAX_DIRECT_OUTS;
    private static final int MASTER_CHANNELS = 2;
    /** The most frames the callback hands the engine at once; each port's buffer holds this many. */
    static final int SPAN = 1024;
    /** Places in the input table at start; it doubles when full. */
    private static final int FIRST_INPUT_PLACES = 64;
    private static final long CYCLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long SILENCE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Counts the bytes the audio thread allocates. */
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private final Jack jack;
    private final JackClient client;
    private final long clientPointer;
    private final JackGraph graph;
    private final String serverName;
    private final E engine;
    private final JackLatency processingLatency;
    private final long[] masterPorts = new long[MASTER_CHANNELS];
    private final String[] masterPortNames = new String[MASTER_CHANNELS];
    private final float[][] playback = new float[Limits.FIRST_DIRECT_OUT + MAX_OUTPUT_PORTS][];
    private final JackNative.MovablePointer rtPointer = new JackNative.MovablePointer();
    private final CallbackTimes times;
    private final Map<Integer, int[]> trackPorts = new HashMap<>();
    private final Map<Integer, int[]> busPorts = new HashMap<>();
    private volatile JackInputs inputs = new JackInputs(new JackPort[FIRST_INPUT_PLACES]);
    private volatile JackPort[] outputPorts = new JackPort[MAX_OUTPUT_PORTS];
    private final JackNotifications notifications;
    private final JackMidi midi;
    private volatile long cycles;
    private volatile Thread audioThread;
    /** Set on close: the callback then writes silence and leaves the engine alone until libjack stops it. */
    private volatile boolean closing;
    private boolean closed;


    private JackBackend(Jack jack, JackClient client, String serverName, CallbackTimes times, EngineFactory<E> factory)
            throws JackException {
        this.jack = jack;
        this.client = client;
        this.serverName = serverName;
        this.times = times;
        this.clientPointer = JackClients.nativeClient(client);
        this.graph = new JackGraph(jack, client, clientPointer, this::awaitCycle);
        this.notifications = new JackNotifications(client, serverName);
        this.midi = new JackMidi(jack, client, clientPointer, this::awaitCycle);
        this.engine = factory.create(notifications.sampleRate(), Limits.MAX_CAPTURE_PORTS,
                Limits.FIRST_DIRECT_OUT + MAX_OUTPUT_PORTS);
        for (int c = 0; c < MASTER_CHANNELS; c++) {
            playback[c] = new float[SPAN];
            String shortName = "master_out_" + (c + 1);
            masterPorts[c] = register(shortName, JackNative.PORT_IS_OUTPUT);
            masterPortNames[c] = client.getName() + ":" + shortName;
        }
        this.processingLatency = new JackLatency(clientPointer, engine, notifications, () -> JackPort.handles(inputs.ports()),
                () -> java.util.stream.LongStream.concat(java.util.Arrays.stream(masterPorts),
                        java.util.Arrays.stream(JackPort.handles(outputPorts))).toArray());
    }

    /** Has JACK see the engine's processing latency on Desk's ports again, if it changed. Control threads. */
    @Override
    public void refreshLatency() {
        if (!notifications.serverGone()) {
            processingLatency.refresh();
        }
    }

    /**
     * Connects to the JACK server {@code serverName} (null: the default server, or JACK_DEFAULT_SERVER) as
     * a client called {@code clientName}, starts the engine in its process callback and connects the master
     * to the first two physical playback ports; takes are aligned by the physical ports' capture and playback
     * latencies the server reports. Never starts a server. {@code factory} makes the engine at the server's
     * rate; {@code times}, if not null, records how long each callback takes. Throws {@link EngineException} with one line saying why when no server
     * answers or libjack is missing.
     */
    public static <E extends AudioCallback> JackBackend<E> open(String clientName, String serverName, CallbackTimes times,
                                                             EngineFactory<E> factory) {
        Jack jack = JackClients.library(serverName);
        String server = JackPresence.serverLabel(serverName);
        JackClient client = JackClients.openClient(jack, clientName, server);
        JackBackend<E> backend = null;
        try {
            backend = new JackBackend<>(jack, client, server, times, factory);
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

    private void start() throws JackException {
        client.setProcessCallback((c, frames) -> rtProcess(frames));
        notifications.install(client, clientPointer, engine::sampleRate);
        processingLatency.install();
        engine.setAudioThreadRunning(true);
        client.activate();
        String[] physical = jack.getPorts(client, null, JackPortType.AUDIO,
                EnumSet.of(JackPortFlags.JackPortIsInput, JackPortFlags.JackPortIsPhysical));
        for (int c = 0; c < MASTER_CHANNELS && c < physical.length; c++) {
            jack.connect(client, masterPortNames[c], physical[c]);
        }
    }

    /** The engine the callback runs. */
    public E engine() {
        return engine;
    }

    /** The client's name on the server (the one asked for, unless the server had to make it unique). */
    public String clientName() {
        return client.getName();
    }

    /** Frames per period, as the server has it now. */
    public int bufferFrames() {
        return notifications.bufferFrames();
    }

    /**
     * Asks the server to run in periods of {@code frames} frames (for every client) and waits until this
     * client follows; refuses a size the server does not take.
     */
    public void requestBufferSize(int frames) {
        if (frames == bufferFrames()) {
            return;
        }
        if (JackNative.jack_set_buffer_size(clientPointer, frames) != 0) {
            throw new EngineException("JACK server \"" + serverName + "\" refused a period of " + frames
                    + " frames: try a power of two, 16..4096");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bufferFrames() != frames && System.nanoTime() < deadline) {
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
        return notifications.serverGone();
    }

    /** Receives one line per event (server gone, buffer size or sample rate changed), on JACK's threads. */
    public void onEvent(Consumer<String> listener) {
        notifications.onEvent(listener);
    }

    @RealTime
    private boolean rtProcess(int frames) {
        if (audioThread == null) {
            audioThread = Thread.currentThread();
        }
        if (times != null) {
            times.rtBegin();
        }
        JackInputs in = inputs;
        JackPort[] ports = in.ports();
        JackPort[] outputs = outputPorts;
        for (int p = 0; p < outputs.length; p++) {
            playback[Limits.FIRST_DIRECT_OUT + p] = outputs[p] == null ? null : outputs[p].buffer();
        }
        long periodStart = engine.rtPosition();
        if (!closing) {
            midi.rtRead(engine, frames);
        }
        int done = 0;
        while (done < frames) {
            int span = Math.min(frames - done, SPAN);
            long byteOffset = (long) done * Float.BYTES;
            for (JackPort port : ports) {
                if (port != null) {
                    rtPointer.moveTo(JackNative.jack_port_get_buffer(port.handle(), frames));
                    rtPointer.read(byteOffset, port.buffer(), 0, span);
                }
            }
            if (closing) {
                silence(outputs, span);
            } else {
                engine.rtProcess(in.buffers(), playback, span);
            }
            for (int c = 0; c < MASTER_CHANNELS; c++) {
                rtPointer.moveTo(JackNative.jack_port_get_buffer(masterPorts[c], frames));
                rtPointer.write(byteOffset, playback[c], 0, span);
            }
            for (JackPort port : outputs) {
                if (port != null) {
                    rtPointer.moveTo(JackNative.jack_port_get_buffer(port.handle(), frames));
                    rtPointer.write(byteOffset, port.buffer(), 0, span);
                }
            }
            done += span;
        }
        midi.rtWrite(engine.rtMidiOut(), periodStart, frames);
        cycles = cycles + 1;
        if (times != null) {
            times.rtEnd();
        }
        return true;
    }

    @RealTime
    private void silence(JackPort[] outputs, int span) {
        for (int c = 0; c < MASTER_CHANNELS; c++) {
            java.util.Arrays.fill(playback[c], 0, span, 0f);
        }
        JackPort.silence(outputs, span);
    }

    // ------------------------------------------------------------------ the audio interface

    @Override
    public String describe() {
        return "JACK server \"" + serverName + "\" as client " + client.getName() + ", " + notifications.sampleRate()
                + " Hz, " + bufferFrames() + "-frame periods" + (JackNative.processThreadRealTime(clientPointer) ? ""
                : ", without real-time scheduling (a busy machine can cost dropouts: start jackd with -R)");
    }

    @Override
    public List<String> inputs() {
        return graph.foreignPorts(JackPortFlags.JackPortIsOutput);
    }

    @Override
    public MidiPorts midiPorts() {
        return midi;
    }

    @Override
    public List<String> outputs() {
        return graph.foreignPorts(JackPortFlags.JackPortIsInput);
    }

    @Override
    public void addTrack(int trackId, String name, int channels) {
        JackPort[] next = JackInputs.withRoom(inputs.ports(), channels);
        int[] slots;
        try {
            slots = makePorts(next, name, "_in_", channels, JackNative.PORT_IS_INPUT);
        } catch (EngineException e) {
            throw new EngineException("track " + name + ": " + e.getMessage());
        }
        if (slots == null) {
            throw new EngineException("track " + name + ": no room for " + channels + " more input port"
                    + (channels == 1 ? "" : "s") + " (at most " + Limits.MAX_CAPTURE_PORTS + " in all)");
        }
        inputs = new JackInputs(next);
        trackPorts.put(trackId, slots);
    }

    @Override
    public void renameTrack(int trackId, String name) {
        JackPort[] next = inputs.ports().clone();
        renamePorts(next, ports(trackId), name, "_in_");
        inputs = new JackInputs(next);
    }

    @Override
    public void removeTrack(int trackId) {
        int[] slots = ports(trackId);
        unregisterAll(inputs.ports().clone(), slots, slots.length, true);
        trackPorts.remove(trackId);
    }

    @Override
    public void checkInput(String port) {
        graph.checkInput(port);
    }

    @Override
    public int connectInput(int trackId, int channel, String port) {
        int[] slots = ports(trackId);
        JackPort own = inputs.ports()[slots[channel]];
        if (port != null) {
            graph.checkInput(port);
        }
        graph.connectInput(own.handle(), own.name(), port);
        return slots[channel];
    }

    /** The full names of a track's input ports, one per channel. */
    public List<String> trackPortNames(int trackId) {
        List<String> names = new ArrayList<>();
        for (int slot : ports(trackId)) {
            names.add(inputs.ports()[slot].name());
        }
        return names;
    }

    @Override
    public List<String> busPorts(int busId) {
        if (busId == NodeIds.MASTER_ID) {
            return List.of(masterPortNames);
        }
        int[] slots = busPorts.get(busId);
        List<String> names = new ArrayList<>();
        if (slots != null) {
            for (int slot : slots) {
                names.add(outputPorts[slot].name());
            }
        }
        return names;
    }

    @Override
    public int[] addDirectOut(int busId, String name, int channels) {
        if (busPorts.containsKey(busId)) {
            throw new EngineException("bus " + name + " has a direct out already");
        }
        JackPort[] next = outputPorts.clone();
        int[] slots = makePorts(next, name, "_out_", channels, JackNative.PORT_IS_OUTPUT);
        if (slots == null) {
            throw new EngineException("bus " + name + ": no room for " + channels + " more output port"
                    + (channels == 1 ? "" : "s") + " (at most " + MAX_OUTPUT_PORTS + " in all)");
        }
        outputPorts = next;
        busPorts.put(busId, slots);
        return JackPort.playbackChannels(slots);
    }

    @Override
    public void renameDirectOut(int busId, String name) {
        JackPort[] next = outputPorts.clone();
        renamePorts(next, directOut(busId), name, "_out_");
        outputPorts = next;
    }

    @Override
    public void removeDirectOut(int busId) {
        int[] slots = directOut(busId);
        int[] channels = JackPort.playbackChannels(slots);
        long deadline = System.nanoTime() + SILENCE_WAIT_NANOS;
        while (!engine.playbackSilent(channels) && !serverGone() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        awaitCycle();
        unregisterAll(outputPorts.clone(), slots, slots.length, false);
        busPorts.remove(busId);
    }

    @Override
    public void checkOutput(String port) {
        graph.checkOutput(port);
    }

    @Override
    public List<List<String>> connections(int busId) {
        List<List<String>> result = new ArrayList<>();
        for (String name : ownOutputs(busId)) {
            result.add(graph.connectionsOf(name));
        }
        return result;
    }

    @Override
    public void connectOutput(int busId, int channel, String port) {
        graph.connectOutput(ownOutput(busId, channel), port);
    }

    @Override
    public void disconnectOutput(int busId, int channel, String port) {
        graph.disconnectOutput(ownOutput(busId, channel), port);
    }

    @Override
    public Latency latency() {
        int[] captureRange = graph.latencyOf(JackPortFlags.JackPortIsOutput, JackNative.CAPTURE_LATENCY);
        int[] playbackRange = graph.latencyOf(JackPortFlags.JackPortIsInput, JackNative.PLAYBACK_LATENCY);
        return new Latency(notifications.sampleRate(), bufferFrames(), captureRange[0], captureRange[1], playbackRange[0],
                playbackRange[1]);
    }

    @Override
    public long xruns() {
        return notifications.xruns();
    }

    /**
     * Stops processing and leaves the server; safe to call twice and after the server has gone. libjack
     * cancels its threads asynchronously on the way out, so neither may be in Java by then: the callback goes
     * silent (a few microseconds long) for two cycles before deactivation, and notifications are drained after.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        if (!serverGone()) {
            if (audioThread != null) {
                awaitCycle();
            }
            client.deactivate();
        }
        notifications.drain();
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

    private int[] directOut(int busId) {
        int[] slots = busPorts.get(busId);
        if (slots == null) {
            throw new EngineException("bus " + busId + " has no direct out");
        }
        return slots;
    }

    /** The full names of a bus's own output ports: the master's, or its direct out's. */
    private List<String> ownOutputs(int busId) {
        if (busId != NodeIds.MASTER_ID) {
            directOut(busId);
        }
        return busPorts(busId);
    }

    private String ownOutput(int busId, int channel) {
        List<String> names = ownOutputs(busId);
        if (channel < 0 || channel >= names.size()) {
            throw new EngineException("bus " + busId + " has no output port for channel " + (channel + 1));
        }
        return names.get(channel);
    }

    /**
     * Registers {@code channels} ports {@code <name><infix><n>} in the first free places of {@code table};
     * returns the places, or null (with nothing registered) when there is no room. A refusal from JACK
     * unregisters what was made and is thrown.
     */
    private int[] makePorts(JackPort[] table, String name, String infix, int channels, long flags) {
        int[] slots = new int[channels];
        int made = 0;
        try {
            for (int p = 0; p < table.length && made < channels; p++) {
                if (table[p] == null) {
                    String shortName = JackPort.shortName(name, infix, made);
                    table[p] = new JackPort(register(shortName, flags), client.getName() + ":" + shortName,
                            new float[SPAN]);
                    slots[made++] = p;
                }
            }
        } catch (EngineException e) {
            unregisterAll(table, slots, made, flags == JackNative.PORT_IS_INPUT);
            throw e;
        }
        if (made < channels) {
            unregisterAll(table, slots, made, flags == JackNative.PORT_IS_INPUT);
            return null;
        }
        return slots;
    }

    /** Renames the ports at {@code slots} of {@code table} to {@code <name><infix><n>}. */
    private void renamePorts(JackPort[] table, int[] slots, String name, String infix) {
        for (int c = 0; c < slots.length; c++) {
            JackPort port = table[slots[c]];
            String shortName = JackPort.shortName(name, infix, c);
            if (JackNative.jack_port_rename(clientPointer, port.handle(), shortName) != 0) {
                throw new EngineException("JACK refused to rename port " + port.name() + " to " + shortName);
            }
            table[slots[c]] = new JackPort(port.handle(), client.getName() + ":" + shortName, port.buffer());
        }
    }

    private long register(String shortName, long flags) {
        long port = JackNative.jack_port_register(clientPointer, shortName, JackNative.AUDIO_TYPE, flags, 0);
        if (port == 0) {
            throw refused(client.getName() + ":" + shortName);
        }
        return port;
    }

    /** Says why the server refused port {@code name}, with the ports it holds and how many are Desk's. */
    private EngineException refused(String name) {
        int own = MASTER_CHANNELS + trackPorts.values().stream().mapToInt(slots -> slots.length).sum()
                + busPorts.values().stream().mapToInt(slots -> slots.length).sum();
        return graph.refusedPort(serverName, name, own);
    }

    /**
     * Takes {@code count} of {@code slots} out of {@code table}, publishes it as the input or output table,
     * then unregisters them once the callback has stopped using them.
     */
    private void unregisterAll(JackPort[] table, int[] slots, int count, boolean inputSide) {
        long[] handles = new long[count];
        for (int i = 0; i < count; i++) {
            handles[i] = table[slots[i]].handle();
            table[slots[i]] = null;
        }
        if (inputSide) {
            inputs = new JackInputs(table);
        } else {
            outputPorts = table;
        }
        awaitCycle();
        for (long handle : handles) {
            JackNative.jack_port_unregister(clientPointer, handle);
        }
    }

    /** Waits until the callback has surely stopped using ports taken out of the table, if it runs. */
    private void awaitCycle() {
        long target = cycles + 2;
        long deadline = System.nanoTime() + CYCLE_WAIT_NANOS;
        while (cycles < target && !serverGone() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
