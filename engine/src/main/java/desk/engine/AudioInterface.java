package desk.engine;

import desk.engine.midi.MidiPorts;

import java.util.List;

/**
 * The ports of the audio interface an engine plays through, as the session sees them: which ports exist,
 * which capture channel of the engine ({@link Engine#CAPTURE_ID}) each track channel reads, which playback
 * channels of the engine a bus's direct out carries, what the master's and the buses' own output ports
 * feed, the latency figures and the xrun count. On JACK every track has input ports of its own, connected to
 * the ports it takes input from, and the master and every bus with a direct out have output ports of their
 * own, connected to the ports they feed; on the built-in backends a track reads the interface's capture port
 * directly, buses have no ports, and connections are only kept.
 * <p>
 * Refusals are {@link EngineException}s naming the port and what is allowed; a refused call changes nothing.
 * Threads: the session's control thread; {@link #xruns} and {@link #latency} on any thread.
 */
public interface AudioInterface {
    /** One line saying what the interface is, e.g. {@code JACK server "default", client desk}. */
    String describe();

    /** The ports a track can take input from, by name (capture ports first). */
    List<String> inputs();

    /** The ports the master and buses can feed, by name (playback ports first). */
    List<String> outputs();

    /** The interface's MIDI ports. */
    MidiPorts midiPorts();

    /** Gives a new track its input ports, if the interface has ports per track. */
    void addTrack(int trackId, String name, int channels);

    /** Follows a track's new name in its port names. */
    void renameTrack(int trackId, String name);

    /** Removes a track's ports. */
    void removeTrack(int trackId);

    /** Refuses, naming what is allowed, a port name tracks cannot take input from. */
    void checkInput(String port);

    /**
     * Feeds channel {@code channel} of a track from {@code port}, or from no port (null). Returns the
     * capture channel of the engine the track channel then reads, or {@link Engine#NO_NODE} for none.
     */
    int connectInput(int trackId, int channel, String port);

    /**
     * The full names of a bus's own output ports, one per channel: the master's ({@link Engine#MASTER_ID}),
     * or a bus's direct out; empty when it has none, as on interfaces without ports per bus.
     */
    List<String> busPorts(int busId);

    /**
     * Gives a bus a direct out: output ports of its own, named after it, if the interface has ports per bus.
     * Returns the playback channels of the engine ({@link Engine#FIRST_DIRECT_OUT} on) the ports carry, one
     * per bus channel, or none.
     */
    int[] addDirectOut(int busId, String name, int channels);

    /** Follows a bus's new name in its direct out's port names. */
    void renameDirectOut(int busId, String name);

    /**
     * Removes a bus's direct out with its connections. Turn it off in the engine first: the ports go once
     * the engine writes only silence to them, so nothing clicks.
     */
    void removeDirectOut(int busId);

    /** Refuses, naming what is allowed, a port name the master and buses cannot feed. */
    void checkOutput(String port);

    /** What each channel of a bus's own output ports feeds (the master's, or a direct out's): one list per channel. */
    List<List<String>> connections(int busId);

    /**
     * As {@link #connections}, as last known, without asking anyone: for records made often (undo, the copy of
     * unsaved changes). An interface that answers from its own process answers as {@link #connections} does.
     */
    default List<List<String>> knownConnections(int busId) {
        return connections(busId);
    }

    /** Connects channel {@code channel} of a bus's own output ports to {@code port} too; connected already is fine. */
    void connectOutput(int busId, int channel, String port);

    /**
     * Disconnects channel {@code channel} of a bus's own output ports from {@code port}, or from every port
     * (null); a port it does not feed is left alone.
     */
    void disconnectOutput(int busId, int channel, String port);

    /** The sample rate, buffer size and latency figures now. */
    Latency latency();

    /** Xruns (buffer over- or underruns) counted since the engine started. */
    long xruns();

    /**
     * Latency figures, in frames at {@code sampleRate}: the buffer (one period), and the ranges the server
     * reports from the outside world to the capture ports and from the playback ports to it.
     * Immutable; any thread.
     */
    record Latency(int sampleRate, int bufferFrames, int captureMin, int captureMax, int playbackMin,
                   int playbackMax) {
        /** Milliseconds for {@code frames} frames. */
        public double milliseconds(int frames) {
            return frames * 1000.0 / sampleRate;
        }

        /** The round trip, from a capture connector to a playback connector through the engine, in frames. */
        public int roundTripFrames() {
            return captureMax + playbackMax;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "Latency at %d Hz: buffer %d frames (%.2f ms), capture %d..%d,"
                    + " playback %d..%d frames, round trip %d frames (%.2f ms)", sampleRate, bufferFrames,
                    milliseconds(bufferFrames), captureMin, captureMax, playbackMin, playbackMax, roundTripFrames(),
                    milliseconds(roundTripFrames()));
        }
    }

    /**
     * Tells the server again what delay the engine's processing adds on the interface's ports, if it changed
     * (JACK's clients see a pass-through client's latency); nothing where the interface has no such ports.
     */
    default void refreshLatency() {
    }
}
