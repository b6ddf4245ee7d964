package desk.engine.backend;

import desk.engine.RealTime;
import desk.engine.midi.MidiMessages;
import desk.engine.midi.MidiOutgoing;

/**
 * What a backend drives: the narrow face of the engine towards audio devices, servers and renderers. A
 * backend says when its audio thread starts and stops calling, hands each period's buffers to
 * {@link #rtProcess}, and tells the engine the latencies it measured.
 * <p>
 * Threads: {@link #rtProcess} on the backend's audio thread only; the rest on any thread, but never on the
 * audio thread.
 */
public interface AudioCallback {
    /** The sample rate the engine runs at, in Hz. */
    int sampleRate();

    /** Says whether an audio thread calls {@link #rtProcess}: before the first period and after the last. */
    void setAudioThreadRunning(boolean running);

    /**
     * Processes {@code frames} frames from {@code offset} of the buffers: reads the capture buffers, writes
     * the playback buffers (the master into the first two, each direct out into its own, silence into the
     * rest; a null buffer is skipped). Never throws.
     */
    @RealTime
    void rtProcess(float[][] capture, float[][] playback, int offset, int frames);

    /** As {@link #rtProcess(float[][], float[][], int, int)} from index 0. */
    @RealTime
    default void rtProcess(float[][] capture, float[][] playback, int frames) {
        rtProcess(capture, playback, 0, frames);
    }

    /**
     * A MIDI message ({@link MidiMessages#pack packed}) arrived on MIDI input port {@code port}, {@code frame}
     * frames into the period about to be processed: called for each message before the period's
     * {@link #rtProcess} calls.
     */
    @RealTime
    void rtMidiIn(int port, int frame, int message);

    /** The MIDI messages to go out, which a backend writes to its ports after each period, then clears. */
    @RealTime
    MidiOutgoing rtMidiOut();

    /** The engine sample the next {@link #rtProcess} starts on. */
    @RealTime
    long rtPosition();

    /** The backend's capture and playback latencies in samples, which takes are aligned by. */
    void setLatency(int captureSamples, int playbackSamples);

    /**
     * The delay the engine's own processing adds between its inputs and its outputs (its inserts' latency on
     * the way to the master), in samples. Never blocks.
     */
    int processingLatency();

    /** True when nothing writes to the playback channels {@code channels} any more, so their ports can go. */
    boolean playbackSilent(int[] channels);

    /** The engine sample position: frames processed so far. */
    long position();

    /**
     * Readies the engine for an offline render, whose output must not depend on timing: clip files are read on the
     * rendering thread, and every plugin's background work is waited for within the block that asks for it.
     */
    void renderOffline();

    /**
     * Releases what has finished fading out (a removed strip, a send, an ended ramp) and what the audio thread
     * handed back, as a live engine's control loop does now and then; an offline render calls it between blocks, so
     * that a strip removed before the render stops costing once it has faded. Never on the audio thread.
     */
    void maintain();

    /** Waits until a take recording has room for {@code frames} more frames, so a render never outruns the disk. */
    void awaitRecorderRoom(int frames);
}
