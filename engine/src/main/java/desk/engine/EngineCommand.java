package desk.engine;

import desk.engine.io.SampleFormat;
import desk.engine.meter.MeterPoint;
import desk.engine.midi.MidiBinding;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The commands the engine accepts, the whole of its control protocol. Nodes (strips, sends, sources) have
 * stable numeric ids chosen by the caller; {@link Engine#MASTER_ID} and {@link Engine#CAPTURE_ID} exist from
 * the start. A command is applied whole or refused whole. Immutable; any thread.
 */
public sealed interface EngineCommand {
    /** Creates a track or a bus with {@code channels} channels (tracks 1..8, buses 1 or 2). */
    record CreateStrip(int id, StripKind kind, int channels) implements EngineCommand {
    }

    /** Removes a strip with its sends and the sends and outputs that aim at it. */
    record RemoveStrip(int id) implements EngineCommand {
    }

    /** Routes a strip's output into a bus or the master ({@code destinationId}), or nowhere ({@link Engine#NO_NODE}). */
    record SetOutput(int stripId, int destinationId) implements EngineCommand {
    }

    /**
     * Gives a group or aux bus a direct out: its signal after the fader and mute (before balance, whatever is
     * soloed) goes one channel to one onto the interface's playback channels {@code playbackChannels}, one
     * per bus channel, from {@link Engine#FIRST_DIRECT_OUT} on (the master plays on the ones before); null or
     * empty turns the direct out off. The path fades in and out like a change of routing.
     */
    record SetDirectOut(int busId, int[] playbackChannels) implements EngineCommand {
    }

    /**
     * Sets the engine's shared clock (see {@link ClockRole}): it reads the other side's clock from capture
     * channel {@code captureChannel} and writes its own onto playback channel {@code playbackChannel}, both
     * ports the interface gave it; {@link ClockRole#NONE} (channels ignored) stops both.
     */
    record SetClock(ClockRole role, int captureChannel, int playbackChannel) implements EngineCommand {
    }

    /**
     * Makes source {@code id}: what a node returns on capture channels {@code captureChannels} (one per channel),
     * placed on the timeline by the node's clock echo and played {@code latency} samples late, so returns that
     * arrive up to that late land on their samples and the rest play as silence (see {@link SetClock}). The lead
     * engine's clock feeds the return made last.
     */
    record CreateNodeReturn(int id, int[] captureChannels, int latency) implements EngineCommand {
    }

    /**
     * Says that track {@code trackId}'s live input arrives {@code samples} late against the session's
     * timeline (a node's return over the network): the engine delays every other path to match, as it does
     * for an insert's latency. 0: on time.
     */
    record SetInputLatency(int trackId, int samples) implements EngineCommand {
    }

    /** Creates a send from a strip to a bus, pre- or post-fader, at {@code levelDb}. */
    record CreateSend(int id, int sourceId, int destinationId, boolean preFader, double levelDb)
            implements EngineCommand {
    }

    /** Removes a send. */
    record RemoveSend(int id) implements EngineCommand {
    }

    /** Sets a parameter of a strip or a send (switches take 0 or 1). */
    record SetParameter(int nodeId, Parameter parameter, double value) implements EngineCommand {
    }

    /** Sets the polarity of each channel of a strip ({@code true}: inverted). */
    record SetPolarity(int stripId, boolean[] inverted) implements EngineCommand {
    }

    /** Creates a test-signal generator. */
    record CreateGenerator(int id, GeneratorSpec spec) implements EngineCommand {
    }

    /**
     * Loads a WAV file as a source that plays from engine sample {@code startSample}, once or looped; a file
     * whose data chunk is cut short is refused unless {@code allowTruncated}, then played as far as it goes.
     */
    record CreateFileSource(int id, Path file, long startSample, boolean loop, boolean allowTruncated)
            implements EngineCommand {
    }

    /** Removes a generator or file source; tracks that took input from it fall silent. */
    record RemoveSource(int id) implements EngineCommand {
    }

    /**
     * Feeds channel {@code channel} of a track from channel {@code sourceChannel} of a source (a generator,
     * a file or {@link Engine#CAPTURE_ID} for the interface's capture ports), or from nothing
     * ({@link Engine#NO_NODE}).
     */
    record SetInput(int trackId, int channel, int sourceId, int sourceChannel) implements EngineCommand {
    }

    /** Turns the strips' meters on or off. */
    record SetMetering(boolean on) implements EngineCommand {
    }

    /**
     * Holds back ({@code held}) or lets go of the work that follows a change of routing, inserts or lanes (the
     * processing plan, every gain and the automation table), so that a batch of commands, such as opening a
     * session, has it done once at the end instead of after each command. While held, commands are checked
     * and applied to the mixer's model as ever, but what they change may not be heard until the hold ends.
     */
    record HoldUpdates(boolean held) implements EngineCommand {
    }

    /**
     * Applies {@code command} at engine sample {@code sample} exactly (at once if that sample has passed):
     * the way scheduled changes reach the engine.
     */
    record At(long sample, EngineCommand command) implements EngineCommand {
    }

    /** Starts ({@code rolling}) or stops the transport where it is. */
    record SetTransport(boolean rolling) implements EngineCommand {
    }

    /** Moves the transport to {@code position}, in samples. */
    record Locate(long position) implements EngineCommand {
    }

    /** Makes the rolling transport go round {@code loop} from now on, or go straight on ({@code loop} null). */
    record SetLoop(LoopRange loop) implements EngineCommand {
    }

    /**
     * Drives a parameter of a strip or send from an automation lane on the transport clock, or hands it back
     * to its set value ({@code lane} null). Lanes drive trim, fader, pan, balance, mute and send level.
     */
    record SetLane(int nodeId, Parameter parameter, AutomationLane lane) implements EngineCommand {
    }

    /**
     * Moves a parameter from where it is to {@code target} over {@code samples} samples of the engine clock,
     * with the given interpolation, then leaves it set to {@code target}.
     */
    record Glide(int nodeId, Parameter parameter, double target, long samples, Interpolation interpolation)
            implements EngineCommand {
    }

    /**
     * Measures loudness and true peak on a strip at {@code point}, afresh, or stops measuring them
     * ({@code point} null). The master measures them after the fader from the start; tracks and buses do
     * not until asked, as each costs about as much CPU as a whole strip of mixing.
     */
    record SetLoudness(int stripId, MeterPoint point) implements EngineCommand {
    }

    /** Clears the meters of one strip, or of every strip when {@code stripId} is {@link Engine#NO_NODE}. */
    record ResetMeters(int stripId) implements EngineCommand {
    }

    /**
     * Clears the meters of strip {@code stripId} on the first block after its trim has settled: sent after a
     * trim change, the meters then measure the new level only, with none of the old one or of the ramp between.
     */
    record ResetMetersAfterTrim(int stripId) implements EngineCommand {
    }

    /** Arms a track for recording ({@code armed}) or disarms it. */
    record SetArmed(int trackId, boolean armed) implements EngineCommand {
    }

    /** Sets whether a track hears its live input or its playback; see {@link MonitorMode}. */
    record SetMonitoring(int trackId, MonitorMode mode) implements EngineCommand {
    }

    /**
     * Starts a take: each listed track records its live input into a new file, all from the same sample,
     * in {@code format} (24-bit PCM or 32-bit float), through a buffer of {@code bufferSeconds} (1..60) per
     * track. The files are created now and never over existing ones. The take lands on the timeline earlier
     * than it is captured by {@code latency} samples; null: by this engine's round trip and processing latency
     * (a node's take is placed by the main engine's, which its performers hear).
     */
    record StartTake(List<TakeTrack> tracks, SampleFormat format, double bufferSeconds, Long latency)
            implements EngineCommand {
        /** A take placed by this engine's own latencies. */
        public StartTake(List<TakeTrack> tracks, SampleFormat format, double bufferSeconds) {
            this(tracks, format, bufferSeconds, null);
        }
    }

    /** One track of a take and the new file it records into. */
    record TakeTrack(int trackId, Path file) {
    }

    /** Ends the take that is recording. */
    record StopTake() implements EngineCommand {
    }

    /**
     * Replaces the clips of a track: each plays a region of a WAV file ({@code length} frames from frame
     * {@code fileOffset}) from timeline sample {@code position}, at {@code gainDb} (-inf or -144..+18 dB) with
     * linear fades of {@code fadeIn} and {@code fadeOut} frames. Files are read, never written; a file whose
     * data chunk is cut short is refused unless its clip has {@code allowTruncated}.
     */
    record SetClips(int trackId, List<Clip> clips) implements EngineCommand {
    }

    /** One clip of {@link SetClips}. */
    record Clip(Path file, long fileOffset, long length, long position, double gainDb, long fadeIn, long fadeOut,
                boolean allowTruncated) {
    }

    /**
     * Adds an insert of the processor type called {@code type} (e.g. {@code "eq"}) to strip {@code stripId},
     * at place {@code index} of its chain (-1: last), with the {@code parameters} given by name (a choice by
     * its index, a switch as 0 or 1; the others at their defaults), bypassed or not, and, for a plugin, with
     * {@code state} (what the engine's {@code insertState} gave; null for none) restored. It fades in.
     */
    record AddInsert(int id, int stripId, String type, int index, Map<String, Double> parameters, boolean bypassed,
                     String state) implements EngineCommand {
        /** An insert with no state to restore. */
        public AddInsert(int id, int stripId, String type, int index, Map<String, Double> parameters, boolean bypassed) {
            this(id, stripId, type, index, parameters, bypassed, null);
        }
    }

    /**
     * Rests ({@code resting}) or wakes a bypassed insert. A bypassed insert with latency keeps running so that its
     * lookahead is full when it is engaged again; a resting one does not run at all (a frozen track's inserts),
     * its dry signal still delayed by its latency. Waking starts it afresh, and it is heard again (if not
     * bypassed) only once it has run for its latency.
     */
    record RestInsert(int id, boolean resting) implements EngineCommand {
    }

    /** Removes an insert: it fades out, then leaves its chain. */
    record RemoveInsert(int id) implements EngineCommand {
    }

    /** Moves an insert to place {@code index} of its chain (0: first; -1: last), fading it out and back in. */
    record MoveInsert(int id, int index) implements EngineCommand {
    }

    /** Bypasses an insert or engages it, crossfading; a bypassed insert keeps its latency. */
    record SetInsertBypass(int id, boolean bypassed) implements EngineCommand {
    }

    /** Sets a parameter of an insert by name (a choice by its index, a switch as 0 or 1). */
    record SetInsertParameter(int id, String parameter, double value) implements EngineCommand {
    }

    /** Drives a parameter of an insert from a lane on the transport clock, or hands it back ({@code lane} null). */
    record SetInsertLane(int id, String parameter, AutomationLane lane) implements EngineCommand {
    }

    /** Moves a parameter of an insert to {@code target} over {@code samples} samples of the engine clock. */
    record GlideInsert(int id, String parameter, double target, long samples, Interpolation interpolation)
            implements EngineCommand {
    }

    /**
     * Makes an insert that takes a side chain listen to strip {@code stripId}'s signal at {@code point}
     * (pre- or post-fader, or its input), or to its own input ({@code stripId} {@link NodeIds#NO_NODE}).
     */
    record SetInsertKey(int id, int stripId, MeterPoint point) implements EngineCommand {
    }

    /**
     * Replaces the MIDI bindings with {@code bindings} (see {@link MidiBinding}); a binding keeps its soft
     * takeover state across replacements while its id stays.
     */
    record SetMidiMap(List<MidiBinding> bindings) implements EngineCommand {
    }

    /** Says binding {@code binding}'s parameter was set other than by its control, to {@code position} (0..1) of its travel. */
    record SetMidiCurrent(int binding, double position) implements EngineCommand {
    }

    /**
     * Has MIDI input port {@code port} (0..15) receive a message as if it had arrived now (or at the sample of
     * an {@link At}): how offline renders and tests play a controller.
     */
    record ReceiveMidi(int port, int status, int data1, int data2) implements EngineCommand {
    }

    /** Sends a MIDI message out of output port {@code port} (0..15) in the next callback (or on an {@link At}'s sample). */
    record SendMidi(int port, int status, int data1, int data2) implements EngineCommand {
    }
}
