package desk.engine.control;

import desk.engine.EngineException;
import desk.engine.LoopRange;
import desk.engine.clip.ClipPlayer;
import desk.engine.clip.PlaybackClip;
import desk.engine.dsp.SmoothedGains;
import desk.engine.meter.LoudnessTap;
import desk.engine.meter.MeterPoint;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.Automation;
import desk.engine.rt.Command;
import desk.engine.rt.CommandKind;
import desk.engine.rt.CommandRing;
import desk.engine.rt.CompensationDelay;
import desk.engine.rt.Connection;
import desk.engine.rt.InsertChain;
import desk.engine.rt.InsertSlot;
import desk.engine.rt.MidiMap;
import desk.engine.rt.Plan;
import desk.engine.rt.Source;
import desk.engine.rt.StripNode;
import desk.engine.rt.TakeTap;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The producer half of the command ring: one method per {@link CommandKind}, each claiming a slot, filling
 * the fields of its kind and publishing it. Commands are stamped with the command time in force
 * ({@link #at}); when the ring is full the writer waits for the audio thread, or applies the queue itself
 * when no audio thread runs, and gives up with a clear error if the audio thread has stalled.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
public final class CommandWriter {
    /** How long the writer waits for a stalled audio thread to take commands, in milliseconds. */
    private static final long STALL_MILLISECONDS = 2000;

    private final AudioGraph graph;
    private final CommandRing ring;
    private long time = CommandRing.NOW;
    private volatile boolean audioThreadRunning;

    /** A writer into {@code graph}'s ring. */
    public CommandWriter(AudioGraph graph) {
        this.graph = graph;
        this.ring = graph.ring();
    }

    /** The engine sample the commands written now are due at, or {@link CommandRing#NOW}. */
    public long time() {
        return time;
    }

    /** Stamps the commands written from now on with engine sample {@code sample} ({@link CommandRing#NOW}: at once). */
    public void at(long sample) {
        time = sample;
    }

    /** Whether an audio thread takes the commands; without one the writer applies them itself when the ring fills. */
    public boolean audioThreadRunning() {
        return audioThreadRunning;
    }

    /** Says whether an audio thread takes the commands. */
    public void setAudioThreadRunning(boolean running) {
        audioThreadRunning = running;
    }

    /** Applies every command written so far on this thread, if no audio thread runs to take them. */
    public void flushIfIdle() {
        if (!audioThreadRunning) {
            graph.rtApplyCommands();
        }
    }

    /** Ramps {@code gains} to the first {@code length} of {@code values} over the declick time. */
    public void ramp(SmoothedGains gains, float[] values, int length) {
        Command command = claim(CommandKind.RAMP);
        command.gains = gains;
        System.arraycopy(values, 0, command.values, 0, length);
        ring.publish();
    }

    /** Ramps {@code gains} to the first {@code length} of {@code values} over {@code samples} with {@code shape}. */
    public void shapedRamp(SmoothedGains gains, float[] values, int length, int samples, SmoothedGains.Shape shape) {
        Command command = claim(CommandKind.SHAPED_RAMP);
        command.gains = gains;
        System.arraycopy(values, 0, command.values, 0, length);
        command.samples = samples;
        command.shape = shape;
        ring.publish();
    }

    /** Installs {@code plan}. */
    public void swapPlan(Plan plan) {
        claim(CommandKind.SWAP_PLAN).plan = plan;
        ring.publish();
    }

    /** Feeds channel {@code channel} of {@code strip} from channel {@code sourceChannel} of {@code source} (null: silence). */
    public void setInput(StripNode strip, int channel, Source source, int sourceChannel) {
        Command command = claim(CommandKind.SET_INPUT);
        command.strip = strip;
        command.channel = channel;
        command.source = source;
        command.sourceChannel = sourceChannel;
        ring.publish();
    }

    /** Makes {@code connection} pick off before the fader, or after it. */
    public void setPreFader(Connection connection, boolean preFader) {
        Command command = claim(CommandKind.SET_PRE_FADER);
        command.connection = connection;
        command.flag = preFader;
        ring.publish();
    }

    /** Makes {@code strip} measure loudness with {@code tap} (null: not at all). */
    public void setLoudness(StripNode strip, LoudnessTap tap) {
        Command command = claim(CommandKind.SET_LOUDNESS);
        command.strip = strip;
        command.loudness = tap;
        ring.publish();
    }

    /** Starts or stops the transport. */
    public void setTransport(boolean rolling) {
        claim(CommandKind.TRANSPORT).flag = rolling;
        ring.publish();
    }

    /** Moves the transport to {@code position}. */
    public void locate(long position) {
        claim(CommandKind.LOCATE).position = position;
        ring.publish();
    }

    /** Sets the transport's loop range (null: none). */
    public void setLoop(LoopRange loop) {
        claim(CommandKind.SET_LOOP).loop = loop;
        ring.publish();
    }

    /** Reads and writes the shared clock {@code clock} from the next block on (null: none). */
    public void setClock(desk.engine.rt.NodeClock clock) {
        claim(CommandKind.SET_CLOCK).clock = clock;
        ring.publish();
    }

    /** Keeps {@code stems} from the next span on (null: none). */
    public void setStems(desk.engine.rt.StemTaps stems) {
        claim(CommandKind.SET_STEMS).stems = stems;
        ring.publish();
    }

    /** Installs {@code automation}. */
    public void swapAutomation(Automation automation) {
        claim(CommandKind.SWAP_AUTOMATION).automation = automation;
        ring.publish();
    }

    /** Starts recording through {@code tap}. */
    public void startTake(TakeTap tap) {
        claim(CommandKind.START_TAKE).take = tap;
        ring.publish();
    }

    /** Has {@code strip} clear its meters on the first block after its trim has settled. */
    public void resetMetersAfterTrim(StripNode strip) {
        claim(CommandKind.RESET_METERS_AFTER_TRIM).strip = strip;
        ring.publish();
    }

    /** Ends the take that records. */
    public void stopTake() {
        claim(CommandKind.STOP_TAKE);
        ring.publish();
    }

    /** Gives {@code strip} the clip player {@code player}. */
    public void setPlayer(StripNode strip, ClipPlayer player) {
        Command command = claim(CommandKind.SET_PLAYER);
        command.strip = strip;
        command.player = player;
        ring.publish();
    }

    /** Installs {@code clips} in {@code player}. */
    public void setClips(ClipPlayer player, PlaybackClip[] clips) {
        Command command = claim(CommandKind.SET_CLIPS);
        command.player = player;
        command.clips = clips;
        ring.publish();
    }

    /** Installs {@code chain} on {@code strip} and places {@code slot} in it before {@code before} (null: last). */
    public void addInsert(StripNode strip, InsertChain chain, InsertSlot slot, InsertSlot before) {
        Command command = claim(CommandKind.ADD_INSERT);
        command.strip = strip;
        command.chain = chain;
        command.slot = slot;
        command.before = before;
        ring.publish();
    }

    /** Fades {@code slot} out of its chain. */
    public void removeInsert(InsertSlot slot) {
        claim(CommandKind.REMOVE_INSERT).slot = slot;
        ring.publish();
    }

    /** Moves {@code slot} before {@code before} (null: last) in its chain. */
    public void moveInsert(InsertSlot slot, InsertSlot before) {
        Command command = claim(CommandKind.MOVE_INSERT);
        command.slot = slot;
        command.before = before;
        ring.publish();
    }

    /** Bypasses or engages {@code slot}. */
    public void bypassInsert(InsertSlot slot, boolean bypassed) {
        Command command = claim(CommandKind.BYPASS_INSERT);
        command.slot = slot;
        command.flag = bypassed;
        ring.publish();
    }

    /** Rests or wakes {@code slot} (see {@link desk.engine.EngineCommand.RestInsert}). */
    public void restInsert(InsertSlot slot, boolean resting) {
        Command command = claim(CommandKind.REST_INSERT);
        command.slot = slot;
        command.flag = resting;
        ring.publish();
    }

    /** Sets parameter {@code index} of {@code slot} to {@code value}. */
    public void setInsertParameter(InsertSlot slot, int index, double value) {
        Command command = claim(CommandKind.SET_INSERT_PARAMETER);
        command.slot = slot;
        command.channel = index;
        command.value = value;
        ring.publish();
    }

    /** Delays {@code connection} by {@code delay} from now on (null: not at all). */
    public void setCompensation(Connection connection, CompensationDelay delay) {
        Command command = claim(CommandKind.SET_COMPENSATION);
        command.connection = connection;
        command.delay = delay;
        ring.publish();
    }

    /** Makes {@code slot} listen to {@code strip} at {@code point} (null strip: its own input). */
    public void setInsertKey(InsertSlot slot, StripNode strip, MeterPoint point) {
        Command command = claim(CommandKind.SET_INSERT_KEY);
        command.slot = slot;
        command.strip = strip;
        command.point = point;
        ring.publish();
    }

    /** Installs the MIDI bindings {@code map}. */
    public void swapMidiMap(MidiMap map) {
        claim(CommandKind.SWAP_MIDI_MAP).midiMap = map;
        ring.publish();
    }

    /** Says binding {@code id}'s parameter was set elsewhere, to {@code position} of its control's travel. */
    public void setMidiCurrent(int id, double position) {
        Command command = claim(CommandKind.SET_MIDI_CURRENT);
        command.channel = id;
        command.value = position;
        ring.publish();
    }

    /** Has input port {@code port} receive {@code message} (packed), or output port {@code port} send it. */
    public void midi(boolean receive, int port, int message) {
        Command command = claim(receive ? CommandKind.RECEIVE_MIDI : CommandKind.SEND_MIDI);
        command.channel = port;
        command.sourceChannel = message;
        ring.publish();
    }

    /** A free slot of {@code kind}; when the ring is full, waits for the audio thread or, if none runs, applies the queue. */
    private Command claim(CommandKind kind) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALL_MILLISECONDS);
        while (true) {
            Command command = ring.claim();
            if (command != null) {
                command.time = time;
                command.kind = kind;
                return command;
            }
            if (!audioThreadRunning) {
                graph.rtApplyCommands();
            } else if (System.nanoTime() > deadline) {
                throw new EngineException("the audio thread has taken no commands for " + STALL_MILLISECONDS
                        + " ms: it has stalled or stopped");
            } else {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
    }
}
