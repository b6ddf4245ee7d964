package desk.engine;

import desk.engine.backend.AudioCallback;
import desk.engine.control.Mixer;
import desk.engine.fx.EqBatch;
import desk.engine.meter.MeterBuffer;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import desk.engine.midi.MidiReport;
import desk.engine.midi.MidiReportSink;
import desk.engine.midi.MidiOutgoing;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.CommandRing;
import desk.engine.rt.MidiRouter;
import desk.engine.rt.StripNode;

/**
 * The mixing engine: a graph of strips, connections and sources with stable numeric ids, driven by
 * {@link EngineCommand}s and run block by block by a backend through {@link AudioCallback}.
 * <p>
 * This class is the facade: it holds the lock that serialises the control side and delegates. The control
 * side ({@link Mixer}, in {@code desk.engine.control}) keeps the settings, checks every command whole before
 * applying any of it, compiles the routing into a plan in dependency order and the settings into gain
 * targets, and sends both to the audio side through a command ring. The audio side ({@link AudioGraph}, in
 * {@code desk.engine.rt}) applies them at the start of the next span and smooths every level change over
 * {@value Limits#DECLICK_MILLISECONDS} ms (changes made before the first block take effect at once). A
 * command wrapped in {@link EngineCommand.At} is applied at its exact sample: the audio side keeps it until
 * then and cuts the span there. A change of routing crossfades the old path out and the new one in over
 * {@value Limits#CROSSFADE_MILLISECONDS} ms (equal power); removed paths leave the plan once faded.
 * <p>
 * Threads: {@link #execute} and the query methods on any thread, serialised by the engine's lock (the audio
 * thread never takes it); {@link #rtProcess} on one audio thread at a time.
 */
public final class Engine implements AudioCallback, AutoCloseable {
    /** How many figures {@link #transport(long[])} writes. */
    public static final int TRANSPORT_FIGURES = AudioGraph.TRANSPORT_FIGURES;

    private final int sampleRate;
    private final int capturePorts;
    private final int playbackChannels;
    private final AudioGraph graph;
    private final Mixer mixer;
    private final MidiRouter midi;

    /**
     * An engine at {@code sampleRate} Hz whose interface has {@code capturePorts} capture ports and plays
     * the master alone.
     */
    public Engine(int sampleRate, int capturePorts) {
        this(sampleRate, capturePorts, Limits.FIRST_DIRECT_OUT);
    }

    /**
     * An engine at {@code sampleRate} Hz whose interface has {@code capturePorts} capture ports and hands
     * {@link #rtProcess} {@code playbackChannels} playback channels: the master's, then those direct outs
     * may use.
     */
    public Engine(int sampleRate, int capturePorts, int playbackChannels) {
        if (sampleRate < 8000 || sampleRate > 384000) {
            throw new EngineException("sample rate " + sampleRate + " Hz: must be 8000..384000 Hz");
        }
        if (capturePorts < 0 || capturePorts > Limits.MAX_CAPTURE_PORTS) {
            throw new EngineException("capture ports " + capturePorts + ": must be 0.." + Limits.MAX_CAPTURE_PORTS);
        }
        int mostChannels = Limits.FIRST_DIRECT_OUT + Limits.MAX_DIRECT_OUTS;
        if (playbackChannels < Limits.FIRST_DIRECT_OUT || playbackChannels > mostChannels) {
            throw new EngineException("playback channels " + playbackChannels + ": must be "
                    + Limits.FIRST_DIRECT_OUT + ".." + mostChannels);
        }
        this.sampleRate = sampleRate;
        this.capturePorts = capturePorts;
        this.playbackChannels = playbackChannels;
        StripNode playback = new StripNode(NodeIds.NO_NODE, StripKind.MASTER, 2, sampleRate,
                Mixer.declickSamples(sampleRate));
        this.graph = new AudioGraph(playback, EqBatch.create());
        this.midi = graph.midi();
        synchronized (this) {
            this.mixer = new Mixer(sampleRate, capturePorts, playbackChannels, graph, playback);
        }
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    /** Number of capture ports of the interface (channels of the {@link NodeIds#CAPTURE_ID} source). */
    public int capturePorts() {
        return capturePorts;
    }

    /** Number of playback channels {@link #rtProcess} is handed: the master's two, then direct outs'. */
    public int playbackChannels() {
        return playbackChannels;
    }

    /** The engine sample position: frames processed since it started. Any thread. */
    @Override
    public long position() {
        return graph.position();
    }

    /** Failures inside DSP: a node that threw (bypassed from then on), or a block that failed (output as silence). */
    public long failures() {
        return graph.failures();
    }

    /** The last exception caught on the audio thread, or null. */
    public Throwable lastFailure() {
        return graph.lastFailure();
    }

    /**
     * The backend's latencies, in samples: capture (from the converter to the audio thread) and playback
     * (from the audio thread to the converter). Takes land on the timeline earlier by their sum, so what a
     * performer played along to lines up with it. 0 for the built-in backends. Any thread.
     */
    @Override
    public void setLatency(int captureSamples, int playbackSamples) {
        if (captureSamples < 0 || playbackSamples < 0) {
            throw new EngineException("latencies " + captureSamples + " and " + playbackSamples
                    + " samples: must be 0 or more");
        }
        mixer.setLatency((long) captureSamples + playbackSamples);
    }

    /** The round-trip latency takes are aligned by (capture plus playback), in samples. Any thread. */
    public long latency() {
        return mixer.latency();
    }

    /** The disk side: whether a take records, finished takes, recording and playback problems, frames missed. */
    public synchronized DiskState disk() {
        return mixer.disk();
    }

    /**
     * What {@link #disk()} says, in figures, into {@code into}, allocating nothing (unless a take reports a new
     * problem): 1 while a take records, else 0; the number of files of finished takes; the number of problems
     * reported; the frames clip playback missed. The lists of {@link #disk()} only grow, so a caller that
     * keeps them needs them again only when a count changes.
     */
    public synchronized void disk(long[] into) {
        mixer.disk(into);
    }

    /**
     * Readies the engine for offline renders, whose output must never depend on timing: clip playback waits for
     * its disk reader instead of playing silence while it catches up, and plugins wait for their background work.
     * Any thread but the audio thread.
     */
    @Override
    public synchronized void renderOffline() {
        mixer.renderOffline();
    }

    /**
     * Waits until the take recording has room for {@code frames} more frames in every buffer: an offline
     * render calls this before each block, so it never outruns the disk. Returns at once when no take
     * records. Any thread but the audio thread.
     */
    @Override
    public void awaitRecorderRoom(int frames) {
        mixer.awaitRecorderRoom(frames);
    }

    /** Whether the strips' meters are measured (on by default); when off their readings stand still. */
    public boolean metering() {
        return graph.metering();
    }

    /**
     * Tells the engine whether an audio thread is calling {@link #rtProcess}; backends call this before the
     * first block and after the last. It takes the engine's lock, so the control side never drains the
     * command queue itself while an audio thread does.
     */
    @Override
    public synchronized void setAudioThreadRunning(boolean running) {
        mixer.setAudioThreadRunning(running);
    }

    /**
     * Checks and applies one command, whole; throws {@link EngineException} and changes nothing if refused.
     * Paths that have finished fading out are released first.
     */
    public synchronized void execute(EngineCommand command) {
        mixer.maintain();
        if (command instanceof EngineCommand.At at) {
            if (at.command() == null || at.command() instanceof EngineCommand.At) {
                throw new EngineException("a timed command needs one command to apply, not " + at.command());
            }
            checkCommandTime(at.sample());
            mixer.apply(at.command(), at.sample());
            return;
        }
        mixer.apply(command, CommandRing.NOW);
    }

    /**
     * Sets a parameter of a strip or a send at once, exactly as {@link #execute} does with a
     * {@link EngineCommand.SetParameter}, but without a command object: in steady state it allocates
     * nothing. The engine server's path for the command it receives most.
     */
    public synchronized void setParameter(int nodeId, Parameter parameter, double value) {
        mixer.maintain();
        mixer.setParameter(CommandRing.NOW, nodeId, parameter, value);
    }

    /**
     * Sets a parameter of a strip or a send at engine sample {@code sample}, exactly as {@link #execute} does
     * with an {@link EngineCommand.At} of a {@link EngineCommand.SetParameter}; allocates nothing in steady
     * state.
     */
    public synchronized void setParameterAt(long sample, int nodeId, Parameter parameter, double value) {
        mixer.maintain();
        checkCommandTime(sample);
        mixer.setParameter(sample, nodeId, parameter, value);
    }

    private static void checkCommandTime(long sample) {
        if (sample < 0 || sample > Limits.MAX_SAMPLE_TIME) {
            throw new EngineException("command time " + sample + ": must be 0.." + Limits.MAX_SAMPLE_TIME + " samples");
        }
    }

    /**
     * The MIDI messages received since the last call, in the order the audio thread handled them, each with
     * what its binding made of it: every one ({@code all}), or only the last value each binding gave. Faders the
     * audio thread moved are noted first, so the gains compiled next start from them.
     */
    public synchronized MidiReport midiEvents(boolean all) {
        return mixer.midiReport(all, midiDropped());
    }

    /**
     * MIDI messages dropped since the engine started, because a period's inbox or outbox, or the reports, were
     * full. Any thread.
     */
    public long midiDropped() {
        return graph.midi().dropped();
    }

    /** As {@link #midiEvents(boolean)}, handing each to {@code out}; returns how many were received. Allocates nothing. */
    public synchronized long midiEvents(boolean all, MidiReportSink out) {
        return mixer.midiEvents(all, out);
    }

    /** A consistent snapshot of the transport, as of the end of the last processed callback. Any thread. */
    public TransportState transport() {
        return graph.transport();
    }

    /**
     * As {@link #transport()}, into the first {@link #TRANSPORT_FIGURES} elements of {@code into}, allocating
     * nothing: 1 if the transport rolls, else 0; its position; the engine sample position at which that was
     * true; 1 if it has a loop range, else 0; the loop start and end (0 without one); the engine sample of its
     * latest jump round the loop ({@link TransportState#NEVER} if none). Any thread.
     */
    public void transport(long[] into) {
        graph.transport(into);
    }

    /**
     * Releases paths that have finished fading out, one-off ramps that have ended and whatever the audio
     * thread handed back. {@link #execute} does this too; a control loop calls it now and then. Any thread.
     */
    @Override
    public synchronized void maintain() {
        mixer.maintain();
    }

    /** A snapshot of a strip's meter at {@code point}, with its loudness if the strip measures it there. */
    public synchronized MeterReading meter(int stripId, MeterPoint point) {
        MeterBuffer buffer = new MeterBuffer();
        mixer.meter(stripId, point, buffer);
        return buffer.reading();
    }

    /**
     * How long the mix can ring on after its sources stop, seconds: the tails the inserts report (a reverb's
     * decay, a delay's echoes), added up along the longest path to the master. Any thread.
     */
    public synchronized double tailSeconds() {
        mixer.maintain();
        return mixer.tailSeconds();
    }

    /** What the engine's clock shared with other machines says (see {@link EngineCommand.SetClock}). Any thread. */
    public ClockReading clock() {
        return mixer.clock();
    }

    /** The delay from the session's sources to strip {@code stripId}'s output, samples; the master's is the session's. */
    public synchronized int stripLatency(int stripId) {
        return mixer.stripLatency(stripId);
    }

    @Override
    public int processingLatency() {
        return mixer.processingLatency();
    }

    /** What insert {@code insertId} reports: its latency and gain reduction. */
    public synchronized InsertReading insert(int insertId) {
        return mixer.insert(insertId);
    }

    /** What insert {@code insertId} keeps beyond its parameters, as text (a plugin's LV2 state), or null. */
    public synchronized String insertState(int insertId) {
        return mixer.insertState(insertId);
    }

    /** As {@link #meter(int, MeterPoint)}, into {@code into}, allocating nothing. */
    public synchronized void meter(int stripId, MeterPoint point, MeterBuffer into) {
        mixer.meter(stripId, point, into);
    }

    /** Where a strip measures loudness and true peak, or null if it does not. */
    public synchronized MeterPoint loudnessPoint(int stripId) {
        return mixer.loudnessPoint(stripId);
    }

    /** Clears every meter. */
    public synchronized void resetMeters() {
        mixer.resetMeters();
    }

    /** Whether an audio thread (a backend or an offline render) is calling {@link #rtProcess} now. */
    public synchronized boolean audioThreadRunning() {
        return mixer.audioThreadRunning();
    }

    /**
     * Starts keeping the stems of strips {@code stripIds} for an offline render (see {@link Stems}), each after
     * its fader or, where {@code preFader} says so, before it; the render's sink reads each block's stems after
     * the block. Replaces any kept before; {@link #untapStems} stops.
     */
    public synchronized Stems tapStems(int[] stripIds, boolean[] preFader) {
        mixer.maintain();
        return mixer.tapStems(stripIds, preFader);
    }

    /** Stops keeping stems. */
    public synchronized void untapStems() {
        mixer.maintain();
        mixer.untapStems();
    }

    /** The ids of the strips in the order the current plan runs them. */
    public synchronized int[] processingOrder() {
        return mixer.processingOrder();
    }

    /**
     * True when no direct out writes to any of {@code channels} any more, not even one still fading out:
     * a backend may then take their ports away without a click. Releases faded paths first. Any thread.
     */
    @Override
    public synchronized boolean playbackSilent(int[] channels) {
        return mixer.playbackSilent(channels);
    }

    /**
     * Stops the engine's own threads (the clip reader), closes the files it keeps open and ends a take still
     * recording. The backend must have stopped calling {@link #rtProcess} first. Any thread.
     */
    @Override
    public synchronized void close() {
        mixer.close();
    }

    /**
     * Processes {@code frames} frames: reads the interface's capture buffers and writes the playback buffers,
     * both from {@code offset}. Never throws: a node that fails is bypassed and any other failure outputs
     * silence for the block; both are recorded in {@link #lastFailure()}.
     */
    @Override
    @RealTime
    public void rtProcess(float[][] capture, float[][] playback, int offset, int frames) {
        graph.rtProcess(capture, playback, offset, frames);
    }

    @Override
    @RealTime
    public void rtMidiIn(int port, int frame, int message) {
        graph.rtMidiIn(port, frame, message);
    }

    @Override
    @RealTime
    public MidiOutgoing rtMidiOut() {
        return midi;
    }

    @Override
    @RealTime
    public long rtPosition() {
        return graph.rtPosition();
    }
}
