package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.LoopRange;
import desk.engine.RealTime;
import desk.engine.TransportState;
import desk.engine.dsp.Kernels;
import desk.engine.insert.ProcessorBatch;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;

/**
 * The audio side of the engine: the block loop that cuts each callback's block into spans, applies the
 * commands due, runs the current {@link Plan} over each span and writes the playback buffers. A span ends
 * at the next timed command, the next MIDI message, the next automation segment and the transport's loop end, and is at most
 * {@link Limits#MAX_BLOCK} frames; this is the one place blocks are cut. Holds the transport clock, the
 * automation table and the take tap, and hands whatever it replaces back to the control side through its
 * {@link ReturnRing}.
 * <p>
 * Threads: {@link #rtProcess} and the other {@code rt} methods on one audio thread at a time (or on the
 * control thread, under the engine's lock, while no audio thread runs); {@link #position}, {@link #failures},
 * {@link #lastFailure}, {@link #transport} and {@link #setMetering} on any thread.
 */
public final class AudioGraph {
    /** How many figures {@link #transport(long[])} writes. */
    public static final int TRANSPORT_FIGURES = TransportClock.FIGURES;
    /** How many timed commands the audio side can hold before they are due. */
    public static final int TIMED_CAPACITY = 1 << 12;
    /** How many commands the ring from the control side holds. */
    public static final int RING_CAPACITY = 1 << 13;
    /** How many released objects can wait for the control side: more than commands can be in flight. */
    public static final int RETURN_CAPACITY = 1 << 14;

    private final CommandRing ring = new CommandRing(RING_CAPACITY);
    private final ReturnRing returns = new ReturnRing(RETURN_CAPACITY);
    private final TimedCommands timed = new TimedCommands(TIMED_CAPACITY);
    private final StripNode playbackStrip;
    private final ProcessContext context = new ProcessContext();
    private final float[] faderGains = new float[Limits.MAX_BLOCK];
    private final float[] scratch = new float[Limits.MAX_BLOCK];
    private final ProcessorBatch batch;
    private final TransportClock transport = new TransportClock();
    private final MidiRouter midi = new MidiRouter();
    private Plan plan;
    private Automation automation = Automation.NONE;
    private long automationSegmentEnd;
    private TakeTap tap;
    private StemTaps stems;
    private NodeClock clock;
    private boolean started;
    private long rtPosition;
    private volatile long position;
    private volatile boolean metering = true;
    private volatile Throwable lastFailure;
    private volatile long failures;

    static {
        // Loading a class allocates. The audio thread's compiled code may first ask for one of these long after
        // playing began (LoopRange after several seconds of clip playback, measured live; Kernels on the first
        // callback), so they are loaded here, on the thread that makes the graph.
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            lookup.ensureInitialized(LoopRange.class);
            lookup.ensureInitialized(Kernels.class);
        } catch (IllegalAccessException e) {
            throw new AssertionError("public classes of the engine are accessible to it", e);
        }
    }

    /**
     * A graph that plays into {@code playbackStrip}, the buffer the master's output feeds, running the inserts
     * {@code batch} takes side by side.
     */
    public AudioGraph(StripNode playbackStrip, ProcessorBatch batch) {
        this.playbackStrip = playbackStrip;
        this.batch = batch;
        transport.rtPublish(0);
    }

    /** The ring the control side writes commands into. */
    public CommandRing ring() {
        return ring;
    }

    /** The MIDI side: messages in, bindings, messages out, reports to the control side. */
    public MidiRouter midi() {
        return midi;
    }

    /**
     * A MIDI message arrived on input port {@code port}, {@code frame} frames into the callback about to be
     * processed: a backend calls this for each message before {@link #rtProcess}, and the message is handled
     * on that frame's sample.
     */
    @RealTime
    public void rtMidiIn(int port, int frame, int message) {
        midi.rtReceive(port, rtPosition + frame, message);
    }

    /** The ring the control side takes released objects from. */
    public ReturnRing returns() {
        return returns;
    }

    /** The engine sample position: frames processed since the start. Any thread. */
    public long position() {
        return position;
    }

    /** How many failures there were inside DSP. Any thread. */
    public long failures() {
        return failures;
    }

    /** The last exception caught on the audio thread, or null. Any thread. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /** Whether the strips' meters are measured. Any thread. */
    public boolean metering() {
        return metering;
    }

    /** Turns the strips' meters on or off; off, their readings stand still. Any thread. */
    public void setMetering(boolean on) {
        metering = on;
    }

    /** A consistent snapshot of the transport, as of the end of the last processed callback. Any thread. */
    public TransportState transport() {
        return transport.read();
    }

    /** As {@link #transport()}, into the first {@link #TRANSPORT_FIGURES} elements of {@code into}. Any thread. */
    public void transport(long[] into) {
        transport.read(into);
    }

    /**
     * Processes {@code frames} frames from {@code offset} of the backend's buffers: reads the capture
     * buffers and writes the playback buffers, the master into the first two, each direct out into its own,
     * silence into the rest (a null buffer is skipped). Never throws: a node that fails is bypassed and any
     * other failure outputs silence for the block; both are counted.
     */
    @RealTime
    public void rtProcess(float[][] capture, float[][] playback, int offset, int frames) {
        try {
            if (clock != null) {
                rtReadClock(capture, offset, frames);
            }
            long blockPosition = rtPosition;
            long blockTransport = transport.rtPosition();
            boolean blockRolling = transport.rtRolling();
            int done = 0;
            while (done < frames) {
                rtApplyCommands();
                midi.rtDispatch(rtPosition, started);
                int span = rtSpan(frames - done);
                context.position = rtPosition;
                context.rolling = transport.rtRolling();
                context.transportPosition = transport.rtPosition();
                context.loop = transport.rtLoop();
                context.capture = capture;
                context.offset = offset + done;
                plan.rtRun(context, span, faderGains, scratch, metering, batch);
                if (context.failure != null) {
                    lastFailure = context.failure;
                    failures = failures + 1;
                    context.failure = null;
                }
                if (tap != null) {
                    tap.rtCapture(transport.rtRolling(), transport.rtPosition(), span, transport.rtLoop());
                }
                if (stems != null) {
                    stems.rtSpan(span);
                }
                rtWritePlayback(playback, offset + done, span);
                started = true;
                rtPosition += span;
                if (transport.rtAdvance(span, rtPosition)) {
                    automationSegmentEnd = rtPosition;
                }
                done += span;
            }
            if (clock != null) {
                clock.rtWrite(playback, offset, frames, blockPosition, blockTransport, blockRolling);
            }
        } catch (Throwable failure) {
            lastFailure = failure;
            failures = failures + 1;
            rtPosition += frames;
            rtSilence(playback, offset, frames);
        }
        transport.rtPublish(rtPosition);
        position = rtPosition;
    }

    /**
     * Reads the shared clock at the start of a block; a node that read the lead engine's takes its engine
     * position and transport for the block.
     */
    @RealTime
    private void rtReadClock(float[][] capture, int offset, int frames) {
        if (!clock.rtRead(capture, offset, frames, rtPosition) || !clock.rtFollows()) {
            return;
        }
        if (rtPosition != clock.rtReadPosition()) {
            rtPosition = clock.rtReadPosition();
            automationSegmentEnd = rtPosition;
        }
        if (transport.rtRolling() != clock.rtReadRolling()) {
            rtSetRolling(clock.rtReadRolling());
        }
        if (transport.rtPosition() != clock.rtReadTransport()) {
            rtLocate(clock.rtReadTransport());
        }
    }

    /**
     * Reads and writes the shared clock {@code next} from the next block on, in place of any before (null: none),
     * carrying on the losses and lock of the one it replaces.
     */
    @RealTime
    void rtSetClock(NodeClock next) {
        if (next != null) {
            next.rtCarryOn(clock);
        }
        if (clock != null) {
            returns.rtOffer(clock);
        }
        clock = next;
    }

    /** The length of the next span, at most {@code remaining}: it ends where a command, a segment or a loop does. */
    @RealTime
    private int rtSpan(int remaining) {
        int span = Math.min(remaining, Limits.MAX_BLOCK);
        if (!timed.rtIsEmpty()) {
            span = (int) Math.min(span, timed.rtNextTime() - rtPosition);
        }
        if (!automation.isEmpty()) {
            if (rtPosition >= automationSegmentEnd) {
                automationSegmentEnd = rtPosition
                        + automation.rtStartSegment(transport.rtRolling(), transport.rtPosition(), rtPosition);
            }
            span = (int) Math.min(span, automationSegmentEnd - rtPosition);
        }
        long nextMidi = midi.rtNextTime();
        if (nextMidi != Long.MAX_VALUE) {
            span = (int) Math.min(span, nextMidi - rtPosition);
        }
        return Math.min(span, transport.rtFramesToWrap());
    }

    /** Copies the span of the master into the first playback channels, silence into the others, then the direct outs. */
    @RealTime
    private void rtWritePlayback(float[][] playback, int offset, int span) {
        float[][] out = playbackStrip.rtBuffer();
        for (int c = 0; c < playback.length; c++) {
            if (playback[c] == null) {
                continue;
            }
            if (c < out.length) {
                System.arraycopy(out[c], 0, playback[c], offset, span);
            } else {
                Arrays.fill(playback[c], offset, offset + span, 0f);
            }
        }
        plan.rtWriteDirectOuts(playback, offset, span);
    }

    /** Silences the playback buffers after a failure, as far as they reach; never throws. */
    @RealTime
    private static void rtSilence(float[][] playback, int offset, int frames) {
        if (playback == null) {
            return;
        }
        for (float[] channel : playback) {
            if (channel != null && offset >= 0 && offset < channel.length) {
                Arrays.fill(channel, offset, Math.min(channel.length, offset + Math.max(0, frames)), 0f);
            }
        }
    }

    /**
     * Applies the commands that are due: first those held for this sample (in time order, then in the order
     * they were sent), then what the ring holds, keeping commands due later aside until their sample. The
     * control side calls this itself, under the engine's lock, while no audio thread runs.
     */
    @RealTime
    public void rtApplyCommands() {
        while (!timed.rtIsEmpty() && timed.rtNextTime() <= rtPosition) {
            Command command = timed.rtPoll();
            command.kind.rtApply(command, this);
            timed.rtRecycle(command);
        }
        for (Command command = ring.rtPeek(); command != null; command = ring.rtPeek()) {
            if (command.time != CommandRing.NOW && command.time > rtPosition) {
                if (!timed.rtHasRoom()) {
                    return;
                }
                timed.rtHold(ring);
                continue;
            }
            command.kind.rtApply(command, this);
            ring.rtPop();
        }
    }

    /** Whether a block has been processed: before that, gain changes jump instead of ramping. */
    @RealTime
    boolean rtStarted() {
        return started;
    }

    /** Hands {@code released} back to the control side. */
    @RealTime
    void rtRelease(Object released) {
        returns.rtOffer(released);
    }

    @RealTime
    void rtSwapPlan(Plan next) {
        returns.rtOffer(plan);
        plan = next;
    }

    @RealTime
    void rtSwapMidiMap(MidiMap next) {
        MidiMap previous = midi.rtSwap(next);
        if (previous != MidiMap.NONE) {
            returns.rtOffer(previous);
        }
    }

    /** The MIDI side, for command handlers on the audio thread. */
    @RealTime
    MidiRouter rtMidi() {
        return midi;
    }

    /** The engine sample being processed now: between callbacks, the one the next callback starts on. */
    @RealTime
    public long rtPosition() {
        return rtPosition;
    }

    @RealTime
    void rtSetStems(StemTaps next) {
        if (stems != null) {
            stems.rtDetach();
        }
        stems = next;
        if (next != null) {
            next.rtAttach();
        }
    }

    @RealTime
    void rtSwapAutomation(Automation next) {
        if (automation != Automation.NONE) {
            returns.rtOffer(automation);
        }
        automation = next;
        automationSegmentEnd = rtPosition;
    }

    @RealTime
    void rtSetRolling(boolean rolling) {
        transport.rtSetRolling(rolling);
        automationSegmentEnd = rtPosition;
    }

    @RealTime
    void rtLocate(long transportPosition) {
        transport.rtLocate(transportPosition);
        automationSegmentEnd = rtPosition;
    }

    @RealTime
    void rtSetLoop(LoopRange loop) {
        transport.rtSetLoop(loop);
        automationSegmentEnd = rtPosition;
    }

    @RealTime
    void rtStartTake(TakeTap next) {
        rtStopTake();
        tap = next;
    }

    @RealTime
    void rtStopTake() {
        if (tap != null) {
            tap.rtEnd();
            returns.rtOffer(tap);
            tap = null;
        }
    }
}
