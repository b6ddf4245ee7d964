package desk.session;

import desk.engine.AudioInterface;
import desk.engine.BuiltInInterface;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.EngineLink;
import desk.engine.GeneratorSpec;
import desk.engine.LoopRange;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.io.AudioFileInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The user's session: named tracks and buses, the master, sends and sources, over an engine. Every action
 * is checked here first (names, ranges, routing loops) and only then sent to the engine as commands, so a
 * refused action changes nothing. Names are unique among tracks and buses; "master" is the master's.
 * <p>
 * Removing a bus re-routes the strips whose output went to it to the master (so nothing falls silent
 * unseen) and removes the sends aimed at it, and its direct out's ports.
 * <p>
 * Time: the transport (play, stop, locate) runs on the engine's sample clock, and the {@link Tempo} turns
 * bars and beats into samples. Functions scheduled with {@link #at}, {@link #after} and {@link #every} run
 * ahead of their time when the control loop calls {@link #tick}; every change they make carries their exact
 * sample, so it lands on that sample. Transport changes made by hand take effect at the engine's present
 * sample. With a loop range on ({@link #loop(Long, Long, String)}, {@link #looping(boolean)}) the engine jumps back
 * from the loop end to the loop start on the exact sample; to scheduled functions each jump is a locate to
 * the loop start (one-off functions ahead of it still run when reached, repeating ones go on from its grid).
 * <p>
 * Recording ({@link #recorder()}): armed tracks record takes into the session folder; stopping the
 * transport ends a record pass, and the transport cannot be located while one is under way.
 * <p>
 * Threads: one control thread at a time (the scripts' thread); meters may be read from any thread.
 */
public final class Session {
    /** Longest time a script may give, in seconds: a day. */
    public static final double MAX_SECONDS = 86_400;
    /** Longest name a track or bus may have. */
    public static final int MAX_NAME_LENGTH = 64;
    private final EngineLink engine;
    private final AudioInterface audio;
    private final SessionPorts ports;
    private final Bus master;
    private final SessionStrips strips;
    private final SessionNodes nodes = new SessionNodes(this);
    private final SessionNodeParts nodeParts = new SessionNodeParts(this);
    /** The session whose scheduled functions' samples this one's changes carry: a node's, the main one. */
    private Session timeSource = this;
    private String nodeName;
    private final SessionSources sources = new SessionSources(this);
    private final List<Runnable> replays = new ArrayList<>();
    private final List<Runnable> turns = new ArrayList<>();
    private final List<SessionPart> parts = new ArrayList<>();
    private int nextId = NodeIds.FIRST_FREE_ID;
    private boolean metering = true;
    private final Tempo tempo;
    private final CallbackBudget callbackBudget = new CallbackBudget();
    private final Scheduler scheduler = new Scheduler(callbackBudget);
    private final SessionTransport transport;
    private final Expectations expectations = new Expectations();
    private final Recorder recorder = new Recorder(this);
    private final SessionAutosave autosave = new SessionAutosave(this);
    private final SessionHistory history = new SessionHistory(this);
    private final SessionScenes scenes = new SessionScenes(this);
    private double vuReference = -18;
    private final MeterWatches watches = new MeterWatches(callbackBudget);
    private final InvalidSampleReport invalidSamples = new InvalidSampleReport(this);
    /** The engine sample from which the offline control loop next reports invalid samples. */
    private long invalidReportSample;
    /** When (System.nanoTime) the live control loop last reported invalid samples. */
    private long invalidReportNanos = System.nanoTime();
    private volatile java.util.function.Consumer<String> notices = line -> { };

    /** A new, empty session over {@code engine}, whose capture ports are the built-in {@code system:capture_N}. */
    public Session(EngineLink engine) {
        this(engine, new BuiltInInterface("offline", engine.capturePorts(), engine.sampleRate(), 0, () -> 0));
    }

    /** A new, empty session over {@code engine}, playing through the ports of {@code audio}. */
    public Session(EngineLink engine, AudioInterface audio) {
        this.engine = engine;
        this.audio = audio;
        this.ports = new SessionPorts(this, audio);
        this.master = new Bus(this, NodeIds.MASTER_ID, "master", Bus.Kind.MASTER, 2, null);
        this.strips = new SessionStrips(this, audio, master);
        this.tempo = new Tempo(engine.sampleRate());
        this.transport = new SessionTransport(this, engine, scheduler);
        tempo.onChange(this::retimeInserts);
        engine.onReconnect(this::replay);
        history.reset();
    }

    /**
     * Sends the session's notices to {@code listener} from now on: one line each, for the user to read but not
     * a failure (a truncated file opened anyway, invalid samples that reached a track, a take stopped by a
     * lost engine and resumed after the reconnection). Until a listener is
     * set, notices are dropped. The listener is called on the session's control thread.
     */
    public void onNotice(java.util.function.Consumer<String> listener) {
        notices = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Runs {@code turn} at every turn of the control loop (live, every few milliseconds; offline, before each
     * block), before the scheduled functions: for state kept beside the session that follows the engine (the
     * MIDI reports). A failure becomes a notice. The control thread.
     */
    public void onTurn(Runnable turn) {
        turns.add(turn);
    }

    /**
     * Runs {@code extra} at the end of every replay into a fresh engine (after a lost engine reconnected), for
     * state kept beside the session (MIDI ports and mappings). The control thread.
     */
    public void onReplay(Runnable extra) {
        replays.add(extra);
    }

    /**
     * Saves {@code part} with the session from now on and makes it again when a session file is opened; a part
     * whose key is taken already is not attached (the first keeps it).
     */
    public void attach(SessionPart part) {
        if (parts.stream().noneMatch(kept -> kept.key().equals(part.key()))) {
            parts.add(part);
        }
    }

    /** The parts kept beside the session. */
    List<SessionPart> parts() {
        return parts;
    }

    /** Gives {@code line} to the notice listener; the control thread. */
    public void notice(String line) {
        notices.accept(line);
    }

    @Override
    public String toString() {
        return "Session at " + sampleRate() + " Hz: " + tracks().size() + " tracks, " + buses().size() + " buses";
    }

    /** The engine link. */
    public EngineLink link() {
        return engine;
    }

    /** The engine's sample rate, Hz. */
    public int sampleRate() {
        return engine.sampleRate();
    }

    /** The master bus. */
    public Bus master() {
        return master;
    }

    /** The track called {@code name}, created mono if it does not exist. */
    public Track track(String name) {
        Strip existing = strips.byName().get(name);
        if (existing instanceof Track track) {
            return track;
        }
        return track(name, 1);
    }

    /** The track called {@code name}, created with {@code channels} channels (1..8) if it does not exist. */
    public Track track(String name, int channels) {
        return strips.track(name, channels);
    }

    /** The bus called {@code name}, created as a stereo group bus if it does not exist. */
    public Bus bus(String name) {
        Strip existing = strips.byName().get(name);
        if (existing instanceof Bus bus) {
            return bus;
        }
        return bus(name, "group", 2);
    }

    /** The bus called {@code name}, created as {@code kind} ("group" or "aux") with 1 or 2 channels. */
    public Bus bus(String name, String kind, int channels) {
        return strips.bus(name, kind, channels);
    }

    /** The tracks, in the order they were made. */
    public List<Track> tracks() {
        return strips.tracks();
    }

    /**
     * The track {@code name} on node {@code node} (see {@link #node}), made with {@code channels} channels if it
     * does not exist there; null {@code node}: on the main engine, as {@link #track(String, int)}.
     */
    public Track track(String name, int channels, String node) {
        return node == null ? track(name, channels) : nodes.track(name, channels, node);
    }

    /**
     * The bus {@code name} on node {@code node}, made as {@link #bus(String, String, int)} makes one if it does
     * not exist there; null {@code node}: on the main engine.
     */
    public Bus bus(String name, String kind, int channels, String node) {
        return node == null ? bus(name, kind, channels) : nodes.bus(name, kind, channels, node);
    }

    /**
     * Joins the engine at {@code address} (host:port, {@code desk engine --listen} on a machine whose JACK
     * server netjack2 joins to this one's) as node {@code name}, or gives the node of that name joined before;
     * see {@link Node}. {@code token} and {@code fingerprint} are the engine's, as it printed them; {@code tls}
     * false only for an engine on a loopback address; {@code client} is its netjack2 client here (null: the
     * node's name).
     */
    public Node node(String name, String address, String token, String fingerprint, boolean tls, String client) {
        return nodes.join(name, address, token, fingerprint, tls, client);
    }

    /** The nodes joined so far. */
    public List<Node> nodes() {
        return nodes.all();
    }

    /** Lets go of the nodes: the main engine stops sharing its clock, their engines play on with the last state. */
    public void leaveNodes() {
        nodes.leaveAll();
    }

    /**
     * Makes this session node {@code nodeName}'s, whose changes carry the samples of {@code main}'s scheduled
     * functions.
     */
    void followTimeOf(Session main, String nodeName) {
        timeSource = main;
        this.nodeName = nodeName;
    }

    /** The main session's source {@code source} is this session's copy of (a node's), or the source itself. */
    Source originalSource(Source source) {
        return sources.original(source);
    }

    /**
     * {@code source} as this session can use it: itself when it is this session's or, for a node's session, the
     * main session's; otherwise a new source of this session that plays the same.
     */
    Source sourceLike(Source source) {
        if (sources().contains(source) || (timeSource != this && timeSource.sources().contains(source))) {
            return source;
        }
        return sources.like(source);
    }

    /** Starts the undo history afresh from the session as it is. */
    void restartHistory() {
        history.reset();
    }

    /** The node this session runs on, or null for the main session. */
    String nodeName() {
        return nodeName;
    }

    /** The nodes' parts of the session file: those of the joined nodes, and those waiting for theirs. */
    SessionNodeParts nodeParts() {
        return nodeParts;
    }

    /** The main session: this one, or for a node's session the session it is a node of. */
    Session mainSession() {
        return timeSource;
    }

    /** Where this session's strips run, in words: "the main engine" or "node NAME". */
    String engineName() {
        return nodeName == null ? "the main engine" : "node " + nodeName;
    }

    /** The tracks and buses by name (not the master). */
    Map<String, Strip> strips() {
        return strips.byName();
    }

    /** The group and aux buses, in the order they were made (the master is {@link #master()}). */
    public List<Bus> buses() {
        return strips.buses();
    }

    /** The track or bus called {@code name} ("master" for the master), or null. */
    public Strip find(String name) {
        if ("master".equals(name)) {
            return master;
        }
        Strip strip = strips.byName().get(name);
        return strip != null ? strip : nodes.find(name);
    }

    /** The sources made so far. */
    public List<Source> sources() {
        return sources.all();
    }

    /** The engine's clock: seconds of audio processed since it started. */
    public double seconds() {
        return (double) engine.position() / engine.sampleRate();
    }

    /** The tempo map (tempo and time signature) that turns musical time into samples. */
    public Tempo tempo() {
        return tempo;
    }

    /** The scheduled functions. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Where the transport stood when the engine was lost: as the engine said, else as last reported. */
    long positionAtLoss() {
        return transport.positionAtLoss();
    }

    /** How long one scheduled function or watch callback may run (session.callbackBudget). */
    public CallbackBudget callbackBudget() {
        return callbackBudget;
    }

    /**
     * Saves the session into {@code session.json} in its folder, atomically (the previous version kept as
     * {@code session.json.bak}); returns the file. Refused without a session folder.
     */
    public Path save() {
        Path folder = recorder.folder();
        if (folder == null) {
            throw new DeskException("session.save: the session has no folder: use session.saveAs(folder), or start"
                    + " Desk with --session DIR");
        }
        Path file = folder.resolve(SessionOpener.FILE);
        refreshPluginStates();
        try {
            AtomicFile.write(file, SessionDocument.of(this, folder), true);
        } catch (java.io.IOException e) {
            throw new DeskException("session.save: cannot write " + file + " (" + e.getMessage() + ")");
        }
        autosave.saved(folder);
        return file;
    }

    /**
     * Renders {@code seconds} offline into {@code folder} as stems: one file per strip of {@code strips} (after
     * its fader, or before it with {@code preFader}) and {@code master.wav}, all the same length and lined up
     * with the master, then {@code tail} (see {@link StemExport}); returns the files, the master first. Refused while an audio thread plays the session.
     */
    public List<Path> exportStems(Path folder, double seconds, List<Strip> strips, boolean preFader, Tail tail) {
        if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
            throw new DeskException("session.exportStems seconds " + describe(seconds) + ": must be above 0 and at most "
                    + describe(MAX_SECONDS));
        }
        return StemExport.export(this, folder, Math.round(seconds * sampleRate()), strips, preFader, tail);
    }

    /**
     * Renders {@code seconds} of the master offline into {@code file} as {@code spec} says (see
     * {@link MasterRender}), with scheduled functions running on their samples, then {@code tail}; returns what it
     * wrote and measured. Refused while an audio thread plays the session.
     */
    public desk.engine.delivery.DeliveryReport render(Path file, double seconds, desk.engine.delivery.DeliverySpec spec,
                                                      Tail tail) {
        if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
            throw new DeskException("session.render seconds " + describe(seconds) + ": must be above 0 and at most "
                    + describe(MAX_SECONDS));
        }
        return MasterRender.render(this, "session.render", file, Math.round(seconds * sampleRate()), RENDER_BLOCK,
                spec, tail, this::tick, (done, total) -> { });
    }

    /** Frames per block of a render from a script. */
    private static final int RENDER_BLOCK = 1024;

    /** Asks the engine for every plugin's state now, so that a document made next holds it (see {@link Insert#state}). */
    void refreshPluginStates() {
        for (Strip strip : strips.all()) {
            strip.inserts().forEach(Insert::refreshState);
        }
        master.inserts().forEach(Insert::refreshState);
    }

    /** Makes {@code folder} (if missing) the session folder, where takes go from now on, and saves there. */
    public Path saveAs(Path folder) {
        try {
            java.nio.file.Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new DeskException("session.saveAs: cannot make the folder " + folder + " (" + e.getMessage() + ")");
        }
        recorder.folder(folder);
        return save();
    }

    /**
     * Opens the session saved in {@code folder} into this session, which must have no tracks or buses yet (a
     * folder without a session file leaves it empty), and makes {@code folder} the session folder. Refused,
     * with nothing changed, if anything in the file is wrong; {@code missingMediaOffline} leaves out clips and
     * file sources whose files are missing instead, each with a notice.
     */
    public void open(Path folder, boolean missingMediaOffline) {
        open(folder, missingMediaOffline, false);
    }

    /**
     * As {@link #open(Path, boolean)}; with {@code recover}, opens the copy of the unsaved changes Desk kept
     * there ({@code session.autosave.json}) instead of the saved file, and the session stays unsaved.
     */
    public void open(Path folder, boolean missingMediaOffline, boolean recover) {
        SessionOpening.open(this, folder.toAbsolutePath().normalize(), missingMediaOffline, recover);
        try {
            java.nio.file.Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new DeskException("session folder " + folder + ": cannot be made (" + e.getMessage() + ")");
        }
        recorder.folder(folder);
        autosave.opened(recover);
        history.reset();
    }

    /**
     * Ends a change group for undo: REPL lines, scripts and scheduled functions each end one. Whatever changed
     * since the last one is undone and redone together.
     */
    public void checkpoint() {
        history.checkpoint();
    }

    /** Takes the last change group back (click-free while playing); returns what it changed, in words. */
    public String undo() {
        return history.undo();
    }

    /** Makes the last change group undone again; returns what it changed, in words. */
    public String redo() {
        return history.redo();
    }

    /** The change groups undo would take back, the latest last, in words. */
    public List<String> history() {
        return history.history();
    }

    /**
     * Stores the mixer as scene {@code name}: trim, fader, pan or balance, mute, send levels and insert
     * parameters ({@code only} some of those kinds, of {@code strips} only; null for all).
     */
    public void scene(String name, List<String> only, List<String> strips) {
        scenes.store(name, only, strips);
    }

    /**
     * Recalls scene {@code name} now ({@code at} null) or when the transport reaches {@code at}, on its exact
     * sample, moving levels, pans and parameters over {@code fadeSamples} (0: at once, declicked).
     */
    public void recall(String name, Object at, long fadeSamples) {
        scenes.recall(name, at, fadeSamples);
    }

    /** The scenes' names. */
    public List<String> scenes() {
        return scenes.names();
    }

    /** The scenes, for the session file and undo. */
    SessionScenes sceneStore() {
        return scenes;
    }

    /** Counts an edit that sends the engine nothing (a scene stored). */
    void edited() {
        autosave.edited();
    }

    /** Edits so far, counted for saving and undo. */
    long edits() {
        return autosave.edits();
    }

    /** Whether there are edits since the session was last saved or opened (or it was recovered and not saved). */
    public boolean unsaved() {
        return autosave.unsaved();
    }

    /** Waits until the copy of the unsaved changes asked for so far is on disk. */
    public void flushAutosave() {
        autosave.flush();
    }

    /**
     * Leaves the session's state with an engine that outlives the desk (an engine on the network) now, as the
     * control loop does a quarter of a second after a change: for a desk about to let go. Nothing for the others.
     */
    public void leaveWithEngine() {
        if (engine.keepsSession() && engine.connected()) {
            engine.keepSession(KeptSessions.of(this));
        }
    }

    /** The recording: session folder, arming, punch range, record passes and takes. */
    public Recorder recorder() {
        return recorder;
    }

    /** The results of the {@code expect} checks made so far. */
    public Expectations expectations() {
        return expectations;
    }

    // --------------------------------------------------------- transport and scheduling (SessionTransport)

    /** True while the transport rolls (as of the present sample, or of the scheduled function running). */
    public boolean transportRolling() {
        return transport.transportRolling();
    }

    /** The transport position in samples, now (or at the sample of the scheduled function running). */
    public long transportSample() {
        return transport.transportSample();
    }

    /** The transport position in seconds. */
    public double transportSeconds() {
        return transport.transportSeconds();
    }

    /** Starts the transport where it is; changes nothing if it already rolls. */
    public void play() {
        transport.play();
    }

    /** Stops the transport where it is, ending a record pass; changes nothing if it is stopped. */
    public void stop() {
        transport.stop();
    }

    /**
     * Moves the transport to {@code time}: seconds, "bar:beat:tick", "next bar" and the like (see
     * {@link Tempo#position}); one-off functions scheduled before it are dropped and repeating ones move on
     * to their next time from there.
     */
    public void locate(Object time) {
        transport.locate(time);
    }

    /** The loop start, transport samples, or null when none is set. */
    public Long loopStart() {
        return transport.loopStart();
    }

    /** The loop end, transport samples, or null when none is set. */
    public Long loopEnd() {
        return transport.loopEnd();
    }

    /** Whether the transport goes round the loop range. */
    public boolean looping() {
        return transport.looping();
    }

    /** The loop range the transport goes round now, or null. */
    public LoopRange activeLoop() {
        return transport.activeLoop();
    }

    /**
     * Sets the loop range (either end null: no range, which turns looping off); the end must lie after the
     * start. While looping the engine takes the new range at once. Refused while a record pass is under way;
     * {@code label} names what was set in a refusal.
     */
    public void loop(Long start, Long end, String label) {
        transport.loop(start, end, label);
    }

    /** Turns looping on (the loop range must be set) or off. Refused while a record pass is under way. */
    public void looping(boolean on) {
        transport.looping(on);
    }

    /** Runs {@code action} once when the transport reaches {@code time} (a position, see {@link Tempo#position}). */
    public Scheduler.Task at(Object time, Runnable action) {
        return transport.at(time, action);
    }

    /** Runs {@code action} once, {@code duration} (seconds or musical) after now on the transport. */
    public Scheduler.Task after(Object duration, Runnable action) {
        return transport.after(duration, action);
    }

    /**
     * Runs {@code action} every {@code interval} (seconds or musical, above 0) on the transport's grid of that
     * interval: first at the first grid time at or after now.
     */
    public Scheduler.Task every(Object interval, Runnable action) {
        return transport.every(interval, action);
    }

    /** Tells every strip the transport started or stopped. */
    void transportChanged(boolean rolling) {
        master.transportChanged(rolling);
        for (Strip strip : strips.all()) {
            strip.transportChanged(rolling);
        }
    }

    /**
     * The control loop's turn, on the control thread: runs every scheduled function due before the transport
     * reaches engine sample {@code horizon}, each with its changes stamped with its exact sample (none while
     * the transport is stopped), then, once per second of audio, gives a notice for each track that invalid
     * (NaN or infinite) samples reached since the last one, then calls back the meter watches that crossed
     * their thresholds. Live it is called every few milliseconds with a horizon a little ahead of the audio;
     * offline, before each block with the block's end. Problems the recorder reported since the last call are
     * thrown as one DeskException after that. Each turn also notes where the transport is, which is where it
     * resumes should the engine be lost without saying so.
     */
    public void tick(long horizon) {
        boolean reportInvalid = horizon >= invalidReportSample;
        if (reportInvalid) {
            invalidReportSample = horizon + sampleRate();
        }
        tick(() -> horizon, reportInvalid);
    }

    /**
     * The live control loop's turn: as {@link #tick}, with the horizon {@code lookaheadSamples} past the
     * engine's present, which is asked for only when functions are scheduled; invalid samples are reported
     * once per second of the wall clock.
     */
    public void tickAhead(long lookaheadSamples) {
        long now = System.nanoTime();
        boolean reportInvalid = now - invalidReportNanos >= 1_000_000_000L;
        if (reportInvalid) {
            invalidReportNanos = now;
        }
        tick(() -> engine.position() + lookaheadSamples, reportInvalid);
    }

    /**
     * The turn itself; {@code reportInvalid} (once a second: of audio offline, of the wall clock live) also
     * gives the notices of invalid samples that reached the tracks ({@link InvalidSampleReport}).
     */
    private void tick(java.util.function.LongSupplier horizon, boolean reportInvalid) {
        recorder.watchLink(engine.connected() || engine.keepsSession());
        engine.maintain();
        if (engine.connected()) {
            transport.transportState();
            for (Runnable turn : turns) {
                try {
                    turn.run();
                } catch (RuntimeException e) {
                    notice(e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
        }
        try {
            if (!scheduler.isEmpty()) {
                transport.runScheduled(horizon.getAsLong());
            }
        } finally {
            if (reportInvalid) {
                invalidSamples.report();
            }
            pollMeterWatches();
        }
        recorder.report();
        autosave.tick();
    }

    /** The engine sample changes apply at: the scheduled function's, or the present one. */
    long now() {
        return transport.now();
    }

    /** Whether the strips' meters are measured. */
    public boolean metering() {
        return metering;
    }

    /** Turns the strips' meters on or off (off saves their CPU; readings then stand still). */
    public void metering(boolean on) {
        execute(new EngineCommand.SetMetering(on));
        metering = on;
    }

    /** The level that reads 0 VU, dBFS (a sine of that peak level). */
    public double vuReference() {
        return vuReference;
    }

    /** Sets the level that reads 0 VU: -40..0 dBFS (default -18). */
    public void vuReference(double dbfs) {
        if (!(dbfs >= -40 && dbfs <= 0)) {
            throw new DeskException("session.vuReference " + Parameter.format(dbfs) + ": must be -40..0 dBFS");
        }
        vuReference = dbfs;
    }

    /** Clears every strip's meters: peaks, clip counts, averages, loudness and true peak. */
    public void resetMeters() {
        execute(new EngineCommand.ResetMeters(NodeIds.NO_NODE));
    }

    /**
     * The gain-staging assistant: every track, bus and the master against the targets of {@code stage}
     * ("tracking", "mixing" or "mastering"), with the problems it finds; see {@link GainReport}.
     */
    public GainReport gainReport(String stage) {
        return GainReport.of(this, GainReport.Stage.ofScriptName(stage));
    }

    /**
     * Call on the control (script) thread; invokes callbacks for crossings since the last poll (see
     * {@link MeterWatches#poll}).
     */
    public void pollMeterWatches() {
        watches.poll();
    }

    /** The watches that are active, in the order they were made. */
    public List<MeterWatch> meterWatches() {
        return watches.active();
    }

    MeterWatch watch(MeterSnapshot meter, MeterQuantity quantity, double threshold, boolean above,
                     java.util.function.DoubleConsumer callback) {
        return watches.add(meter, quantity, threshold, above, callback);
    }

    /** The ports the master and buses' direct outs can feed, by name (playback ports first). */
    public List<String> outputs() {
        return audio.outputs();
    }

    /** The ports tracks can take input from, by name (capture ports first). */
    public List<String> inputs() {
        return audio.inputs();
    }

    /** The audio interface the session plays through: its ports, latency and xruns. */
    public AudioInterface audio() {
        return audio;
    }

    /** Frames per period of the audio interface (0 offline). */
    public int bufferSize() {
        return audio.latency().bufferFrames();
    }

    /** The interface's latency figures now. */
    public AudioInterface.Latency latency() {
        return audio.latency();
    }

    /** Xruns counted since the engine started. */
    public long xruns() {
        return audio.xruns();
    }

    /**
     * A test-signal generator. {@code type} is "sine", "square", "noise", "impulse" or "silence"; options:
     * {@code freq} (Hz, sine and square; default 1000), {@code level} (dBFS: peak, or RMS for noise; default
     * -20), {@code color} ("white" or "pink", noise), {@code seed} (noise; default 1), {@code at} and
     * {@code every} (impulse: seconds of the first impulse and between impulses; default 0 and once).
     */
    public Source generator(String type, Map<String, ?> options) {
        return sources.generator(GeneratorOptions.spec(type, options, now(), sampleRate()));
    }

    /**
     * A WAV file as a source, playing from now (the engine's present sample), once or looped. A file whose
     * data chunk is cut short is refused unless {@code allowTruncated}; then it plays the frames that are
     * there, and a notice says so.
     */
    public Source file(Path path, boolean loop, boolean allowTruncated) {
        return sources.file(path, loop, allowTruncated, now());
    }

    /** The session's sources, for making, taking out and checking them. */
    SessionSources sourceStore() {
        return sources;
    }

    /** {@code source} as this session has it (see {@link SessionSources#own}). */
    Source own(Source source, String action) {
        return sources.own(source, action, timeSource.sources);
    }

    /** After {@code label} opened {@code file} with {@code info}: a notice if the file is truncated. */
    void noticeIfTruncated(String label, Path file, AudioFileInfo info) {
        String notice = AudioFiles.truncationNotice(label, file, info);
        if (notice != null) {
            notice(notice);
        }
    }

    /** A value as messages show it: text in quotes, numbers as users write them ("-3", "-inf", "0.5"). */
    static String describe(Object value) {
        if (value instanceof Number number) {
            return Parameter.format(number.doubleValue());
        }
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }

    /**
     * Rebuilds the session in a fresh engine, which the link has just connected to after losing the last one:
     * the state, not the history. Sources, strips (with their ports) and their settings, routing, sends,
     * inputs, lanes, clips and meters are sent as they are now; the transport resumes where it was last
     * reported, rolling if it rolled, from an engine sample a tenth of a second ahead (so the session knows the
     * exact sample it starts on), and the scheduled functions go on from there, so the next one lands on its
     * beat and none that already ran runs again. A take that was recording goes on in new files from the
     * resumed sample (see {@link Recorder#resumeAfterLoss}).
     */
    private void replay() {
        PluginFailure.takeOut(this, engine.lostInsideInsert());
        transport.resume(() -> {
            if (!metering) {
                execute(new EngineCommand.SetMetering(false));
            }
            for (Source source : sources.all()) {
                execute(source.creation());
            }
            for (Strip strip : strips.all()) {
                strip.replayCreation();
            }
            master.replaySettings();
            for (Strip strip : strips.all()) {
                strip.replaySettings();
            }
        });
        for (Runnable extra : replays) {
            extra.run();
        }
    }

    /** Makes a track (with its ports) or a bus in a fresh engine, as {@link #track} and {@link #bus} did. */
    void replayCreation(Strip strip) {
        strips.replayCreation(strip);
    }

    // ------------------------------------------------------------------ package-private plumbing

    int newId() {
        return nextId++;
    }

    /** The session's side of the audio interface: ports, connections and port checks. */
    SessionPorts ports() {
        return ports;
    }

    /** The id the next node made will have. */
    int peekNextId() {
        return nextId;
    }

    /** Makes ids below {@code next} taken (by the session an engine kept before this one took it up). */
    void reserveIds(int next) {
        nextId = Math.max(nextId, next);
    }

    /**
     * Takes up the session an engine on the network kept when the desk before let go of it (see
     * {@link EngineLink#keptSession}): checked whole first, then built here, with the engine playing on.
     * The session must be empty; it stays unsaved.
     */
    public void takeUp(desk.engine.KeptSession kept) {
        KeptSessions.takeUp(this, kept);
        history.reset();
    }

    /**
     * Sends one command, stamped with the scheduled function's sample while one runs; an engine refusal
     * (which the checks here should have prevented) becomes a DeskException. Public for state kept beside the
     * session (MIDI); the control thread.
     */
    public void execute(EngineCommand command) {
        autosave.sent(command);
        if (timeSource != this) {
            timeSource.autosave.sent(command);
        }
        try {
            long stamp = timeSource.transport.stamp();
            engine.execute(stamp >= 0 ? new EngineCommand.At(stamp, command) : command);
        } catch (EngineException e) {
            throw new DeskException(e.getMessage());
        }
        nodes.mirror(command);
    }

    void checkOwn(Strip strip, String action) {
        if (strip == null) {
            throw new DeskException(action + ": needs a bus, got null");
        }
        if (strip.session != this && !strip.removed && (strip.session.timeSource == timeSource)) {
            throw new DeskException(action + ": " + strip.name() + " runs on " + strip.session.engineName()
                    + " and this on " + engineName() + ": outputs and sends stay on one engine (a node's mix"
                    + " reaches the main one through its return track)");
        }
        if (strip.session != this || strip.removed) {
            throw new DeskException(action + ": " + strip.name() + (strip.removed ? " was removed" : " belongs to another session"));
        }
    }

    void rename(Strip strip, String newName) {
        strips.rename(strip, newName);
        edited();
    }

    /** See {@link SessionStrips#madeAgain}. */
    void madeAgain(Strip made) {
        strips.madeAgain(made);
    }

    /** What the inserts delay the master by, samples: the session's processing latency. */
    public int insertLatency() {
        return link().stripLatency(NodeIds.MASTER_ID);
    }

    /** Moves every insert time synced to a note value to the new tempo, on this engine and the nodes. */
    private void retimeInserts() {
        master.inserts().forEach(Insert::retime);
        for (Strip strip : strips.all()) {
            strip.inserts().forEach(Insert::retime);
        }
        nodes.all().forEach(node -> node.session().tempo().bpm(tempo.bpm()));
    }

    void remove(Strip strip) {
        strips.remove(strip);
    }
}
