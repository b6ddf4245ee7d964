package desk.engine;

import desk.engine.midi.MidiPorts;
import desk.engine.midi.UnconnectedMidiPorts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The ports of the built-in backends (dummy, Java Sound, offline): capture ports named
 * {@code system:capture_1..N} that tracks read directly, as many playback ports {@code system:playback_1..N}
 * (at least two), and the master on {@code system:playback_1/2}. There is no patchbay: buses have no ports
 * of their own, so a direct out carries nothing here, and connections of the master and of direct outs are
 * checked against the playback ports and kept as set, so that a session made for JACK runs unchanged and
 * reads back what it set.
 * <p>
 * Threads: the session's control thread; {@link #xruns} and {@link #latency} on any thread.
 */
public final class BuiltInInterface implements AudioInterface {
    private static final String CAPTURE_PREFIX = "system:capture_";
    private static final String PLAYBACK_PREFIX = "system:playback_";
    private final MidiPorts midiPorts = new UnconnectedMidiPorts();

    private final String description;
    private final int capturePorts;
    private final int sampleRate;
    private final int periodFrames;
    private final int playbackFrames;
    private final LongSupplier xruns;
    private final int playbackPorts;
    private final Map<Integer, List<List<String>>> connections = new HashMap<>();

    /**
     * An interface called {@code description} with {@code capturePorts} capture ports and as many playback
     * ports (at least two) at {@code sampleRate} Hz in periods of {@code periodFrames} frames, whose xruns
     * {@code xruns} counts.
     */
    public BuiltInInterface(String description, int capturePorts, int sampleRate, int periodFrames,
                            LongSupplier xruns) {
        this(description, capturePorts, sampleRate, periodFrames, periodFrames, xruns);
    }

    /**
     * As {@link #BuiltInInterface(String, int, int, int, LongSupplier)}, with {@code playbackFrames} frames from
     * the engine to the playback connectors (an output line's buffer) instead of one period.
     */
    public BuiltInInterface(String description, int capturePorts, int sampleRate, int periodFrames,
                            int playbackFrames, LongSupplier xruns) {
        this.description = description;
        this.capturePorts = capturePorts;
        this.sampleRate = sampleRate;
        this.periodFrames = periodFrames;
        this.playbackFrames = playbackFrames;
        this.xruns = xruns;
        this.playbackPorts = Math.max(2, capturePorts);
        connections.put(NodeIds.MASTER_ID, new ArrayList<>(List.of(new ArrayList<>(List.of(PLAYBACK_PREFIX + 1)),
                new ArrayList<>(List.of(PLAYBACK_PREFIX + 2)))));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<String> inputs() {
        List<String> names = new ArrayList<>();
        for (int p = 1; p <= capturePorts; p++) {
            names.add(CAPTURE_PREFIX + p);
        }
        return names;
    }

    @Override
    public List<String> outputs() {
        List<String> names = new ArrayList<>();
        for (int p = 1; p <= playbackPorts; p++) {
            names.add(PLAYBACK_PREFIX + p);
        }
        return names;
    }

    @Override
    public MidiPorts midiPorts() {
        return midiPorts;
    }

    @Override
    public void addTrack(int trackId, String name, int channels) {
        // tracks read the capture ports directly: nothing to make
    }

    @Override
    public void renameTrack(int trackId, String name) {
        // no port carries a track's name
    }

    @Override
    public void removeTrack(int trackId) {
        // no port belongs to a track
    }

    @Override
    public void checkInput(String port) {
        captureChannel(port);
    }

    @Override
    public int connectInput(int trackId, int channel, String port) {
        return port == null ? NodeIds.NO_NODE : captureChannel(port);
    }

    private int captureChannel(String port) {
        if (port.startsWith(CAPTURE_PREFIX)) {
            try {
                int number = Integer.parseInt(port.substring(CAPTURE_PREFIX.length()));
                if (number >= 1 && number <= capturePorts) {
                    return number - 1;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the refusal below
            }
        }
        throw new EngineException("input port \"" + port + "\": " + (capturePorts == 0
                ? "this interface has no capture ports"
                : "must be one of " + CAPTURE_PREFIX + "1.." + CAPTURE_PREFIX + capturePorts));
    }

    @Override
    public List<String> busPorts(int busId) {
        return List.of();
    }

    @Override
    public int[] addDirectOut(int busId, String name, int channels) {
        List<List<String>> none = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            none.add(new ArrayList<>());
        }
        connections.put(busId, none);
        return new int[0];
    }

    @Override
    public void renameDirectOut(int busId, String name) {
        // no port carries a bus's name
    }

    @Override
    public void removeDirectOut(int busId) {
        connections.remove(busId);
    }

    @Override
    public void checkOutput(String port) {
        if (!outputs().contains(port)) {
            throw new EngineException("output port \"" + port + "\": must be one of " + PLAYBACK_PREFIX + "1.."
                    + PLAYBACK_PREFIX + playbackPorts);
        }
    }

    @Override
    public List<List<String>> connections(int busId) {
        List<List<String>> copy = new ArrayList<>();
        for (List<String> channel : channels(busId)) {
            copy.add(List.copyOf(channel));
        }
        return copy;
    }

    @Override
    public void connectOutput(int busId, int channel, String port) {
        List<String> fed = channel(busId, channel);
        checkOutput(port);
        if (!fed.contains(port)) {
            fed.add(port);
        }
    }

    @Override
    public void disconnectOutput(int busId, int channel, String port) {
        List<String> fed = channel(busId, channel);
        if (port == null) {
            fed.clear();
        } else {
            fed.remove(port);
        }
    }

    private List<List<String>> channels(int busId) {
        List<List<String>> channels = connections.get(busId);
        if (channels == null) {
            throw new EngineException("bus " + busId + " has no output ports");
        }
        return channels;
    }

    private List<String> channel(int busId, int channel) {
        List<List<String>> channels = channels(busId);
        if (channel < 0 || channel >= channels.size()) {
            throw new EngineException("bus " + busId + " has no output port for channel " + (channel + 1));
        }
        return channels.get(channel);
    }

    @Override
    public Latency latency() {
        return new Latency(sampleRate, periodFrames, periodFrames, periodFrames, playbackFrames, playbackFrames);
    }

    @Override
    public long xruns() {
        return xruns.getAsLong();
    }
}
