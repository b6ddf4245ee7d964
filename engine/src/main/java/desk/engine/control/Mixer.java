package desk.engine.control;

import desk.engine.ClockReading;
import desk.engine.DiskState;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.InsertReading;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.Stems;
import desk.engine.meter.MeterBuffer;
import desk.engine.meter.MeterPoint;
import desk.engine.midi.MidiEvent;
import desk.engine.midi.MidiMessages;
import desk.engine.midi.MidiReport;
import desk.engine.midi.MidiReportSink;
import desk.engine.record.Take;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.CaptureSource;
import desk.engine.rt.CommandRing;
import desk.engine.rt.Connection;
import desk.engine.rt.StemTaps;
import desk.engine.rt.StripNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The control side of the engine: the {@link MixerModel} and the controllers that change it, each owning
 * one concern (routing, sources, parameters, lanes, transport, recording, clips, meters), over the
 * compilers of the plan and the gains, the retirement of faded paths and the {@link CommandWriter} into the
 * audio side. Every command is checked whole before any of it is applied.
 * <p>
 * Threads: one control thread at a time, serialised by the engine's lock; the figures that say "any thread"
 * too.
 */
public final class Mixer {
    private final MixerModel model;
    private final AudioGraph graph;
    private final Disposer disposer;
    private final CommandWriter writer;
    private final GainCompiler gains;
    private final PlanCompiler plans;
    private final Retirement retirement;
    private final RoutingControl routing;
    private final SourceControl sources;
    private final ParameterControl parameters;
    private final LaneControl lanes;
    private final TransportControl transport;
    private final RecordingControl recording;
    private final ClipControl clips;
    private final MeterControl meters;
    private final InsertControl inserts;
    private final MidiControl midi;
    private final ClockControl clock;

    /**
     * The control side of an engine at {@code sampleRate} Hz whose interface has {@code capturePorts} capture
     * ports and {@code playbackChannels} playback channels, driving {@code graph}, whose master plays into {@code playbackStrip}; starts with the master alone,
     * measuring loudness after its fader.
     */
    public Mixer(int sampleRate, int capturePorts, int playbackChannels, AudioGraph graph,
                 StripNode playbackStrip) {
        int declickSamples = declickSamples(sampleRate);
        this.graph = graph;
        this.model = new MixerModel(sampleRate, declickSamples,
                Math.max(1, sampleRate * Limits.CROSSFADE_MILLISECONDS / 1000), playbackStrip);
        this.disposer = new Disposer(graph.returns());
        this.writer = new CommandWriter(graph);
        SoloResolver solo = new SoloResolver(model);
        this.gains = new GainCompiler(model, solo, writer);
        this.plans = new PlanCompiler(model, solo, writer);
        this.retirement = new Retirement(model, graph, writer, plans, gains);
        this.routing = new RoutingControl(model, retirement, plans, gains, playbackChannels);
        this.sources = new SourceControl(model, writer, plans);
        this.parameters = new ParameterControl(model, writer, gains);
        this.lanes = new LaneControl(model, graph, writer, gains, parameters, retirement);
        this.transport = new TransportControl(model, writer, gains);
        this.recording = new RecordingControl(model, graph, writer, gains);
        this.clips = new ClipControl(model, writer);
        this.meters = new MeterControl(model, writer);
        this.inserts = new InsertControl(model, graph, writer, gains, plans, retirement);
        this.midi = new MidiControl(model, graph, writer);
        this.clock = new ClockControl(model, writer, plans, capturePorts, playbackChannels);
        model.sources.put(NodeIds.CAPTURE_ID, new CaptureSource(NodeIds.CAPTURE_ID, capturePorts));
        plans.publish();
        gains.refreshAll();
        meters.setLoudness(model.master, MeterPoint.POST_FADER);
    }

    /** Samples a level change takes at {@code sampleRate} Hz. */
    public static int declickSamples(int sampleRate) {
        return Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
    }

    /**
     * Checks and applies one command (not a timed one) at {@code sample} ({@link CommandRing#NOW}: at once);
     * throws {@link EngineException} and changes nothing if refused.
     */
    public void apply(EngineCommand command, long sample) {
        writer.at(sample);
        try {
            switch (command) {
                case EngineCommand.CreateStrip c -> routing.createStrip(c);
                case EngineCommand.RemoveStrip c -> {
                    routing.removeStrip(c);
                    inserts.stripRemoved(model.find(c.id()));
                }
                case EngineCommand.SetOutput c -> routing.setOutput(c);
                case EngineCommand.SetDirectOut c -> routing.setDirectOut(c);
                case EngineCommand.CreateSend c -> routing.createSend(c);
                case EngineCommand.RemoveSend c -> routing.removeSend(c);
                case EngineCommand.SetParameter c -> parameters.set(c.nodeId(), c.parameter(), c.value());
                case EngineCommand.SetPolarity c -> parameters.setPolarity(c);
                case EngineCommand.SetArmed c -> parameters.setArmed(c);
                case EngineCommand.SetMonitoring c -> parameters.setMonitoring(c);
                case EngineCommand.CreateGenerator c -> sources.createGenerator(c);
                case EngineCommand.CreateFileSource c -> sources.createFileSource(c);
                case EngineCommand.RemoveSource c -> {
                    sources.removeSource(c);
                    clock.sourceRemoved(c.id());
                }
                case EngineCommand.CreateNodeReturn c -> clock.createNodeReturn(c);
                case EngineCommand.SetInput c -> sources.setInput(c);
                case EngineCommand.SetMetering c -> graph.setMetering(c.on());
                case EngineCommand.HoldUpdates c -> {
                    plans.hold(c.held());
                    gains.hold(c.held());
                }
                case EngineCommand.SetTransport c -> transport.setTransport(c);
                case EngineCommand.SetClock c -> clock.setClock(c);
                case EngineCommand.SetInputLatency c -> clock.setInputLatency(c);
                case EngineCommand.Locate c -> transport.locate(c);
                case EngineCommand.SetLoop c -> transport.setLoop(c);
                case EngineCommand.SetLane c -> {
                    lanes.setLane(c);
                    midi.lanesChanged();
                }
                case EngineCommand.Glide c -> lanes.glide(c);
                case EngineCommand.SetLoudness c -> meters.setLoudness(c.stripId(), c.point());
                case EngineCommand.ResetMeters c -> meters.reset(c.stripId());
                case EngineCommand.ResetMetersAfterTrim c -> meters.resetAfterTrim(c.stripId());
                case EngineCommand.StartTake c -> recording.startTake(c);
                case EngineCommand.StopTake c -> recording.stopTake();
                case EngineCommand.SetClips c -> clips.setClips(c);
                case EngineCommand.AddInsert c -> inserts.add(c);
                case EngineCommand.RemoveInsert c -> inserts.remove(c);
                case EngineCommand.MoveInsert c -> inserts.move(c);
                case EngineCommand.SetInsertBypass c -> inserts.bypass(c);
                case EngineCommand.RestInsert c -> inserts.rest(c);
                case EngineCommand.SetInsertParameter c -> inserts.set(c);
                case EngineCommand.SetInsertLane c -> inserts.setLane(c);
                case EngineCommand.GlideInsert c -> inserts.glide(c);
                case EngineCommand.SetInsertKey c -> inserts.setKey(c);
                case EngineCommand.SetMidiMap c -> midi.setMap(c);
                case EngineCommand.SetMidiCurrent c -> midi.setCurrent(c);
                case EngineCommand.ReceiveMidi c -> midi.receive(c);
                case EngineCommand.SendMidi c -> midi.send(c);
                case EngineCommand.At c -> throw new EngineException("timed commands do not nest");
            }
        } finally {
            writer.at(CommandRing.NOW);
        }
    }

    /**
     * Hands the MIDI messages received since the last call to {@code out}, in the order handled: every one
     * ({@code all}), or the last value of each binding. Returns how many were received. Allocates nothing.
     */
    public long midiEvents(boolean all, MidiReportSink out) {
        return midi.drain(all, out);
    }

    /** As {@link #midiEvents(boolean, MidiReportSink)}, gathered in a report that counts {@code dropped} too. */
    public MidiReport midiReport(boolean all, long dropped) {
        List<MidiEvent> events = new ArrayList<>();
        long received = midi.drain(all, (sample, port, message, binding, value, applied) -> events.add(
                new MidiEvent(sample, port, MidiMessages.status(message), MidiMessages.data1(message),
                        MidiMessages.data2(message), binding, value, applied)));
        return new MidiReport(received, dropped, events);
    }

    /** Sets a parameter at {@code sample} ({@link CommandRing#NOW}: at once); allocates nothing in steady state. */
    public void setParameter(long sample, int nodeId, Parameter parameter, double value) {
        writer.at(sample);
        try {
            parameters.set(nodeId, parameter, value);
        } finally {
            writer.at(CommandRing.NOW);
        }
    }

    /**
     * Releases what has finished fading and what the audio thread handed back. With no audio thread running
     * (an offline engine between renders), first applies the commands queued so far, so that the queue never
     * keeps alive what later commands replaced (every automation table of a script that draws lanes).
     */
    public void maintain() {
        writer.flushIfIdle();
        disposer.releaseReturned();
        retirement.maintain();
    }

    /** Whether an audio thread takes the commands. */
    public boolean audioThreadRunning() {
        return writer.audioThreadRunning();
    }

    /** Says whether an audio thread takes the commands. */
    public void setAudioThreadRunning(boolean running) {
        writer.setAudioThreadRunning(running);
    }

    /** Reads a strip's meter at {@code point} into {@code into}, allocating nothing. */
    public void meter(int stripId, MeterPoint point, MeterBuffer into) {
        meters.read(stripId, point, into);
    }

    /** The delay from the session's sources to strip {@code stripId}'s output, samples; the master's is the session's. */
    public int stripLatency(int stripId) {
        return inserts.latency(stripId);
    }

    /** What the inserts delay the master by, samples, as of the last plan. Any thread; never blocks. */
    public int processingLatency() {
        return model.latency;
    }

    /** How long the mix can ring on after its sources stop, seconds (see {@link MixerModel#tailSeconds}). */
    public double tailSeconds() {
        return model.tailSeconds();
    }

    /** What insert {@code insertId} reports: its latency and gain reduction. */
    public InsertReading insert(int insertId) {
        return inserts.reading(insertId);
    }

    /** What insert {@code insertId} keeps beyond its parameters (a plugin's state), or null. */
    public String insertState(int insertId) {
        return inserts.state(insertId);
    }

    /** Where a strip measures loudness and true peak, or null if it does not. */
    public MeterPoint loudnessPoint(int stripId) {
        return meters.loudnessPoint(stripId);
    }

    /** Clears every meter. */
    public void resetMeters() {
        meters.reset(NodeIds.NO_NODE);
    }

    /**
     * Starts keeping the stems of strips {@code stripIds}: what each one's output adds to the bus it feeds, and
     * how far it runs ahead of the master's output (the master's latency less the strip's, as of the current
     * plan). Replaces any stems kept before.
     */
    public Stems tapStems(int[] stripIds, boolean[] preFader) {
        Connection[] outputs = new Connection[stripIds.length];
        StripNode[] signals = new StripNode[stripIds.length];
        int[] ahead = new int[stripIds.length];
        for (int i = 0; i < stripIds.length; i++) {
            StripState entry = model.strip(stripIds[i], "strip");
            if (entry == model.master) {
                throw new EngineException("the master is the mix itself: it has no stem of its own");
            }
            outputs[i] = preFader[i] ? null : entry.output;
            signals[i] = preFader[i] ? entry.node : null;
            ahead[i] = model.latency - entry.outputLatency;
        }
        StemTaps stems = new StemTaps(outputs, signals, ahead, model.master.node.channels());
        writer.setStems(stems);
        return stems;
    }

    /** Stops keeping stems. */
    public void untapStems() {
        writer.setStems(null);
    }

    /** The ids of the strips in the order the current plan runs them. */
    public int[] processingOrder() {
        return plans.lastOrder();
    }

    /** True when no direct out writes to any of {@code channels} any more, not even one still fading out. */
    public boolean playbackSilent(int[] channels) {
        retirement.maintain();
        return model.playbackSilent(channels);
    }

    /** What the engine's shared clock says now. Any thread. */
    public ClockReading clock() {
        return clock.reading();
    }

    /** Sets the round-trip latency takes are aligned by, in samples. Any thread. */
    public void setLatency(long samples) {
        recording.setLatency(samples);
    }

    /** The round-trip latency takes are aligned by, in samples. Any thread. */
    public long latency() {
        return recording.latency();
    }

    /** What the disk side has done; see {@code Engine.disk()}. */
    public DiskState disk() {
        List<Take.Result> finished = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean[] busy = new boolean[1];
        recording.collect(finished, problems, busy);
        problems.addAll(clips.problems());
        return new DiskState(busy[0], finished, problems, clips.framesMissed());
    }

    /** As {@link #disk()}, in figures, allocating nothing; see {@code Engine.disk(long[])}. */
    public void disk(long[] into) {
        recording.count(into);
        into[2] += clips.problemCount();
        into[3] = clips.framesMissed();
    }

    /**
     * Readies the engine for offline renders: clip playback reads its files on the render thread, plugins wait
     * for their background work. Control thread, under the engine's lock.
     */
    public void renderOffline() {
        clips.readOnRenderThread();
        inserts.renderOffline();
    }

    /** Waits until every take recording has room for {@code frames} more frames. Any thread but the audio thread. */
    public void awaitRecorderRoom(int frames) {
        recording.awaitRoom(frames);
    }

    /** How many objects the audio thread handed back and the control side released. */
    public long released() {
        return disposer.released();
    }

    /** Stops the clip reader thread, closes the files it read and ends a take still recording. */
    public void close() {
        recording.close();
        clips.close();
        disposer.releaseReturned();
    }
}
