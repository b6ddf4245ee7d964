package desk.session;

import desk.engine.EngineCommand;
import desk.engine.DiskState;
import desk.engine.LoopRange;
import desk.engine.io.AudioFileInfo;
import desk.engine.io.SampleFormat;
import desk.engine.io.Truncation;
import desk.engine.io.WavReader;
import desk.engine.record.TakeFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The session's recording: the session folder, exclusive arm, the punch range, the take format and buffer,
 * and record passes. {@link #record()} starts the transport and, from the punch-in point if one is set
 * (else at once), records every armed track into a new file of the folder's {@code takes/}
 * ("takes/Vox-001.wav", numbered on from the takes already there, never over one), until the punch-out
 * point or {@link Session#stop()}. Every start and stop lands on its exact sample. Once a take's files are
 * closed, each is placed as a clip on its track at the take's position. Problems the engine's disk side
 * reports (a disk too slow, a full disk, a clip file that cannot be read) come out of {@link Session#tick}
 * as one line each.
 * <p>
 * A pass of the main session records the armed tracks of its nodes ({@link Node}) too: each node's recorder
 * takes its own tracks on its own engine, into the takes folder at the same path on the node's machine, at the
 * same timeline samples (the node's engine plays the main one's timeline), and places its clips on its tracks.
 * <p>
 * Threads: the session's control thread.
 */
public final class Recorder {
    /** The folder, inside the session folder, that holds the takes. */
    public static final String TAKES = "takes";
    private static final Pattern TAKE_NAME = Pattern.compile("(.+)-(\\d{3,})\\.wav");
    private static final long FINISH_MILLISECONDS = 30_000;
    /**
     * How long before a punch point its take starts or stops being prepared (files made on every engine, the
     * nodes' over the network), so that it lands on its sample there too; none while a loop could jump back.
     */
    private static final double PUNCH_LEAD_SECONDS = 0.25;

    private final Session session;
    private Path folder;
    private boolean exclusiveArm;
    private Long punchIn;
    private Long punchOut;
    private SampleFormat format = SampleFormat.PCM_24;
    private double bufferSeconds = 5;
    private boolean takeRunning;
    private Scheduler.Task punchInTask;
    private Scheduler.Task punchOutTask;
    private int problemsSeen;
    private int placed;
    private final Map<Path, LoopRange> takeLoops = new HashMap<>();
    /** The tracks and files of the take recording now, in the engine's hands. */
    private List<EngineCommand.TakeTrack> currentTake = List.of();
    /** Whether this session's own engine records a take now (a pass may record only on nodes). */
    private boolean ownTake;
    /** The latency the take recording now is placed by (null: the engine's own). */
    private Long takeLatency;
    /** When the engine was lost while a take recorded (System.nanoTime), or -1. */
    private long lostNanos = -1;

    Recorder(Session session) {
        this.session = session;
    }

    /** The session folder (takes go to its {@code takes/}), or null when there is none. */
    public Path folder() {
        return folder;
    }

    /** Sets the session folder; it must exist. */
    public void folder(Path folder) {
        if (folder != null && !Files.isDirectory(folder)) {
            throw new DeskException("session folder " + folder + " does not exist");
        }
        this.folder = folder == null ? null : folder.toAbsolutePath().normalize();
    }

    /** Whether arming a track disarms the others. */
    public boolean exclusiveArm() {
        return exclusiveArm;
    }

    /** Sets whether arming a track disarms the others. */
    public void exclusiveArm(boolean on) {
        if (on != exclusiveArm) {
            exclusiveArm = on;
            session.edited();
        }
    }

    /** The punch-in point, transport samples, or null (record from the start of the pass). */
    public Long punchIn() {
        return punchIn;
    }

    /** The punch-out point, transport samples, or null (record until stopped). */
    public Long punchOut() {
        return punchOut;
    }

    /** Sets the punch-in point (null: none); it must lie before the punch-out point. */
    public void punchIn(Long sample) {
        if (sample != null && punchOut != null && sample >= punchOut) {
            throw new DeskException("session.punchIn " + seconds(sample) + ": must be before punchOut ("
                    + seconds(punchOut) + ")");
        }
        refuseWhileRecording("session.punchIn");
        if (!java.util.Objects.equals(sample, punchIn)) {
            punchIn = sample;
            session.edited();
        }
    }

    /** Sets the punch-out point (null: none); it must lie after the punch-in point. */
    public void punchOut(Long sample) {
        if (sample != null && punchIn != null && sample <= punchIn) {
            throw new DeskException("session.punchOut " + seconds(sample) + ": must be after punchIn ("
                    + seconds(punchIn) + ")");
        }
        refuseWhileRecording("session.punchOut");
        if (!java.util.Objects.equals(sample, punchOut)) {
            punchOut = sample;
            session.edited();
        }
    }

    /** The take format: "24" (24-bit PCM, the default) or "32f" (32-bit float). */
    public String format() {
        return format == SampleFormat.PCM_24 ? "24" : "32f";
    }

    /** Sets the take format: "24" or "32f". */
    public void format(String name) {
        SampleFormat chosen = switch (name == null ? "" : name.strip().toLowerCase(Locale.ROOT)) {
            case "24" -> SampleFormat.PCM_24;
            case "32f", "float" -> SampleFormat.FLOAT_32;
            default -> throw new DeskException("session.recordFormat " + Session.describe(name)
                    + ": must be \"24\" (24-bit PCM) or \"32f\" (32-bit float)");
        };
        if (chosen != format) {
            format = chosen;
            session.edited();
        }
    }

    /** Seconds of audio each armed track's recording buffer holds. */
    public double bufferSeconds() {
        return bufferSeconds;
    }

    /** Sets the seconds each track's recording buffer holds, 1..60 (default 5). */
    public void bufferSeconds(double seconds) {
        if (!(seconds >= 1 && seconds <= 60)) {
            throw new DeskException("session.recordBuffer " + desk.engine.Parameter.format(seconds)
                    + ": must be 1..60 seconds");
        }
        if (seconds != bufferSeconds) {
            bufferSeconds = seconds;
            session.edited();
        }
    }

    /** True while a take records or a pass waits for its punch-in point. */
    public boolean recording() {
        return takeRunning || (punchInTask != null && !punchInTask.done());
    }

    /**
     * Starts a record pass: checks it can record, then starts the transport and records every armed track,
     * from the punch-in point if one lies ahead, until the punch-out point or a stop. Does nothing if a pass
     * is under way.
     */
    public void record() {
        String label = "session.record";
        if (recording()) {
            return;
        }
        if (folder == null) {
            throw new DeskException(label + ": there is no session folder to keep takes in: start desk with --session DIR");
        }
        List<Track> armed = armedEverywhere();
        if (armed.isEmpty()) {
            throw new DeskException(label + ": no track is armed: arm one first, e.g. vox.armed = true");
        }
        for (Track track : armed) {
            if (track.input().stream().allMatch(Objects::isNull)) {
                throw new DeskException(label + ": " + track.name() + " is armed but has no input: set "
                        + track.name() + ".input first");
            }
        }
        long now = session.transportSample();
        if (punchOut != null && now >= punchOut) {
            throw new DeskException(label + ": the transport (" + seconds(now) + ") is at or past punchOut ("
                    + seconds(punchOut) + "): locate before it");
        }
        try {
            Files.createDirectories(folder.resolve(TAKES));
        } catch (IOException e) {
            throw new DeskException(label + ": cannot make " + folder.resolve(TAKES) + ": " + e.getMessage());
        }
        long lead = session.activeLoop() == null ? Math.round(PUNCH_LEAD_SECONDS * session.sampleRate()) : 0;
        if (punchIn != null && now < punchIn) {
            punchInTask = session.scheduler().at(punchIn, lead, this::startTake, "punch in");
        } else {
            startTake();
        }
        if (punchOut != null) {
            punchOutTask = session.scheduler().at(punchOut, lead, this::stopTake, "punch out");
        }
        session.play();
    }

    /**
     * The takes in the session folder, by file name; empty without a folder. A take cut short (its data chunk
     * says more than the file holds) is listed with the frames it holds.
     */
    public List<Take> takes() {
        if (folder == null || !Files.isDirectory(folder.resolve(TAKES))) {
            return List.of();
        }
        List<Take> takes = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder.resolve(TAKES))) {
            for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                Matcher name = TAKE_NAME.matcher(file.getFileName().toString());
                if (!name.matches()) {
                    continue;
                }
                try {
                    AudioFileInfo info = WavReader.probe(file, Truncation.ALLOW);
                    takes.add(new Take(name.group(1), file, TAKES + "/" + file.getFileName(),
                            TakeFile.timeReference(file), info.frames(), info.channels(), info.sampleRate()));
                } catch (IOException unreadable) {
                    // a file that is not a readable WAV is not a take
                }
            }
        } catch (IOException e) {
            throw new DeskException("session.takes: cannot list " + folder.resolve(TAKES) + ": " + e.getMessage());
        }
        return takes;
    }

    /** Seconds of clip playback played as silence because the disk reader was not there yet. */
    public double playbackMissed() {
        return (double) session.link().disk().playbackFramesMissed() / session.sampleRate();
    }

    /** The takes recorded on {@code track}. */
    public List<Take> takes(Track track) {
        String name = fileName(track.name());
        return takes().stream().filter(take -> take.track().equals(name)).toList();
    }

    /** Ends the pass under way, if any: a punch-in not reached is dropped, a take records its last frame now. */
    void stopPass() {
        if (punchInTask != null) {
            punchInTask.cancel();
            punchInTask = null;
        }
        if (punchOutTask != null) {
            punchOutTask.cancel();
            punchOutTask = null;
        }
        stopTake();
    }

    /**
     * Ends the pass under way and waits until its files are closed: the end of a run. Problems not yet
     * reported come out as a DeskException.
     */
    public void finish() {
        stopPass();
        List<Recorder> recorders = everyRecorder();
        long deadline = System.nanoTime() + FINISH_MILLISECONDS * 1_000_000;
        while (recorders.stream().anyMatch(recorder -> recorder.session.link().disk().recording())
                && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        each(recorders.reversed(), Recorder::report);
    }

    /**
     * Places finished takes as clips, then throws the disk side's new problems as one DeskException; a take
     * the engine ended on its own is stopped.
     */
    void report() {
        DiskState state = session.link().disk();
        placeFinishedTakes(state.finished());
        if (state.problems().size() <= problemsSeen) {
            return;
        }
        List<String> fresh = state.problems().subList(problemsSeen, state.problems().size());
        problemsSeen = state.problems().size();
        if (ownTake && !state.recording()) {
            stopPass();
        }
        throw new DeskException(String.join("; ", fresh));
    }

    /**
     * Places each take finished since the last call as a clip on its track, at the take's position; a take
     * recorded round a loop gets the clip of its last complete pass (see {@link TakeClips#lastPass}).
     */
    private void placeFinishedTakes(List<desk.engine.record.Take.Result> finished) {
        while (placed < finished.size()) {
            desk.engine.record.Take.Result take = finished.get(placed++);
            LoopRange loop = takeLoops.remove(take.file());
            long[] clip = TakeClips.lastPass(take, loop);
            for (Track track : session.tracks()) {
                if (track.id == take.trackId() && clip[1] > 0) {
                    track.clip(take.file(), TAKES + "/" + take.file().getFileName(), false, clip[0], clip[1], clip[2],
                            0, 0, 0);
                }
                if (track.id == take.trackId() && (take.filled() > 0 || take.leftOut() > 0)) {
                    session.mainSession().notice(TakeClips.leapNotice(session, track, take));
                }
            }
        }
    }

    /** Arms or disarms {@code track} with exclusive arm applied. */
    void arm(Track track, boolean armed) {
        Recorder main = session.mainSession().recorder();
        if (armed && main.exclusiveArm) {
            for (Track other : main.armedEverywhere()) {
                if (other != track) {
                    other.armedBySession(false);
                }
            }
        }
        track.armedBySession(armed);
    }

    void refuseWhileRecording(String label) {
        if (recording()) {
            throw new DeskException(label + ": a record pass is under way: stop first");
        }
    }

    /** Starts the pass's take: this session's armed tracks and each node's, each on its own engine. */
    private void startTake() {
        if (armedEverywhere().isEmpty()) {
            throw new DeskException("session.record: no track is armed any more at the punch-in point");
        }
        LoopRange loop = session.activeLoop();
        List<String> planned = new ArrayList<>();
        if (session.nodes().isEmpty()) {
            startOwnTake(loop, planned, null);
        } else {
            long heard = (long) session.latency().roundTripFrames() + session.insertLatency();
            startOwnTake(loop, planned, heard);
            try {
                for (Node node : session.nodes()) {
                    Recorder there = node.session().recorder();
                    there.folder = folder;
                    there.format = format;
                    there.bufferSeconds = bufferSeconds;
                    there.startOwnTake(loop, planned, heard);
                }
            } catch (RuntimeException e) {
                stopTake();
                throw e;
            }
        }
        takeRunning = true;
    }

    /**
     * Records this session's armed tracks, if any, on its engine, each into the next file of the takes folder
     * not in {@code planned} (which gets them), as a take that goes round {@code loop} (null: none), placed
     * earlier than captured by {@code latency} samples (null: by the engine's own latencies). A node's take is
     * placed by the main engine's round trip and processing latency: its inputs reach it from the main server
     * through netjack2 in the same period as the main engine's clock, and its performers hear the main mix.
     */
    private void startOwnTake(LoopRange loop, List<String> planned, Long latency) {
        List<EngineCommand.TakeTrack> tracks = new ArrayList<>();
        for (Track track : armedTracks()) {
            Path file = nextFile(track, planned);
            planned.add(file.getFileName().toString());
            tracks.add(new EngineCommand.TakeTrack(track.id, file));
        }
        currentTake = List.copyOf(tracks);
        if (tracks.isEmpty()) {
            return;
        }
        session.execute(new EngineCommand.StartTake(tracks, format, bufferSeconds, latency));
        takeLatency = latency;
        if (loop != null) {
            for (EngineCommand.TakeTrack track : tracks) {
                takeLoops.put(track.file(), loop);
            }
        }
        ownTake = true;
        takeRunning = true;
    }

    /** Stops the pass's take on this engine and the nodes', each whatever the others say. */
    private void stopTake() {
        each(everyRecorder(), Recorder::stopOwnTake);
    }

    /** This session's recorder, then each node's. */
    private List<Recorder> everyRecorder() {
        List<Recorder> recorders = new ArrayList<>(List.of(this));
        session.nodes().forEach(node -> recorders.add(node.session().recorder()));
        return recorders;
    }

    /** Does {@code step} on every one of {@code recorders}, whatever the others say; then says what went wrong. */
    private static void each(List<Recorder> recorders, java.util.function.Consumer<Recorder> step) {
        List<String> problems = new ArrayList<>();
        for (Recorder recorder : recorders) {
            try {
                step.accept(recorder);
            } catch (DeskException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new DeskException(String.join("; ", problems));
        }
    }

    private void stopOwnTake() {
        takeRunning = false;
        if (ownTake) {
            ownTake = false;
            session.execute(new EngineCommand.StopTake());
        }
        if (lostNanos >= 0) {
            lostNanos = -1;
            currentTake.forEach(this::placeLostFile);
        }
    }

    /**
     * Says once, when the engine has been lost while a take recorded, which files the take stopped at (the
     * engine closed them valid at the last sample it had): "audio lost at 00:12.3: recording Vox stopped at
     * takes/Vox-007.wav".
     */
    void watchLink(boolean connected) {
        if (connected || !ownTake || lostNanos >= 0) {
            return;
        }
        lostNanos = System.nanoTime();
        session.notice("audio lost at " + clock(session.positionAtLoss()) + ": recording "
                + describe(currentTake, " stopped at "));
    }

    /**
     * The engine is back and the transport resumes at {@code resume}: if a take was recording, its files
     * become clips where they were recorded, and recording goes on in new files of the same tracks, numbered
     * next so the two sort together: "audio back after 1.2 s: recording Vox resumed in takes/Vox-008.wav".
     * Called while the session replays its state into the fresh engine.
     */
    void resumeAfterLoss(long resume) {
        if (!ownTake) {
            return;
        }
        String outage = lostNanos < 0 ? "" : " after " + String.format(Locale.ROOT, "%.1f s",
                (System.nanoTime() - lostNanos) / 1e9);
        if (lostNanos < 0) {
            session.notice("audio lost at " + clock(resume) + ": recording " + describe(currentTake, " stopped at "));
        }
        lostNanos = -1;
        List<EngineCommand.TakeTrack> lost = currentTake;
        startOwnTake(session.activeLoop(), new ArrayList<>(), takeLatency);
        lost.forEach(this::placeLostFile);
        session.notice("audio back" + outage + ": recording " + describe(currentTake, " resumed in "));
    }

    /** Places a take file the lost engine closed as a clip on its track, at the timeline sample it records. */
    private void placeLostFile(EngineCommand.TakeTrack lost) {
        try {
            AudioFileInfo info = WavReader.probe(lost.file());
            long position = TakeFile.timeReference(lost.file());
            for (Track track : session.tracks()) {
                if (track.id == lost.trackId() && info.frames() > 0) {
                    track.clip(lost.file(), TAKES + "/" + lost.file().getFileName(), false, 0, info.frames(),
                            position, 0, 0, 0);
                }
            }
        } catch (IOException e) {
            session.notice("the take " + lost.file() + " cannot be read after the loss: " + e.getMessage());
        }
    }

    /** "Vox stopped at takes/Vox-007.wav, Bass stopped at takes/Bass-003.wav". */
    private String describe(List<EngineCommand.TakeTrack> take, String verb) {
        List<String> parts = new ArrayList<>();
        for (EngineCommand.TakeTrack file : take) {
            String track = session.tracks().stream().filter(t -> t.id == file.trackId()).map(Track::name)
                    .findFirst().orElse("track " + file.trackId());
            parts.add(track + verb + TAKES + "/" + file.file().getFileName());
        }
        return String.join(", ", parts);
    }

    /** A timeline sample as minutes, seconds and tenths: "00:12.3". */
    private String clock(long sample) {
        double seconds = (double) sample / session.sampleRate();
        int minutes = (int) (seconds / 60);
        return String.format(Locale.ROOT, "%02d:%04.1f", minutes, seconds - 60 * minutes);
    }

    private List<Track> armedTracks() {
        return session.tracks().stream().filter(Track::armed).toList();
    }

    /** The armed tracks of this session, then of each of its nodes. */
    private List<Track> armedEverywhere() {
        List<Track> armed = new ArrayList<>(armedTracks());
        for (Node node : session.nodes()) {
            armed.addAll(node.session().recorder().armedTracks());
        }
        return armed;
    }

    /** The next free take file of {@code track}: numbered one past the highest there or planned. */
    private Path nextFile(Track track, List<String> planned) {
        String base = fileName(track.name());
        int highest = 0;
        List<String> names = new ArrayList<>(planned);
        try (Stream<Path> files = Files.list(folder.resolve(TAKES))) {
            files.forEach(file -> names.add(file.getFileName().toString()));
        } catch (IOException e) {
            throw new DeskException("session.record: cannot list " + folder.resolve(TAKES) + ": " + e.getMessage());
        }
        for (String name : names) {
            Matcher m = TAKE_NAME.matcher(name);
            if (m.matches() && m.group(1).equals(base)) {
                highest = Math.max(highest, Integer.parseInt(m.group(2)));
            }
        }
        return folder.resolve(TAKES).resolve(String.format(Locale.ROOT, "%s-%03d.wav", base, highest + 1));
    }

    /** A track name as a file name: letters, digits, space, dot, dash and underscore kept, others "_". */
    static String fileName(String trackName) {
        return trackName.replaceAll("[^A-Za-z0-9 ._-]", "_");
    }

    private String seconds(long sample) {
        return desk.engine.Parameter.format((double) sample / session.sampleRate()) + " s";
    }
}
