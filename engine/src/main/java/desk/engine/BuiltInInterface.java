package desk.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The ports of the built-in backends (dummy, Java Sound, offline): capture ports named
 * {@code system:capture_1..N} that tracks read directly, and the master on {@code system:playback_1/2}.
 * <p>
 * Threads: the session's control thread; {@link #xruns} and {@link #latency} on any thread.
 */
public final class BuiltInInterface implements AudioInterface {
    private static final String CAPTURE_PREFIX = "system:capture_";
    private static final List<String> PLAYBACK = List.of("system:playback_1", "system:playback_2");

    private final String description;
    private final int capturePorts;
    private final int sampleRate;
    private final int periodFrames;
    private final int playbackFrames;
    private final LongSupplier xruns;

    /**
     * An interface called {@code description} with {@code capturePorts} capture ports at {@code sampleRate}
     * Hz in periods of {@code periodFrames} frames, whose xruns {@code xruns} counts.
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
        return PLAYBACK;
    }

    @Override
    public List<String> masterConnections() {
        return PLAYBACK;
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
        return port == null ? Engine.NO_NODE : captureChannel(port);
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
    public Latency latency() {
        return new Latency(sampleRate, periodFrames, periodFrames, periodFrames, playbackFrames, playbackFrames);
    }

    @Override
    public long xruns() {
        return xruns.getAsLong();
    }
}
