package desk.engine;

import desk.engine.dsp.Decibels;
import desk.engine.dsp.PanLaw;
import desk.engine.dsp.SmoothedGains;
import desk.engine.io.AudioFile;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.record.Take;
import desk.engine.record.TakeFile;

import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The mixing engine: a graph of strips, connections and sources with stable numeric ids, driven by
 * {@link EngineCommand}s and run block by block by a backend.
 * <p>
 * The control side keeps the settings, checks every command whole before applying any of it, compiles the
 * routing into a {@link Plan} in dependency order and turns settings into gain targets. Both cross to the
 * audio side through a {@link CommandRing}; the audio side applies them at the start of the next span and
 * smooths every level change over {@value #DECLICK_MILLISECONDS} ms (changes made before the first block
 * take effect at once). A command wrapped in {@link EngineCommand.At} is applied at its exact sample: the
 * audio side keeps it until then and cuts the span there. A change of routing crossfades the old path out
 * and the new one in over {@value #CROSSFADE_MILLISECONDS} ms (equal power); removed paths leave the plan
 * once faded. Automation lanes are compiled into an {@link Automation} table the audio side plays.
 * <p>
 * Recording: a {@link EngineCommand.StartTake} makes a {@link Take} (its files, rings and disk thread) on
 * the control side; from its sample the audio side copies the live input of each of its tracks into the
 * take's rings while the transport rolls, until {@link EngineCommand.StopTake}. Each track's monitoring
 * ({@link MonitorMode}) decides, from its arming, the transport and the take, whether it hears its live
 * input or its clip playback; the switch is declicked and lands on the sample of the command that caused
 * it. Clips ({@link EngineCommand.SetClips}) are played by a {@link ClipPlayer} per track, fed ahead by the
 * {@link ClipReader} thread from the files.
 * <p>
 * Threads: {@link #execute} and the query methods on any thread, serialised by the engine's lock (the audio
 * thread never takes it); {@link #rtProcess} on one audio thread at a time.
 */
public final class Engine {
    /** The largest span the audio side processes at once; longer blocks are cut into spans. */
    /** How many figures {@link #transport(long[])} writes. */
    public static final int TRANSPORT_FIGURES = TransportClock.FIGURES;
    public static final int MAX_BLOCK = 4096;
    /** Most channels a track can have. */
    public static final int MAX_TRACK_CHANNELS = 8;
    /** The master bus, which exists from the start. */
    public static final int MASTER_ID = 0;
    /** The capture ports of the audio interface, as a source. */
    public static final int CAPTURE_ID = 1;
    /** The first id free for callers' nodes. */
    public static final int FIRST_FREE_ID = 2;
    /** The first playback channel a direct out can use; the master plays on the channels before it. */
    public static final int FIRST_DIRECT_OUT = 2;
    /** Most playback channels for direct outs. */
    public static final int MAX_DIRECT_OUTS = 256;
    /** "No node": an output to nowhere, an input from nothing. */
    public static final int NO_NODE = -1;
    /** The latest sample time a command may name: 2^40 samples, over 250 days at 48 kHz. */
    public static final long MAX_SAMPLE_TIME = 1L << 40;
    /** How long the control thread waits for a stalled audio thread to take commands, in milliseconds. */
    private static final long STALL_MILLISECONDS = 2000;
    /** A span of silence, read by tracks with no input; never written. */
    static final float[] SILENCE = new float[MAX_BLOCK];
    /** How long a level change takes, in milliseconds. */
    public static final int DECLICK_MILLISECONDS = 5;
    /** Length of the equal-power crossfade of a change of routing. */
    public static final int CROSSFADE_MILLISECONDS = 10;
    /** How many timed commands the audio side can hold before they are due. */
    static final int PENDING_CAPACITY = 1 << 12;

    private static final int RING_CAPACITY = 1 << 13;
    /** The take buffer per track allowed, in seconds. */
    public static final double MIN_TAKE_BUFFER_SECONDS = 1;
    /** The take buffer per track allowed, in seconds. */
    public static final double MAX_TAKE_BUFFER_SECONDS = 60;

    private final int sampleRate;
    private final int capturePorts;
    private final int playbackChannels;
    private final int declickSamples;
    private final int crossfadeSamples;
    private long commandTime = CommandRing.NOW;
    private final CommandRing ring = new CommandRing(RING_CAPACITY);

    private final Map<Integer, StripEntry> strips = new LinkedHashMap<>();
    private final Map<Integer, SendEntry> sends = new LinkedHashMap<>();
    private final IdIndex<StripEntry> stripIndex = new IdIndex<>();
    private final IdIndex<SendEntry> sendIndex = new IdIndex<>();
    private final Map<Integer, Source> sources = new LinkedHashMap<>();
    private final List<DirectOut> directOuts = new ArrayList<>();
    private final StripEntry master;
    private final Strip playbackStrip;
    private final Connection masterOutput;
    private float[] masterOutputSent;
    private List<Automation.Target> automationSent = List.of();
    private volatile boolean audioThreadRunning;
    private volatile boolean metering = true;
    private int[] lastPlanOrder = new int[0];
    /** The engine time from which {@link #maintain} may have something to release; MAX_VALUE: nothing. */
    private long maintainAt = Long.MAX_VALUE;
    /** Whether any strip is soloed, as the solo flags of the strips were last worked out. */
    private boolean anySoloed;
    /** True when the routing changed after the solo flags of the strips were worked out. */
    private boolean soloStale = true;
    /** Gains being assembled before they are compared with what was sent, and sent. */
    private final float[] gainScratch = new float[MAX_TRACK_CHANNELS * 2];

    private final ProcessContext context = new ProcessContext();
    private final float[] faderGains = new float[MAX_BLOCK];
    private final float[] scratch = new float[MAX_BLOCK];
    private Plan plan;
    private final TransportClock transport = new TransportClock();
    private Automation automation = Automation.NONE;
    private long automationSegmentEnd;
    private final CommandRing.Slot[] pending = new CommandRing.Slot[PENDING_CAPACITY];
    private int pendingCount;
    private final CommandRing.Slot[] spares = new CommandRing.Slot[PENDING_CAPACITY];
    private int spareCount;
    private long pendingSequence;
    private boolean rtStarted;
    private long rtPosition;
    private volatile long position;
    private volatile Throwable lastFailure;
    private volatile long failures;
    private boolean rolling;
    private Take recordingTake;
    private final List<Take> takes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ClipReader clipReader = new ClipReader();
    private final List<ClipPlayer> players = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<java.nio.file.Path, WavReader.Stream> clipFiles = new HashMap<>();
    private volatile boolean waitForDisk;
    private volatile long roundTripLatency;
    private TakeTap tap;

    /**
     * An engine at {@code sampleRate} Hz whose interface has {@code capturePorts} capture ports and plays
     * the master alone.
     */
    public Engine(int sampleRate, int capturePorts) {
        this(sampleRate, capturePorts, FIRST_DIRECT_OUT);
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
        if (capturePorts < 0 || capturePorts > 256) {
            throw new EngineException("capture ports " + capturePorts + ": must be 0..256");
        }
        if (playbackChannels < FIRST_DIRECT_OUT || playbackChannels > FIRST_DIRECT_OUT + MAX_DIRECT_OUTS) {
            throw new EngineException("playback channels " + playbackChannels + ": must be " + FIRST_DIRECT_OUT
                    + ".." + (FIRST_DIRECT_OUT + MAX_DIRECT_OUTS));
        }
        this.sampleRate = sampleRate;
        this.capturePorts = capturePorts;
        this.playbackChannels = playbackChannels;
        this.declickSamples = Math.max(1, sampleRate * DECLICK_MILLISECONDS / 1000);
        this.crossfadeSamples = Math.max(1, sampleRate * CROSSFADE_MILLISECONDS / 1000);
        for (int i = 0; i < PENDING_CAPACITY; i++) {
            spares[i] = new CommandRing.Slot();
        }
        spareCount = PENDING_CAPACITY;
        transport.rtPublish(0);
        Strip masterStrip = new Strip(MASTER_ID, StripKind.MASTER, 2, sampleRate, declickSamples);
        master = new StripEntry(masterStrip);
        master.outputId = NO_NODE;
        strips.put(MASTER_ID, master);
        stripIndex.put(MASTER_ID, master);
        playbackStrip = new Strip(NO_NODE, StripKind.MASTER, 2, sampleRate, declickSamples);
        masterOutput = new Connection(masterStrip, playbackStrip, false, declickSamples);
        sources.put(CAPTURE_ID, new CaptureSource(CAPTURE_ID, capturePorts));
        synchronized (this) {
            publishPlan();
            refreshGains();
            setLoudness(master, MeterPoint.POST_FADER);
        }
    }

    /** The sample rate the engine runs at, in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Number of capture ports of the interface (channels of the {@link #CAPTURE_ID} source). */
    public int capturePorts() {
        return capturePorts;
    }

    /** Number of playback channels {@link #rtProcess} is handed: the master's two, then direct outs'. */
    public int playbackChannels() {
        return playbackChannels;
    }

    /** The engine sample position: frames processed since it started. Any thread. */
    public long position() {
        return position;
    }

    /**
     * How many failures there were inside DSP: a node that threw (it is bypassed from then on, the others
     * play on), or a block that failed as a whole (it was output as silence).
     */
    public long failures() {
        return failures;
    }

    /** The last exception caught on the audio thread, or null. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /**
     * The backend's latencies, in samples: capture (from the converter to the audio thread) and playback
     * (from the audio thread to the converter). Takes land on the timeline earlier by their sum, so what a
     * performer played along to lines up with it. 0 for the built-in backends. Any thread.
     */
    public void setLatency(int captureSamples, int playbackSamples) {
        if (captureSamples < 0 || playbackSamples < 0) {
            throw new EngineException("latencies " + captureSamples + " and " + playbackSamples
                    + " samples: must be 0 or more");
        }
        roundTripLatency = (long) captureSamples + playbackSamples;
    }

    /** The round-trip latency takes are aligned by (capture plus playback), in samples. Any thread. */
    public long latency() {
        return roundTripLatency;
    }

    /**
     * What the disk side has done: whether a take is recording, the finished take files, the problems of
     * recording and of clip playback, and the frames clip playback had to play as silence.
     */
    public synchronized DiskState disk() {
        List<Take.Result> finished = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean busy = false;
        for (Take take : takes) {
            problems.addAll(take.problems());
            if (take.finished()) {
                finished.addAll(take.results());
            } else {
                busy = true;
            }
        }
        problems.addAll(clipReader.problems());
        long missed = 0;
        for (ClipPlayer player : players) {
            missed += player.framesMissed();
        }
        return new DiskState(busy, finished, problems, missed);
    }

    /**
     * What {@link #disk()} says, in figures, into {@code into}, allocating nothing (unless a take reports a new
     * problem): 1 while a take records, else 0; the number of files of finished takes; the number of problems
     * reported; the frames clip playback missed. The lists of {@link #disk()} only grow, so a caller that
     * keeps them needs them again only when a count changes.
     */
    public synchronized void disk(long[] into) {
        boolean busy = false;
        long files = 0;
        long problems = clipReader.problemCount();
        for (int i = 0; i < takes.size(); i++) {
            Take take = takes.get(i);
            problems += take.problemCount();
            if (take.finished()) {
                files += take.results().size();
            } else {
                busy = true;
            }
        }
        long missed = 0;
        for (int i = 0; i < players.size(); i++) {
            missed += players.get(i).framesMissed();
        }
        into[0] = busy ? 1 : 0;
        into[1] = files;
        into[2] = problems;
        into[3] = missed;
    }

    /**
     * Makes clip playback wait for its disk reader instead of playing silence while the reader catches up:
     * for offline renders, whose output must never depend on timing. Any thread.
     */
    public void waitForDisk() {
        waitForDisk = true;
        for (ClipPlayer player : players) {
            player.waitForDisk(true);
        }
    }

    /**
     * Waits until the take recording has room for {@code frames} more frames in every buffer: an offline
     * render calls this before each block, so it never outruns the disk. Returns at once when no take
     * records. Any thread but the audio thread.
     */
    public void awaitRecorderRoom(int frames) {
        for (Take take : takes) {
            while (!take.hasRoom(frames) && !take.finished()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** Whether the strips' meters are measured (on by default); when off their readings stand still. */
    public boolean metering() {
        return metering;
    }

    /**
     * Tells the engine whether an audio thread is calling {@link #rtProcess}; backends call this before the
     * first block and after the last. It takes the engine's lock, so the control side never drains the
     * command queue itself while an audio thread does.
     */
    public synchronized void setAudioThreadRunning(boolean running) {
        this.audioThreadRunning = running;
    }

    // ------------------------------------------------------------------ control side

    /**
     * Checks and applies one command, whole; throws {@link EngineException} and changes nothing if refused.
     * Paths that have finished fading out are released first.
     */
    public synchronized void execute(EngineCommand command) {
        maintain();
        if (command instanceof EngineCommand.At at) {
            executeAt(at);
            return;
        }
        apply(command);
    }

    private void executeAt(EngineCommand.At at) {
        if (at.command() == null || at.command() instanceof EngineCommand.At) {
            throw new EngineException("a timed command needs one command to apply, not " + at.command());
        }
        checkCommandTime(at.sample());
        commandTime = at.sample();
        try {
            apply(at.command());
        } finally {
            commandTime = CommandRing.NOW;
        }
    }

    private static void checkCommandTime(long sample) {
        if (sample < 0 || sample > MAX_SAMPLE_TIME) {
            throw new EngineException("command time " + sample + ": must be 0.." + MAX_SAMPLE_TIME + " samples");
        }
    }

    /**
     * Sets a parameter of a strip or a send at once, exactly as {@link #execute} does with a
     * {@link EngineCommand.SetParameter}, but without a command object: in steady state it allocates
     * nothing. The engine server's path for the command it receives most.
     */
    public synchronized void setParameter(int nodeId, Parameter parameter, double value) {
        maintain();
        setParameterNow(nodeId, parameter, value);
    }

    /**
     * Sets a parameter of a strip or a send at engine sample {@code sample}, exactly as {@link #execute} does
     * with an {@link EngineCommand.At} of a {@link EngineCommand.SetParameter}; allocates nothing in steady
     * state.
     */
    public synchronized void setParameterAt(long sample, int nodeId, Parameter parameter, double value) {
        maintain();
        checkCommandTime(sample);
        commandTime = sample;
        try {
            setParameterNow(nodeId, parameter, value);
        } finally {
            commandTime = CommandRing.NOW;
        }
    }

    private void apply(EngineCommand command) {
        switch (command) {
            case EngineCommand.CreateStrip c -> createStrip(c);
            case EngineCommand.RemoveStrip c -> removeStrip(c);
            case EngineCommand.SetOutput c -> setOutput(c);
            case EngineCommand.SetDirectOut c -> setDirectOut(c);
            case EngineCommand.CreateSend c -> createSend(c);
            case EngineCommand.RemoveSend c -> removeSend(c);
            case EngineCommand.SetParameter c -> setParameterNow(c.nodeId(), c.parameter(), c.value());
            case EngineCommand.SetPolarity c -> setPolarity(c);
            case EngineCommand.CreateGenerator c -> createGenerator(c);
            case EngineCommand.CreateFileSource c -> createFileSource(c);
            case EngineCommand.RemoveSource c -> removeSource(c);
            case EngineCommand.SetInput c -> setInput(c);
            case EngineCommand.SetMetering c -> metering = c.on();
            case EngineCommand.SetTransport c -> setTransport(c);
            case EngineCommand.Locate c -> locate(c);
            case EngineCommand.SetLoop c -> setLoop(c);
            case EngineCommand.SetLane c -> setLane(c);
            case EngineCommand.Glide c -> glide(c);
            case EngineCommand.SetLoudness c -> setLoudness(strip(c.stripId(), "strip"), c.point());
            case EngineCommand.ResetMeters c -> resetMeters(c.stripId());
            case EngineCommand.SetArmed c -> setArmed(c);
            case EngineCommand.SetMonitoring c -> setMonitoring(c);
            case EngineCommand.StartTake c -> startTake(c);
            case EngineCommand.StopTake c -> stopTake();
            case EngineCommand.SetClips c -> setClips(c);
            case EngineCommand.At c -> throw new EngineException("timed commands do not nest");
        }
    }

    /** A consistent snapshot of the transport, as of the end of the last processed callback. Any thread. */
    public TransportState transport() {
        return transport.read();
    }

    /**
     * As {@link #transport()}, into the first {@link #TRANSPORT_FIGURES} elements of {@code into}, allocating
     * nothing: 1 if the transport rolls, else 0; its position; the engine sample position at which that was
     * true; 1 if it has a loop range, else 0; the loop start and end (0 without one); the engine sample of its
     * latest jump round the loop ({@link TransportState#NEVER} if none). Any thread.
     */
    public void transport(long[] into) {
        transport.read(into);
    }

    /**
     * Releases paths that have finished fading out and one-off ramps that have ended, and drops them from
     * the plan. {@link #execute} does this too; a control loop calls it now and then. Any thread.
     */
    public synchronized void maintain() {
        long now = position;
        if (now < maintainAt) {
            return;
        }
        boolean changed = false;
        for (StripEntry entry : strips.values()) {
            changed |= entry.retiring.removeIf(retired -> retired.until() <= now);
        }
        for (Iterator<StripEntry> i = strips.values().iterator(); i.hasNext(); ) {
            StripEntry entry = i.next();
            if (entry.removingUntil >= 0 && entry.removingUntil <= now && entry.retiring.isEmpty()) {
                i.remove();
                stripIndex.remove(entry.strip.id());
                changed = true;
            }
        }
        changed |= directOuts.removeIf(out -> out.until >= 0 && out.until <= now);
        boolean glidesEnded = false;
        for (StripEntry entry : strips.values()) {
            glidesEnded |= entry.lanes.values().removeIf(lane -> glideEnded(lane, now));
        }
        for (SendEntry send : sends.values()) {
            if (glideEnded(send.levelLane, now)) {
                send.levelLane = null;
                glidesEnded = true;
            }
        }
        if (changed) {
            publishPlan();
        }
        if (glidesEnded) {
            refreshGains();
        }
        maintainAt = nextMaintenance();
    }

    /** The earliest engine time at which a path, a strip or a glide still held may be released. */
    private long nextMaintenance() {
        long next = Long.MAX_VALUE;
        for (StripEntry entry : strips.values()) {
            for (Retired retired : entry.retiring) {
                next = Math.min(next, retired.until());
            }
            if (entry.removingUntil >= 0) {
                next = Math.min(next, entry.removingUntil);
            }
            for (Automation.ClockedLane lane : entry.lanes.values()) {
                next = Math.min(next, glideEnd(lane));
            }
        }
        for (SendEntry send : sends.values()) {
            next = Math.min(next, glideEnd(send.levelLane));
        }
        return next;
    }

    /** Makes {@link #maintain} look again at engine time {@code time}. */
    private void maintainBy(long time) {
        maintainAt = Math.min(maintainAt, time);
    }

    /** A snapshot of a strip's meter at {@code point}, with its loudness if the strip measures it there. */
    public synchronized MeterReading meter(int stripId, MeterPoint point) {
        MeterBuffer buffer = new MeterBuffer();
        meter(stripId, point, buffer);
        return buffer.reading();
    }

    /** As {@link #meter(int, MeterPoint)}, into {@code into}, allocating nothing. */
    public synchronized void meter(int stripId, MeterPoint point, MeterBuffer into) {
        StripEntry entry = strip(stripId, "strip");
        entry.strip.meter(point).read(into);
        LoudnessTap tap = entry.loudness;
        if (tap != null && tap.point() == point) {
            tap.read(into);
        }
    }

    /** Where a strip measures loudness and true peak, or null if it does not. */
    public synchronized MeterPoint loudnessPoint(int stripId) {
        LoudnessTap tap = strip(stripId, "strip").loudness;
        return tap == null ? null : tap.point();
    }

    /** Clears every meter. */
    public synchronized void resetMeters() {
        resetMeters(NO_NODE);
    }

    private void resetMeters(int stripId) {
        for (StripEntry entry : stripId == NO_NODE ? strips.values() : List.of(strip(stripId, "strip"))) {
            for (MeterPoint point : MeterPoint.values()) {
                entry.strip.meter(point).reset();
            }
            if (entry.loudness != null) {
                entry.loudness.reset();
            }
        }
    }

    private void setLoudness(StripEntry entry, MeterPoint point) {
        entry.loudness = point == null ? null : new LoudnessTap(point, entry.strip.channels(), sampleRate);
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.SET_LOUDNESS;
        slot.target = entry.strip;
        slot.payload = entry.loudness;
        ring.publish();
    }

    /** The ids of the strips in the order the current plan runs them. */
    public synchronized int[] processingOrder() {
        return lastPlanOrder.clone();
    }

    private void createStrip(EngineCommand.CreateStrip c) {
        requireFreeId(c.id());
        if (c.kind() == null || c.kind() == StripKind.MASTER) {
            throw new EngineException("strip kind " + c.kind() + ": must be TRACK, GROUP_BUS or AUX_BUS");
        }
        int maxChannels = c.kind() == StripKind.TRACK ? MAX_TRACK_CHANNELS : 2;
        if (c.channels() < 1 || c.channels() > maxChannels) {
            throw new EngineException("channels " + c.channels() + ": a " + describe(c.kind())
                    + " has 1.." + maxChannels);
        }
        StripEntry entry = new StripEntry(new Strip(c.id(), c.kind(), c.channels(), sampleRate, declickSamples));
        strips.put(c.id(), entry);
        stripIndex.put(c.id(), entry);
        entry.outputId = MASTER_ID;
        entry.output = newConnection(entry.strip, master.strip, false);
        entry.outputSent = null;
        publishPlan();
        refreshGains();
    }

    private void removeStrip(EngineCommand.RemoveStrip c) {
        StripEntry entry = strip(c.id(), "strip");
        if (entry == master) {
            throw new EngineException("the master cannot be removed");
        }
        long until = retireTime();
        for (Iterator<SendEntry> i = sends.values().iterator(); i.hasNext(); ) {
            SendEntry send = i.next();
            if (send.source == entry || send.destination == entry) {
                retire(send.source, send.connection, until);
                i.remove();
                forgetSend(send);
            }
        }
        for (StripEntry other : strips.values()) {
            if (other.outputId == c.id()) {
                retire(other, other.output, until);
                other.outputId = NO_NODE;
                other.output = null;
            }
        }
        retire(entry, entry.output, until);
        entry.outputId = NO_NODE;
        entry.output = null;
        retireDirectOut(entry, until);
        entry.lanes.clear();
        entry.removingUntil = until;
        maintainBy(until);
        publishPlan();
        refreshGains();
    }

    /** True when {@code lane} is a one-off ramp that the audio side has certainly finished by engine time {@code now}. */
    private static boolean glideEnded(Automation.ClockedLane lane, long now) {
        return glideEnd(lane) <= now;
    }

    /** When the audio side has certainly finished {@code lane} if it is a one-off ramp; else MAX_VALUE. */
    private static long glideEnd(Automation.ClockedLane lane) {
        return lane != null && lane.engineClock()
                ? lane.lane().time(lane.lane().size() - 1) + Automation.CONTROL_PERIOD + MAX_BLOCK
                : Long.MAX_VALUE;
    }

    /** The engine time by which a path faded out from now on has certainly gone silent. */
    private long retireTime() {
        long start = commandTime != CommandRing.NOW ? commandTime : position + MAX_BLOCK;
        return start + crossfadeSamples + 1;
    }

    /** Fades {@code connection} out (equal power) and keeps it in the plan until {@code until}. */
    private void retire(StripEntry from, Connection connection, long until) {
        if (connection == null) {
            return;
        }
        from.retiring.add(new Retired(connection, until));
        maintainBy(until);
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.SHAPED_RAMP;
        slot.target = connection.gains();
        Arrays.fill(slot.values, 0f);
        slot.index = crossfadeSamples;
        slot.payload = SmoothedGains.Shape.EQUAL_POWER;
        ring.publish();
    }

    private void setOutput(EngineCommand.SetOutput c) {
        StripEntry entry = strip(c.stripId(), "strip");
        if (entry == master) {
            throw new EngineException("the master's output is the interface's playback ports and cannot be routed");
        }
        if (c.destinationId() == entry.outputId) {
            return;
        }
        if (c.destinationId() == NO_NODE) {
            retire(entry, entry.output, retireTime());
            entry.outputId = NO_NODE;
            entry.output = null;
        } else {
            StripEntry destination = bus(c.destinationId());
            refuseLoop(entry, destination);
            retire(entry, entry.output, retireTime());
            entry.outputId = destination.strip.id();
            entry.output = newConnection(entry.strip, destination.strip, false);
            entry.outputSent = null;
        }
        publishPlan();
        refreshGains();
    }

    private void setDirectOut(EngineCommand.SetDirectOut c) {
        StripEntry entry = strip(c.busId(), "bus");
        if (!entry.strip.kind().isBus() || entry == master) {
            throw new EngineException(entry == master
                    ? "the master plays on playback channels 1 and 2 always: it has no direct out"
                    : "strip " + c.busId() + " is a track: direct outs belong to group and aux buses");
        }
        int[] channels = c.playbackChannels() == null ? new int[0] : c.playbackChannels().clone();
        if (channels.length > 0) {
            checkDirectOutChannels(entry, channels);
        }
        DirectOut current = entry.directOut;
        if (current == null ? channels.length == 0 : Arrays.equals(current.channels, channels)) {
            return;
        }
        retireDirectOut(entry, retireTime());
        if (channels.length > 0) {
            Strip port = new Strip(NO_NODE, StripKind.MASTER, channels.length, sampleRate, declickSamples);
            entry.directOut = new DirectOut(c.busId(), port, newConnection(entry.strip, port, false), channels);
            directOuts.add(entry.directOut);
        }
        publishPlan();
        refreshGains();
    }

    /** Refuses playback channels a bus's direct out cannot take, naming what it can. */
    private void checkDirectOutChannels(StripEntry entry, int[] channels) {
        int id = entry.strip.id();
        if (channels.length != entry.strip.channels()) {
            throw new EngineException("direct out of bus " + id + " needs " + entry.strip.channels()
                    + " playback channel" + (entry.strip.channels() == 1 ? "" : "s") + " (one per channel), got "
                    + channels.length);
        }
        for (int i = 0; i < channels.length; i++) {
            int channel = channels[i];
            if (channel < FIRST_DIRECT_OUT || channel >= playbackChannels) {
                throw new EngineException("direct out of bus " + id + ": playback channel " + (channel + 1)
                        + (playbackChannels == FIRST_DIRECT_OUT ? " does not exist: this interface plays the master alone"
                        : ": must be " + (FIRST_DIRECT_OUT + 1) + ".." + playbackChannels + " (1 and 2 are the master's)"));
            }
            for (int j = 0; j < i; j++) {
                if (channels[j] == channel) {
                    throw new EngineException("direct out of bus " + id + ": playback channel " + (channel + 1)
                            + " is given twice");
                }
            }
            for (DirectOut other : directOuts) {
                if (other.until < 0 && other != entry.directOut) {
                    for (int used : other.channels) {
                        if (used == channel) {
                            throw new EngineException("direct out of bus " + id + ": playback channel "
                                    + (channel + 1) + " carries the direct out of bus " + other.busId);
                        }
                    }
                }
            }
        }
    }

    /** Fades a strip's direct out away (equal power) and keeps it playing until {@code until}, if it has one. */
    private void retireDirectOut(StripEntry entry, long until) {
        DirectOut out = entry.directOut;
        if (out == null) {
            return;
        }
        retire(entry, out.connection, until);
        out.until = until;
        entry.directOut = null;
    }

    /**
     * True when no direct out writes to any of {@code channels} any more, not even one still fading out:
     * a backend may then take their ports away without a click. Releases faded paths first. Any thread.
     */
    public synchronized boolean playbackSilent(int[] channels) {
        maintain();
        for (DirectOut out : directOuts) {
            for (int used : out.channels) {
                for (int channel : channels) {
                    if (used == channel) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void createSend(EngineCommand.CreateSend c) {
        requireFreeId(c.id());
        StripEntry source = strip(c.sourceId(), "strip");
        if (source == master) {
            throw new EngineException("the master has no sends");
        }
        StripEntry destination = bus(c.destinationId());
        if (destination == master) {
            throw new EngineException("sends go to group or aux buses, not to the master");
        }
        for (SendEntry send : sends.values()) {
            if (send.source == source && send.destination == destination) {
                throw new EngineException("strip " + source.strip.id() + " already sends to bus "
                        + destination.strip.id() + " (send " + send.id + ")");
            }
        }
        refuseLoop(source, destination);
        String problem = Parameter.SEND_LEVEL.check(c.levelDb());
        if (problem != null) {
            throw new EngineException("send level " + Parameter.format(c.levelDb()) + " " + problem);
        }
        SendEntry send = new SendEntry(c.id(), source, destination);
        send.levelDb = c.levelDb();
        send.preFader = c.preFader();
        send.connection = newConnection(source.strip, destination.strip, c.preFader());
        sends.put(c.id(), send);
        sendIndex.put(c.id(), send);
        source.sendsOut.add(send);
        publishPlan();
        refreshGains();
    }

    private void removeSend(EngineCommand.RemoveSend c) {
        SendEntry send = sends.remove(c.id());
        if (send == null) {
            throw new EngineException("send " + c.id() + " does not exist");
        }
        forgetSend(send);
        retire(send.source, send.connection, retireTime());
        publishPlan();
        refreshGains();
    }

    /**
     * Applies a parameter change at {@link #commandTime}. Trim and fader send only their own gain; pan,
     * balance, pan law, mute and send settings send only the gains of the paths they change; solo changes
     * refresh every gain.
     */
    private void setParameterNow(int nodeId, Parameter parameter, double value) {
        if (parameter == null) {
            throw new EngineException("parameter is missing");
        }
        String problem = parameter.check(value);
        if (problem != null) {
            throw new EngineException(parameter.scriptName() + " " + Parameter.format(value) + " " + problem);
        }
        if (parameter.ofSend()) {
            SendEntry send = sendIndex.get(nodeId);
            if (send == null) {
                throw new EngineException("send " + nodeId + " does not exist");
            }
            switch (parameter) {
                case SEND_LEVEL -> send.levelDb = value;
                case SEND_PAN -> send.pan = value;
                default -> {
                    send.preFader = value == 1;
                    CommandRing.Slot slot = claim();
                    slot.kind = CommandRing.SET_PRE_FADER;
                    slot.target = send.connection;
                    slot.flag = send.preFader;
                    ring.publish();
                }
            }
            refreshSend(send);
            return;
        }
        StripEntry entry = strip(nodeId, "strip");
        boolean mono = entry.strip.channels() == 1;
        switch (parameter) {
            case TRIM -> {
                entry.trimDb = value;
                if (!entry.lanes.containsKey(Parameter.TRIM)) {
                    sendTrim(entry);
                }
            }
            case FADER -> {
                entry.faderDb = value;
                if (!entry.lanes.containsKey(Parameter.FADER)) {
                    sendFader(entry);
                }
            }
            case PAN -> {
                if (!mono) {
                    throw new EngineException("pan applies to mono strips; strip " + nodeId
                            + " has " + entry.strip.channels() + " channels: use balance");
                }
                entry.pan = value;
                refreshPaths(entry);
            }
            case BALANCE -> {
                if (mono) {
                    throw new EngineException("balance applies to stereo and wider strips; strip "
                            + nodeId + " is mono: use pan");
                }
                entry.balance = value;
                refreshPaths(entry);
            }
            case PAN_LAW -> {
                entry.panLaw = PanLaw.ofCentreDb(value);
                refreshPaths(entry);
            }
            case MUTE -> {
                entry.mute = value == 1;
                refreshPaths(entry);
            }
            case SOLO -> {
                entry.solo = value == 1;
                refreshGains();
            }
            case SOLO_SAFE -> {
                entry.soloSafe = value == 1;
                refreshGains();
            }
            default -> throw new EngineException(parameter.scriptName() + " is a send parameter");
        }
    }

    private void setPolarity(EngineCommand.SetPolarity c) {
        StripEntry entry = strip(c.stripId(), "strip");
        if (c.inverted() == null || c.inverted().length != entry.strip.channels()) {
            throw new EngineException("polarity needs one flag per channel: strip " + c.stripId() + " has "
                    + entry.strip.channels() + ", got " + (c.inverted() == null ? 0 : c.inverted().length));
        }
        entry.polarity = c.inverted().clone();
        refreshGains();
    }

    private void setTransport(EngineCommand.SetTransport c) {
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.TRANSPORT;
        slot.flag = c.rolling();
        ring.publish();
        if (rolling != c.rolling()) {
            rolling = c.rolling();
            refreshMonitoring();
        }
    }

    private void setArmed(EngineCommand.SetArmed c) {
        StripEntry entry = track(c.trackId());
        if (c.armed() && !hasInput(entry)) {
            throw new EngineException("track " + c.trackId() + " has no input: give it one before arming it");
        }
        entry.armed = c.armed();
        refreshGains();
    }

    private void setMonitoring(EngineCommand.SetMonitoring c) {
        StripEntry entry = track(c.trackId());
        if (c.mode() == null) {
            throw new EngineException("monitoring mode is missing: input, auto or off");
        }
        entry.monitoring = c.mode();
        refreshGains();
    }

    /** Refreshes the gains if any track's monitoring follows the transport or the take. */
    private void refreshMonitoring() {
        for (StripEntry entry : strips.values()) {
            if (entry.monitoring == MonitorMode.AUTO) {
                refreshGains();
                return;
            }
        }
    }

    private void startTake(EngineCommand.StartTake c) {
        if (recordingTake != null) {
            throw new EngineException("a take is recording already: stop it first");
        }
        if (c.tracks() == null || c.tracks().isEmpty()) {
            throw new EngineException("a take needs at least one track");
        }
        if (c.format() != SampleFormat.PCM_24 && c.format() != SampleFormat.FLOAT_32) {
            throw new EngineException("take format " + c.format() + ": takes are 24-bit PCM or 32-bit float");
        }
        if (!(c.bufferSeconds() >= MIN_TAKE_BUFFER_SECONDS && c.bufferSeconds() <= MAX_TAKE_BUFFER_SECONDS)) {
            throw new EngineException("take buffer " + Parameter.format(c.bufferSeconds()) + " s: must be "
                    + Parameter.format(MIN_TAKE_BUFFER_SECONDS) + ".." + Parameter.format(MAX_TAKE_BUFFER_SECONDS) + " s");
        }
        List<Take.Track> tracks = new ArrayList<>();
        Strip[] tapped = new Strip[c.tracks().size()];
        Set<Integer> seen = new HashSet<>();
        for (EngineCommand.TakeTrack track : c.tracks()) {
            StripEntry entry = track(track.trackId());
            if (!seen.add(track.trackId())) {
                throw new EngineException("track " + track.trackId() + " is listed twice in the take");
            }
            if (!hasInput(entry)) {
                throw new EngineException("track " + track.trackId() + " has no input to record");
            }
            if (track.file() == null) {
                throw new EngineException("track " + track.trackId() + " needs a file to record into");
            }
            tapped[tracks.size()] = entry.strip;
            tracks.add(new Take.Track(track.trackId(), track.file(), entry.strip.channels()));
        }
        Take take;
        try {
            take = Take.open(tracks, sampleRate, c.format(), (int) Math.round(c.bufferSeconds() * sampleRate),
                    LocalDateTime.now(), TakeFile.RIFF_LIMIT, TakeFile.NEW_FILE);
        } catch (IOException e) {
            throw new EngineException(e.getMessage());
        }
        take.start();
        takes.add(take);
        recordingTake = take;
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.START_TAKE;
        slot.payload = new TakeTap(take, tapped, roundTripLatency);
        ring.publish();
        refreshMonitoring();
    }

    private void stopTake() {
        if (recordingTake == null) {
            throw new EngineException("no take is recording");
        }
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.STOP_TAKE;
        ring.publish();
        recordingTake = null;
        refreshMonitoring();
        if (!audioThreadRunning) {
            rtApplyCommands();
        }
    }

    private void setClips(EngineCommand.SetClips c) {
        StripEntry entry = track(c.trackId());
        if (c.clips() == null) {
            throw new EngineException("clips of track " + c.trackId() + " are missing: give a list, empty for none");
        }
        PlaybackClip[] clips = new PlaybackClip[c.clips().size()];
        for (int i = 0; i < clips.length; i++) {
            clips[i] = PlaybackClip.check(c.clips().get(i), sampleRate, entry.strip.id(), entry.strip.channels(),
                    clipFiles);
        }
        if (entry.player == null) {
            entry.player = new ClipPlayer(entry.strip.channels(), 2 * sampleRate, sampleRate / 10);
            entry.player.waitForDisk(waitForDisk);
            players.add(entry.player);
            clipReader.add(entry.player);
            CommandRing.Slot slot = claim();
            slot.kind = CommandRing.SET_PLAYER;
            slot.target = entry.strip;
            slot.payload = entry.player;
            ring.publish();
        }
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.SET_CLIPS;
        slot.target = entry.player;
        slot.payload = clips;
        ring.publish();
    }

    private StripEntry track(int id) {
        StripEntry entry = strip(id, "track");
        if (entry.strip.kind() != StripKind.TRACK) {
            throw new EngineException("strip " + id + " is a bus: only tracks record and monitor inputs");
        }
        return entry;
    }

    private static boolean hasInput(StripEntry entry) {
        for (int source : entry.inputSourceIds) {
            if (source != NO_NODE) {
                return true;
            }
        }
        return false;
    }

    private void locate(EngineCommand.Locate c) {
        if (c.position() < 0 || c.position() > MAX_SAMPLE_TIME) {
            throw new EngineException("transport position " + c.position() + ": must be 0.." + MAX_SAMPLE_TIME
                    + " samples");
        }
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.LOCATE;
        slot.argument = c.position();
        ring.publish();
    }

    private void setLoop(EngineCommand.SetLoop c) {
        if (c.loop() != null && c.loop().end() > MAX_SAMPLE_TIME) {
            throw new EngineException("loop end " + c.loop().end() + ": must be at most " + MAX_SAMPLE_TIME
                    + " samples");
        }
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.SET_LOOP;
        slot.payload = c.loop();
        ring.publish();
    }

    private void setLane(EngineCommand.SetLane c) {
        Parameter parameter = automatable(c.parameter());
        if (c.lane() != null) {
            String problem = c.lane().problem(parameter);
            if (problem != null) {
                throw new EngineException(parameter.scriptName() + " lane: " + problem);
            }
        }
        Automation.ClockedLane lane = c.lane() == null ? null : new Automation.ClockedLane(c.lane(), false);
        setLane(c.nodeId(), parameter, lane);
        refreshGains();
    }

    private void glide(EngineCommand.Glide c) {
        Parameter parameter = automatable(c.parameter());
        if (parameter == Parameter.MUTE) {
            throw new EngineException("mute switches: ramps apply to trim, fader, pan, balance and send level");
        }
        String problem = parameter.check(c.target());
        if (problem != null) {
            throw new EngineException(parameter.scriptName() + " " + Parameter.format(c.target()) + " " + problem);
        }
        if (c.samples() < 1 || c.samples() > MAX_SAMPLE_TIME) {
            throw new EngineException("ramp length " + c.samples() + " samples: must be 1.." + MAX_SAMPLE_TIME);
        }
        Automation.ClockedLane existing = lane(c.nodeId(), parameter);
        if (existing != null && !existing.engineClock()) {
            throw new EngineException(parameter.scriptName() + " follows its automation lane: turn the lane off to ramp it");
        }
        long start = commandTime != CommandRing.NOW ? commandTime : position;
        double from = existing != null ? existing.lane().valueAt(start) : currentValue(c.nodeId(), parameter);
        Interpolation interpolation = c.interpolation() == null ? Interpolation.DB : c.interpolation();
        AutomationLane lane = new AutomationLane(new long[]{start, start + c.samples()},
                new double[]{from, c.target()}, new Interpolation[]{interpolation, interpolation});
        setLane(c.nodeId(), parameter, new Automation.ClockedLane(lane, true));
        apply(new EngineCommand.SetParameter(c.nodeId(), parameter, c.target()));
        refreshGains();
    }

    /** The parameter if lanes can drive it, else a refusal. */
    private static Parameter automatable(Parameter parameter) {
        if (parameter == null) {
            throw new EngineException("parameter is missing");
        }
        return switch (parameter) {
            case TRIM, FADER, PAN, BALANCE, MUTE, SEND_LEVEL -> parameter;
            default -> throw new EngineException(parameter.scriptName()
                    + " cannot be automated: lanes drive trim, fader, pan, balance, mute and send level");
        };
    }

    private Automation.ClockedLane lane(int nodeId, Parameter parameter) {
        if (parameter == Parameter.SEND_LEVEL) {
            return send(nodeId).levelLane;
        }
        return stripFor(nodeId, parameter).lanes.get(parameter);
    }

    private void setLane(int nodeId, Parameter parameter, Automation.ClockedLane lane) {
        maintainBy(glideEnd(lane));
        if (parameter == Parameter.SEND_LEVEL) {
            send(nodeId).levelLane = lane;
        } else if (lane == null) {
            stripFor(nodeId, parameter).lanes.remove(parameter);
        } else {
            stripFor(nodeId, parameter).lanes.put(parameter, lane);
        }
    }

    private double currentValue(int nodeId, Parameter parameter) {
        if (parameter == Parameter.SEND_LEVEL) {
            return send(nodeId).levelDb;
        }
        StripEntry entry = stripFor(nodeId, parameter);
        return switch (parameter) {
            case TRIM -> entry.trimDb;
            case FADER -> entry.faderDb;
            case PAN -> entry.pan;
            case BALANCE -> entry.balance;
            default -> entry.mute ? 1 : 0;
        };
    }

    /** The strip a lane of {@code parameter} belongs to, refusing pan on wide strips and balance on mono ones. */
    private StripEntry stripFor(int nodeId, Parameter parameter) {
        StripEntry entry = strip(nodeId, "strip");
        boolean mono = entry.strip.channels() == 1;
        if (parameter == Parameter.PAN && !mono) {
            throw new EngineException("pan applies to mono strips; strip " + nodeId + " has "
                    + entry.strip.channels() + " channels: use balance");
        }
        if (parameter == Parameter.BALANCE && mono) {
            throw new EngineException("balance applies to stereo and wider strips; strip " + nodeId
                    + " is mono: use pan");
        }
        return entry;
    }

    private SendEntry send(int id) {
        SendEntry send = sendIndex.get(id);
        if (send == null) {
            throw new EngineException("send " + id + " does not exist");
        }
        return send;
    }

    private void createGenerator(EngineCommand.CreateGenerator c) {
        requireFreeId(c.id());
        GeneratorSpec spec = c.spec();
        if (spec == null || spec.type() == null) {
            throw new EngineException("generator type is missing: use sine, square, noise, impulse or silence");
        }
        double nyquist = sampleRate / 2.0;
        if ((spec.type() == GeneratorType.SINE || spec.type() == GeneratorType.SQUARE)
                && !(spec.frequency() > 0 && spec.frequency() < nyquist)) {
            throw new EngineException("generator frequency " + Parameter.format(spec.frequency())
                    + " Hz: must be above 0 and below " + Parameter.format(nyquist) + " Hz (half the sample rate)");
        }
        if (spec.type() != GeneratorType.SILENCE && !(spec.levelDb() == Double.NEGATIVE_INFINITY
                || (spec.levelDb() >= -144 && spec.levelDb() <= 0))) {
            throw new EngineException("generator level " + Parameter.format(spec.levelDb())
                    + " dBFS: must be -inf or -144..0 dBFS");
        }
        if (spec.impulseAt() < 0 || spec.impulseInterval() < 0 || spec.impulseAt() > MAX_SAMPLE_TIME
                || spec.impulseInterval() > MAX_SAMPLE_TIME) {
            throw new EngineException("impulse position " + spec.impulseAt() + " and interval "
                    + spec.impulseInterval() + ": must be 0.." + MAX_SAMPLE_TIME + " samples");
        }
        sources.put(c.id(), new Generator(c.id(), spec, sampleRate));
        publishPlan();
    }

    private void createFileSource(EngineCommand.CreateFileSource c) {
        requireFreeId(c.id());
        if (c.file() == null) {
            throw new EngineException("file source needs a file");
        }
        if (c.startSample() < 0) {
            throw new EngineException("file start " + c.startSample() + ": must be 0 or more samples");
        }
        AudioFile file;
        try {
            file = WavReader.read(c.file());
        } catch (IOException e) {
            throw new EngineException(e.getMessage());
        }
        if (file.sampleRate() != sampleRate) {
            throw new EngineException("file " + c.file() + " is at " + file.sampleRate()
                    + " Hz: the engine runs at " + sampleRate + " Hz (convert it first, e.g. with sox)");
        }
        sources.put(c.id(), new FileSource(c.id(), file, c.startSample(), c.loop()));
        publishPlan();
    }

    private void removeSource(EngineCommand.RemoveSource c) {
        Source source = sources.get(c.id());
        if (source == null || c.id() == CAPTURE_ID) {
            throw new EngineException(c.id() == CAPTURE_ID ? "the capture ports cannot be removed"
                    : "source " + c.id() + " does not exist");
        }
        for (StripEntry entry : strips.values()) {
            for (int channel = 0; channel < entry.inputSourceIds.length; channel++) {
                if (entry.inputSourceIds[channel] == c.id()) {
                    sendInput(entry, channel, null, 0);
                }
            }
        }
        sources.remove(c.id());
        publishPlan();
    }

    private void setInput(EngineCommand.SetInput c) {
        StripEntry entry = strip(c.trackId(), "track");
        if (entry.strip.kind() != StripKind.TRACK) {
            throw new EngineException("strip " + c.trackId() + " is a bus: only tracks take inputs");
        }
        if (c.channel() < 0 || c.channel() >= entry.strip.channels()) {
            throw new EngineException("input channel " + (c.channel() + 1) + ": track " + c.trackId()
                    + " has channels 1.." + entry.strip.channels());
        }
        Source source = null;
        if (c.sourceId() != NO_NODE) {
            source = sources.get(c.sourceId());
            if (source == null) {
                throw new EngineException("source " + c.sourceId() + " does not exist");
            }
            if (c.sourceChannel() < 0 || c.sourceChannel() >= source.channels()) {
                throw new EngineException("source channel " + (c.sourceChannel() + 1) + ": source "
                        + c.sourceId() + " has channels 1.." + source.channels());
            }
        }
        sendInput(entry, c.channel(), source, c.sourceChannel());
    }

    private void sendInput(StripEntry entry, int channel, Source source, int sourceChannel) {
        entry.inputSourceIds[channel] = source == null ? NO_NODE : source.id();
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.SET_INPUT;
        slot.target = entry.strip;
        slot.payload = source;
        slot.index = channel;
        slot.index2 = sourceChannel;
        ring.publish();
    }

    private void requireFreeId(int id) {
        if (id < FIRST_FREE_ID) {
            throw new EngineException("id " + id + ": ids from " + FIRST_FREE_ID + " up are free for use");
        }
        if (stripIndex.get(id) != null || sendIndex.get(id) != null || sources.containsKey(id)) {
            throw new EngineException("id " + id + " is already in use");
        }
    }

    private StripEntry strip(int id, String what) {
        StripEntry entry = stripIndex.get(id);
        if (entry == null || entry.removingUntil >= 0) {
            throw new EngineException(what + " " + id + " does not exist");
        }
        return entry;
    }

    private StripEntry bus(int id) {
        StripEntry entry = stripIndex.get(id);
        if (entry != null && entry.removingUntil >= 0) {
            entry = null;
        }
        if (entry == null || !entry.strip.kind().isBus()) {
            throw new EngineException((entry == null ? "bus " + id + " does not exist"
                    : "strip " + id + " is a track: outputs and sends go to buses or the master"));
        }
        return entry;
    }

    private void refuseLoop(StripEntry from, StripEntry to) {
        List<Integer> loop = Routing.loopThrough(from.strip.id(), to.strip.id(), this::feeds);
        if (!loop.isEmpty()) {
            throw new EngineException("routing " + from.strip.id() + " into " + to.strip.id()
                    + " would make a loop: " + String.join(" -> ", loop.stream().map(String::valueOf).toList()));
        }
    }

    /** The strips that {@code id} feeds, by output, send or a path still fading out. */
    private List<Integer> feeds(int id) {
        List<Integer> result = new ArrayList<>();
        StripEntry entry = stripIndex.get(id);
        if (entry != null && entry.outputId != NO_NODE) {
            result.add(entry.outputId);
        }
        if (entry != null) {
            for (Retired retired : entry.retiring) {
                int destination = retired.connection().destination().id();
                if (stripIndex.get(destination) != null && !result.contains(destination)) {
                    result.add(destination);
                }
            }
        }
        for (SendEntry send : sends.values()) {
            if (send.source.strip.id() == id) {
                result.add(send.destination.strip.id());
            }
        }
        return result;
    }

    private static String describe(StripKind kind) {
        return kind == StripKind.TRACK ? "track" : "bus";
    }

    /** Drops a removed send from the index and from its source's sends. */
    private void forgetSend(SendEntry send) {
        sendIndex.remove(send.id);
        send.source.sendsOut.remove(send);
    }

    private Connection newConnection(Strip source, Strip destination, boolean preFader) {
        return new Connection(source, destination, preFader, declickSamples);
    }

    /** Compiles the routing into a plan in dependency order and hands it to the audio side. */
    private void publishPlan() {
        List<StripEntry> order = dependencyOrder();
        Strip[] strips = new Strip[order.size()];
        Connection[][] outgoing = new Connection[order.size()][];
        List<Strip> summing = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            StripEntry entry = order.get(i);
            strips[i] = entry.strip;
            List<Connection> connections = new ArrayList<>();
            if (entry == master) {
                connections.add(masterOutput);
            } else if (entry.output != null) {
                connections.add(entry.output);
            }
            if (entry.directOut != null) {
                connections.add(entry.directOut.connection);
            }
            for (SendEntry send : sends.values()) {
                if (send.source == entry) {
                    connections.add(send.connection);
                }
            }
            for (Retired retired : entry.retiring) {
                connections.add(retired.connection());
            }
            outgoing[i] = connections.toArray(new Connection[0]);
            if (entry.strip.kind().isBus()) {
                summing.add(entry.strip);
            }
        }
        Strip[] ports = new Strip[directOuts.size()];
        int[][] portChannels = new int[directOuts.size()][];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = directOuts.get(i).port;
            portChannels[i] = directOuts.get(i).channels;
        }
        Plan next = new Plan(sources.values().toArray(new Source[0]), strips, outgoing,
                summing.toArray(new Strip[0]), playbackStrip, ports, portChannels);
        lastPlanOrder = next.order();
        soloStale = true;
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.SWAP_PLAN;
        slot.payload = next;
        ring.publish();
    }

    /** Strips ordered so that each comes after every strip that feeds it; ties keep creation order. */
    private List<StripEntry> dependencyOrder() {
        Map<Integer, Integer> pendingInputs = new HashMap<>();
        for (StripEntry entry : strips.values()) {
            pendingInputs.putIfAbsent(entry.strip.id(), 0);
            for (int fed : feeds(entry.strip.id())) {
                pendingInputs.merge(fed, 1, Integer::sum);
            }
        }
        List<StripEntry> order = new ArrayList<>();
        Deque<StripEntry> ready = new ArrayDeque<>();
        for (StripEntry entry : strips.values()) {
            if (pendingInputs.get(entry.strip.id()) == 0 && entry != master) {
                ready.add(entry);
            }
        }
        while (!ready.isEmpty()) {
            StripEntry entry = ready.poll();
            order.add(entry);
            for (int fed : feeds(entry.strip.id())) {
                if (pendingInputs.merge(fed, -1, Integer::sum) == 0 && fed != MASTER_ID) {
                    ready.add(stripIndex.get(fed));
                }
            }
        }
        order.add(master);
        return order;
    }

    /**
     * Turns the settings into gain targets and sends those that changed to the audio side; vectors driven by
     * automation go into a new {@link Automation} table instead.
     */
    private void refreshGains() {
        updateSoloFlags();
        List<Automation.Target> automated = new ArrayList<>();
        for (StripEntry entry : strips.values()) {
            float[] signs = new float[entry.strip.channels()];
            for (int c = 0; c < signs.length; c++) {
                signs[c] = entry.polarity[c] ? -1f : 1f;
            }
            if (entry.strip.kind() == StripKind.TRACK) {
                boolean hears = entry.monitoring.hearsInput(entry.armed, rolling, recordingTake != null);
                gainScratch[0] = hears ? 1f : 0f;
                gainScratch[1] = hears ? 0f : 1f;
                entry.monitorSent = rampIfChanged(entry.strip.monitor(), gainScratch, 2, entry.monitorSent, false);
            }
            Automation.ClockedLane trimLane = entry.lanes.get(Parameter.TRIM);
            if (trimLane != null) {
                automated.add(Automation.Target.trim(entry.strip.trimPolarity(), trimLane, signs));
                entry.trimPolaritySent = null;
            } else {
                sendTrim(entry);
            }
            Automation.ClockedLane faderLane = entry.lanes.get(Parameter.FADER);
            if (faderLane != null) {
                automated.add(Automation.Target.fader(entry.strip.fader(), faderLane));
                entry.faderSent = null;
            } else {
                sendFader(entry);
            }
            if (entry.output != null) {
                entry.outputSent = connectionGains(entry, entry.output, null, 1.0, Double.NaN,
                        passes(entry, stripIndex.get(entry.outputId)), entry.outputSent, automated);
            }
            if (entry.directOut != null) {
                directOutGains(entry, automated);
            }
        }
        for (SendEntry send : sends.values()) {
            send.sent = connectionGains(send.source, send.connection, send.levelLane, Decibels.toGain(send.levelDb),
                    send.pan, passes(send.source, send.destination), send.sent, automated);
        }
        masterOutputSent = connectionGains(master, masterOutput, null, 1.0, Double.NaN, !master.mute, masterOutputSent,
                automated);
        publishAutomation(automated);
    }

    /**
     * Sends the gains of a strip's direct out: channel to channel, closed by mute (or driven by the mute
     * lane, added to {@code automated}, which may be null when no lane drives the mute), never by solo; a new
     * direct out fades in.
     */
    private void directOutGains(StripEntry entry, List<Automation.Target> automated) {
        DirectOut out = entry.directOut;
        int channels = entry.strip.channels();
        Automation.ClockedLane muteLane = entry.lanes.get(Parameter.MUTE);
        if (muteLane != null) {
            automated.add(Automation.Target.matrix(out.connection.gains(), channels, channels, entry.panLaw, null, 1.0,
                    null, 0, muteLane, false, true));
            out.sent = null;
            return;
        }
        float[] gains = new float[channels * channels];
        GainMatrix.fill(gains, channels, channels, entry.panLaw, 0, 1.0, !entry.mute);
        out.sent = rampIfChanged(out.connection.gains(), gains, gains.length, out.sent, out.sent == null);
    }

    /**
     * Works out which strips are soloed, fed by a soloed strip, or feed one (the solo flags {@link #passes}
     * reads). They change only with solo settings and routing, which refresh every gain.
     */
    private void updateSoloFlags() {
        Set<Integer> soloed = new HashSet<>();
        for (StripEntry entry : strips.values()) {
            if (entry.solo && entry != master && entry.removingUntil < 0) {
                soloed.add(entry.strip.id());
            }
        }
        Set<Integer> downstream = reachable(soloed, this::feeds);
        Set<Integer> upstream = reachable(soloed, this::fedBy);
        for (StripEntry entry : strips.values()) {
            int id = entry.strip.id();
            entry.soloed = soloed.contains(id);
            entry.fedBySolo = downstream.contains(id);
            entry.feedsSolo = upstream.contains(id);
        }
        anySoloed = !soloed.isEmpty();
        soloStale = false;
    }

    /**
     * Sends the gains of the paths out of {@code entry} (its output and its sends) after a change of its pan,
     * balance, pan law or mute, which change nothing else. Every gain is refreshed instead when a lane drives
     * any of those paths, or when the routing changed after the solo flags were worked out.
     */
    private void refreshPaths(StripEntry entry) {
        boolean laneDriven = lanesDrivePaths(entry);
        for (int i = 0; i < entry.sendsOut.size() && !laneDriven; i++) {
            laneDriven = entry.sendsOut.get(i).levelLane != null;
        }
        if (laneDriven || soloStale) {
            refreshGains();
            return;
        }
        if (entry == master) {
            masterOutputSent = connectionGains(master, masterOutput, null, 1.0, Double.NaN, !master.mute,
                    masterOutputSent, null);
            return;
        }
        if (entry.output != null) {
            entry.outputSent = connectionGains(entry, entry.output, null, 1.0, Double.NaN,
                    passes(entry, stripIndex.get(entry.outputId)), entry.outputSent, null);
        }
        for (int i = 0; i < entry.sendsOut.size(); i++) {
            SendEntry send = entry.sendsOut.get(i);
            send.sent = connectionGains(entry, send.connection, null, Decibels.toGain(send.levelDb), send.pan,
                    passes(entry, send.destination), send.sent, null);
        }
        if (entry.directOut != null) {
            directOutGains(entry, null);
        }
    }

    /** Sends the gains of a send after a change of its level or pan; as {@link #refreshPaths}, or every gain. */
    private void refreshSend(SendEntry send) {
        if (send.levelLane != null || lanesDrivePaths(send.source) || soloStale) {
            refreshGains();
            return;
        }
        send.sent = connectionGains(send.source, send.connection, null, Decibels.toGain(send.levelDb), send.pan,
                passes(send.source, send.destination), send.sent, null);
    }

    /** Whether a lane drives the pan, balance or mute of the paths out of {@code entry}. */
    private static boolean lanesDrivePaths(StripEntry entry) {
        return entry.lanes.containsKey(Parameter.PAN) || entry.lanes.containsKey(Parameter.BALANCE)
                || entry.lanes.containsKey(Parameter.MUTE);
    }

    /** Sends the strip's trim with its polarity (a declicked ramp), unless that is what it has. */
    private void sendTrim(StripEntry entry) {
        float trim = (float) Decibels.toGain(entry.trimDb);
        int channels = entry.strip.channels();
        for (int c = 0; c < channels; c++) {
            gainScratch[c] = entry.polarity[c] ? -trim : trim;
        }
        entry.trimPolaritySent = rampIfChanged(entry.strip.trimPolarity(), gainScratch, channels,
                entry.trimPolaritySent, false);
    }

    /** Sends the strip's fader (a declicked ramp), unless that is what it has. */
    private void sendFader(StripEntry entry) {
        gainScratch[0] = (float) Decibels.toGain(entry.faderDb);
        entry.faderSent = rampIfChanged(entry.strip.fader(), gainScratch, 1, entry.faderSent, false);
    }

    /**
     * Sends the gains of a connection from {@code entry} (level {@code level}, pan or balance overridden by
     * {@code positionOverride} unless NaN, the solo gate {@code open}), or, when a lane drives any of them,
     * adds the connection to {@code automated} (which may be null only when no lane does). Returns what was
     * sent (null when automated).
     */
    private float[] connectionGains(StripEntry entry, Connection connection, Automation.ClockedLane levelLane,
                                    double level, double positionOverride, boolean open, float[] previous,
                                    List<Automation.Target> automated) {
        boolean mono = entry.strip.channels() == 1;
        double position = !Double.isNaN(positionOverride) ? positionOverride : mono ? entry.pan : entry.balance;
        Automation.ClockedLane positionLane = !Double.isNaN(positionOverride) ? null
                : entry.lanes.get(mono ? Parameter.PAN : Parameter.BALANCE);
        Automation.ClockedLane muteLane = entry.lanes.get(Parameter.MUTE);
        int destinationChannels = connection.destination().channels();
        if (levelLane != null || positionLane != null || muteLane != null) {
            boolean gate = muteLane == null ? open : openIgnoringMute(entry, connection, open);
            automated.add(Automation.Target.matrix(connection.gains(), entry.strip.channels(), destinationChannels,
                    entry.panLaw, levelLane, level, positionLane, position, muteLane, false, gate));
            return null;
        }
        GainMatrix.fill(gainScratch, entry.strip.channels(), destinationChannels, entry.panLaw, position, level, open);
        return rampIfChanged(connection.gains(), gainScratch, entry.strip.channels() * destinationChannels, previous,
                previous == null);
    }

    /** The solo gate of a path whose mute a lane drives: as {@link #passes}, with the strip unmuted. */
    private boolean openIgnoringMute(StripEntry entry, Connection connection, boolean open) {
        if (!entry.mute) {
            return open;
        }
        entry.mute = false;
        try {
            StripEntry to = connection.destination() == playbackStrip ? master
                    : stripIndex.get(connection.destination().id());
            return entry == master || passes(entry, to);
        } finally {
            entry.mute = true;
        }
    }

    /** Publishes the automation table if it differs from what the audio side plays. */
    private void publishAutomation(List<Automation.Target> automated) {
        if (automated.isEmpty() && automationSent.isEmpty()) {
            return;
        }
        automationSent = automated;
        CommandRing.Slot slot = claim();
        slot.kind = CommandRing.SWAP_AUTOMATION;
        slot.payload = automated.isEmpty() ? Automation.NONE : new Automation(automated.toArray(new Automation.Target[0]));
        ring.publish();
    }

    /**
     * Whether a path from {@code from} into {@code to} sounds. Mute closes it. While anything is soloed, it
     * stays open if {@code from} is soloed, fed by a soloed strip, solo-safe or the master, or if it leads
     * into a soloed strip or towards one (other than through the master); otherwise it is muted by solo.
     * Reads the solo flags as {@link #updateSoloFlags} left them.
     */
    private boolean passes(StripEntry from, StripEntry to) {
        if (from.mute) {
            return false;
        }
        if (!anySoloed) {
            return true;
        }
        if (from.soloed || from.fedBySolo || from.soloSafe || from == master) {
            return true;
        }
        return to != master && (to.soloed || to.feedsSolo);
    }

    private Set<Integer> reachable(Set<Integer> start, java.util.function.Function<Integer, List<Integer>> next) {
        Set<Integer> seen = new HashSet<>();
        Deque<Integer> queue = new ArrayDeque<>(start);
        while (!queue.isEmpty()) {
            for (int n : next.apply(queue.poll())) {
                if (seen.add(n)) {
                    queue.add(n);
                }
            }
        }
        return seen;
    }

    private List<Integer> fedBy(int id) {
        List<Integer> result = new ArrayList<>();
        for (StripEntry entry : strips.values()) {
            if (feeds(entry.strip.id()).contains(id)) {
                result.add(entry.strip.id());
            }
        }
        return result;
    }

    /**
     * Sends a ramp of {@code target} to the first {@code length} of {@code values} unless they equal
     * {@code previous} (what was sent before, or null): a declick, or with {@code crossfade} an equal-power fade
     * over the crossfade time (a path fading in). Returns what was sent, in {@code previous} when it has that
     * length.
     */
    private float[] rampIfChanged(SmoothedGains target, float[] values, int length, float[] previous,
                                  boolean crossfade) {
        if (previous != null && Arrays.equals(previous, 0, previous.length, values, 0, length)) {
            return previous;
        }
        CommandRing.Slot slot = claim();
        slot.kind = crossfade ? CommandRing.SHAPED_RAMP : CommandRing.RAMP;
        slot.target = target;
        slot.index = crossfadeSamples;
        slot.payload = SmoothedGains.Shape.EQUAL_POWER;
        System.arraycopy(values, 0, slot.values, 0, length);
        ring.publish();
        float[] sent = previous != null && previous.length == length ? previous : new float[length];
        System.arraycopy(values, 0, sent, 0, length);
        return sent;
    }

    /** A free ring slot; when the ring is full, waits for the audio thread or, if none runs, applies the queue. */
    private CommandRing.Slot claim() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALL_MILLISECONDS);
        while (true) {
            CommandRing.Slot slot = ring.claim();
            if (slot != null) {
                slot.time = commandTime;
                return slot;
            }
            if (!audioThreadRunning) {
                rtApplyCommands();
            } else if (System.nanoTime() > deadline) {
                throw new EngineException("the audio thread has taken no commands for " + STALL_MILLISECONDS
                        + " ms: it has stalled or stopped");
            } else {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
    }

    /** The control side's record of a strip. */
    private static final class StripEntry {
        final Strip strip;
        double trimDb;
        double faderDb;
        double pan;
        double balance;
        PanLaw panLaw = PanLaw.MINUS_3_DB;
        boolean[] polarity;
        boolean mute;
        boolean solo;
        boolean soloSafe;
        /** Solo flags, as {@link #updateSoloFlags} worked them out: soloed, fed by a soloed strip, feeding one. */
        boolean soloed;
        boolean fedBySolo;
        boolean feedsSolo;
        boolean armed;
        MonitorMode monitoring = MonitorMode.INPUT;
        int outputId;
        Connection output;
        final int[] inputSourceIds;
        float[] trimPolaritySent;
        float[] faderSent;
        float[] monitorSent;
        ClipPlayer player;
        float[] outputSent;
        final Map<Parameter, Automation.ClockedLane> lanes = new EnumMap<>(Parameter.class);
        final List<Retired> retiring = new ArrayList<>();
        /** The sends from this strip. */
        final List<SendEntry> sendsOut = new ArrayList<>();
        long removingUntil = -1;
        LoudnessTap loudness;
        DirectOut directOut;

        StripEntry(Strip strip) {
            this.strip = strip;
            this.polarity = new boolean[strip.channels()];
            this.inputSourceIds = new int[strip.channels()];
            Arrays.fill(inputSourceIds, NO_NODE);
        }
    }

    /**
     * A bus's direct out: the path from the bus into a buffer of its own, which the audio side adds onto the
     * playback channels {@code channels}; once turned off it plays on, fading, until engine time
     * {@code until} (-1 while on).
     */
    private static final class DirectOut {
        final int busId;
        final Strip port;
        final Connection connection;
        final int[] channels;
        float[] sent;
        long until = -1;

        DirectOut(int busId, Strip port, Connection connection, int[] channels) {
            this.busId = busId;
            this.port = port;
            this.connection = connection;
            this.channels = channels;
        }
    }

    /** A path fading out, kept in the plan until engine time {@code until}. */
    private record Retired(Connection connection, long until) {
    }

    /** The control side's record of a send. */
    private static final class SendEntry {
        final int id;
        final StripEntry source;
        final StripEntry destination;
        Connection connection;
        double levelDb;
        boolean preFader;
        double pan = Double.NaN;
        Automation.ClockedLane levelLane;
        float[] sent;

        SendEntry(int id, StripEntry source, StripEntry destination) {
            this.id = id;
            this.source = source;
            this.destination = destination;
        }
    }

    // ------------------------------------------------------------------ audio side

    /**
     * Processes {@code frames} frames: reads the interface's capture buffers and writes the playback buffers,
     * both from index 0: the master into the first two, each direct out into its own, silence into the rest
     * (a null buffer is skipped). Applies pending commands first. Never throws: a node that fails is bypassed
     * and any other failure outputs silence for the block; both are recorded in {@link #lastFailure()}.
     */
    @RealTime
    public void rtProcess(float[][] capture, float[][] playback, int frames) {
        rtProcess(capture, playback, 0, frames);
    }

    /** As {@link #rtProcess(float[][], float[][], int)}, with the buffers' frames starting at {@code offset}. */
    @RealTime
    public void rtProcess(float[][] capture, float[][] playback, int offset, int frames) {
        try {
            int done = 0;
            while (done < frames) {
                rtApplyCommands();
                int span = Math.min(frames - done, MAX_BLOCK);
                if (pendingCount > 0) {
                    span = (int) Math.min(span, pending[0].time - rtPosition);
                }
                if (!automation.isEmpty()) {
                    if (rtPosition >= automationSegmentEnd) {
                        automationSegmentEnd = rtPosition
                                + automation.rtStartSegment(transport.rtRolling(), transport.rtPosition(), rtPosition);
                    }
                    span = (int) Math.min(span, automationSegmentEnd - rtPosition);
                }
                span = Math.min(span, transport.rtFramesToWrap());
                context.position = rtPosition;
                context.rolling = transport.rtRolling();
                context.transportPosition = transport.rtPosition();
                context.loop = transport.rtLoop();
                context.capture = capture;
                context.offset = offset + done;
                plan.rtRun(context, span, faderGains, scratch, metering);
                if (context.failure != null) {
                    lastFailure = context.failure;
                    failures = failures + 1;
                    context.failure = null;
                }
                if (tap != null) {
                    tap.rtCapture(transport.rtRolling(), transport.rtPosition(), span);
                }
                float[][] out = playbackStrip.rtBuffer();
                for (int c = 0; c < playback.length; c++) {
                    if (playback[c] == null) {
                        continue;
                    }
                    if (c < out.length) {
                        System.arraycopy(out[c], 0, playback[c], offset + done, span);
                    } else {
                        Arrays.fill(playback[c], offset + done, offset + done + span, 0f);
                    }
                }
                plan.rtWriteDirectOuts(playback, offset + done, span);
                rtStarted = true;
                rtPosition += span;
                if (transport.rtAdvance(span, rtPosition)) {
                    automationSegmentEnd = rtPosition;
                }
                done += span;
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
     * they were sent), then what the ring holds, keeping commands due later aside until their sample.
     */
    @RealTime
    private void rtApplyCommands() {
        while (pendingCount > 0 && pending[0].time <= rtPosition) {
            CommandRing.Slot slot = rtPollPending();
            rtApply(slot);
            slot.target = null;
            slot.payload = null;
            spares[spareCount++] = slot;
        }
        for (CommandRing.Slot slot = ring.rtPeek(); slot != null; slot = ring.rtPeek()) {
            if (slot.time != CommandRing.NOW && slot.time > rtPosition) {
                if (spareCount == 0) {
                    return;
                }
                CommandRing.Slot spare = spares[--spareCount];
                spares[spareCount] = null;
                rtAddPending(ring.rtTake(spare));
                continue;
            }
            rtApply(slot);
            ring.rtPop();
        }
    }

    @RealTime
    private void rtApply(CommandRing.Slot slot) {
        switch (slot.kind) {
            case CommandRing.RAMP, CommandRing.SHAPED_RAMP -> {
                SmoothedGains gains = (SmoothedGains) slot.target;
                if (!rtStarted) {
                    gains.rtJump(slot.values);
                } else if (slot.kind == CommandRing.RAMP) {
                    gains.rtRampTo(slot.values);
                } else {
                    gains.rtRampTo(slot.values, slot.index, (SmoothedGains.Shape) slot.payload);
                }
            }
            case CommandRing.SWAP_PLAN -> plan = (Plan) slot.payload;
            case CommandRing.SET_INPUT -> ((Strip) slot.target).rtSetInput(slot.index, (Source) slot.payload,
                    slot.index2);
            case CommandRing.SET_PRE_FADER -> ((Connection) slot.target).rtSetPreFader(slot.flag);
            case CommandRing.SET_LOUDNESS -> ((Strip) slot.target).rtSetLoudness((LoudnessTap) slot.payload);
            case CommandRing.TRANSPORT -> {
                transport.rtSetRolling(slot.flag);
                automationSegmentEnd = rtPosition;
            }
            case CommandRing.LOCATE -> {
                transport.rtLocate(slot.argument);
                automationSegmentEnd = rtPosition;
            }
            case CommandRing.SET_LOOP -> {
                transport.rtSetLoop((LoopRange) slot.payload);
                automationSegmentEnd = rtPosition;
            }
            case CommandRing.SET_PLAYER -> ((Strip) slot.target).rtSetPlayer((ClipPlayer) slot.payload);
            case CommandRing.SET_CLIPS -> ((ClipPlayer) slot.target).rtSetClips((PlaybackClip[]) slot.payload);
            case CommandRing.START_TAKE -> {
                if (tap != null) {
                    tap.rtEnd();
                }
                tap = (TakeTap) slot.payload;
            }
            case CommandRing.STOP_TAKE -> {
                if (tap != null) {
                    tap.rtEnd();
                    tap = null;
                }
            }
            case CommandRing.SWAP_AUTOMATION -> {
                automation = (Automation) slot.payload;
                automationSegmentEnd = rtPosition;
            }
            default -> {
            }
        }
    }

    /** Adds a command due later to the heap of pending commands, ordered by time, then by arrival. */
    @RealTime
    private void rtAddPending(CommandRing.Slot slot) {
        slot.argument2 = pendingSequence++;
        int child = pendingCount++;
        while (child > 0) {
            int parent = (child - 1) >>> 1;
            if (!rtEarlier(slot, pending[parent])) {
                break;
            }
            pending[child] = pending[parent];
            child = parent;
        }
        pending[child] = slot;
    }

    /** Removes and returns the earliest pending command. */
    @RealTime
    private CommandRing.Slot rtPollPending() {
        CommandRing.Slot first = pending[0];
        CommandRing.Slot last = pending[--pendingCount];
        pending[pendingCount] = null;
        if (pendingCount > 0) {
            int parent = 0;
            while (true) {
                int child = 2 * parent + 1;
                if (child >= pendingCount) {
                    break;
                }
                if (child + 1 < pendingCount && rtEarlier(pending[child + 1], pending[child])) {
                    child++;
                }
                if (!rtEarlier(pending[child], last)) {
                    break;
                }
                pending[parent] = pending[child];
                parent = child;
            }
            pending[parent] = last;
        }
        return first;
    }

    @RealTime
    private static boolean rtEarlier(CommandRing.Slot a, CommandRing.Slot b) {
        return a.time < b.time || (a.time == b.time && a.argument2 < b.argument2);
    }
}
