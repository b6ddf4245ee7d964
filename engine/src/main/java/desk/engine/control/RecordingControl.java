package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Limits;
import desk.engine.Parameter;
import desk.engine.io.SampleFormat;
import desk.engine.record.Take;
import desk.engine.record.TakeFile;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.CommandRing;
import desk.engine.rt.StripNode;
import desk.engine.rt.TakeTap;

import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes: starts one (its files, rings and disk thread, and the tap the audio side records through), stops
 * it, and tells what the takes have done. Takes land on the timeline earlier by the backend's round-trip
 * latency and by the session's own (the inserts' latency on the way to the master, which the performer
 * hears the playback late by), so what was played against the playback lines up with it.
 * <p>
 * Threads: the control thread, under the engine's lock; {@link #awaitRoom} and the latency on any thread.
 */
final class RecordingControl {
    private final MixerModel model;
    private final AudioGraph graph;
    private final CommandWriter writer;
    private final GainCompiler gains;
    private final List<Take> takes = new CopyOnWriteArrayList<>();
    private Take recording;
    /** The engine sample the take recording starts at (its command may still wait for it). */
    private long startsAt;
    private volatile long roundTripLatency;

    RecordingControl(MixerModel model, AudioGraph graph, CommandWriter writer, GainCompiler gains) {
        this.graph = graph;
        this.model = model;
        this.writer = writer;
        this.gains = gains;
    }

    /** Every take started so far. */
    List<Take> takes() {
        return takes;
    }

    long latency() {
        return roundTripLatency;
    }

    void setLatency(long samples) {
        roundTripLatency = samples;
    }

    void startTake(EngineCommand.StartTake c) {
        if (recording != null) {
            throw new EngineException("a take is recording already: stop it first");
        }
        if (c.tracks() == null || c.tracks().isEmpty()) {
            throw new EngineException("a take needs at least one track");
        }
        if (c.format() != SampleFormat.PCM_24 && c.format() != SampleFormat.FLOAT_32) {
            throw new EngineException("take format " + c.format() + ": takes are 24-bit PCM or 32-bit float");
        }
        if (!(c.bufferSeconds() >= Limits.MIN_TAKE_BUFFER_SECONDS && c.bufferSeconds() <= Limits.MAX_TAKE_BUFFER_SECONDS)) {
            throw new EngineException("take buffer " + Parameter.format(c.bufferSeconds()) + " s: must be "
                    + Parameter.format(Limits.MIN_TAKE_BUFFER_SECONDS) + ".."
                    + Parameter.format(Limits.MAX_TAKE_BUFFER_SECONDS) + " s");
        }
        if (c.latency() != null && (c.latency() < 0 || c.latency() > Limits.MAX_SAMPLE_TIME)) {
            throw new EngineException("take latency " + c.latency() + " samples: must be 0.."
                    + Limits.MAX_SAMPLE_TIME);
        }
        List<Take.Track> tracks = new ArrayList<>();
        StripNode[] tapped = new StripNode[c.tracks().size()];
        Set<Integer> seen = new HashSet<>();
        for (EngineCommand.TakeTrack track : c.tracks()) {
            StripState entry = model.track(track.trackId());
            if (!seen.add(track.trackId())) {
                throw new EngineException("track " + track.trackId() + " is listed twice in the take");
            }
            if (!entry.hasInput()) {
                throw new EngineException("track " + track.trackId() + " has no input to record");
            }
            if (track.file() == null) {
                throw new EngineException("track " + track.trackId() + " needs a file to record into");
            }
            tapped[tracks.size()] = entry.node;
            tracks.add(new Take.Track(track.trackId(), track.file(), entry.node.channels()));
        }
        Take take;
        try {
            take = Take.open(tracks, model.sampleRate, c.format(),
                    (int) Math.round(c.bufferSeconds() * model.sampleRate), LocalDateTime.now(),
                    TakeFile.RIFF_LIMIT, TakeFile.NEW_FILE);
        } catch (IOException e) {
            throw new EngineException(e.getMessage());
        }
        take.start();
        takes.add(take);
        recording = take;
        model.recording = true;
        startsAt = now();
        writer.startTake(new TakeTap(take, tapped, c.latency() != null ? c.latency()
                : roundTripLatency + model.latency));
        gains.refreshMonitoring();
    }

    void stopTake() {
        if (recording == null) {
            throw new EngineException("no take is recording");
        }
        if (now() < startsAt) {
            recording.end();
        }
        writer.stopTake();
        recording = null;
        model.recording = false;
        gains.refreshMonitoring();
        writer.flushIfIdle();
    }

    /**
     * The engine sample the command being written applies at. A stop before its take's start (a stop just
     * before a punch-in whose take was sent ahead) ends the take at once, so it never records.
     */
    private long now() {
        return writer.time() != CommandRing.NOW ? writer.time() : graph.position();
    }

    /** Whether a take records, and what the finished ones wrote: see {@code Engine.disk()}. */
    void collect(List<Take.Result> finished, List<String> problems, boolean[] busy) {
        for (Take take : takes) {
            problems.addAll(take.problems());
            if (take.finished()) {
                finished.addAll(take.results());
            } else {
                busy[0] = true;
            }
        }
    }

    /** Adds up, allocating nothing: a take still records (0 or 1), files of finished takes, problems. */
    void count(long[] into) {
        boolean busy = false;
        long files = 0;
        long problems = 0;
        for (int i = 0; i < takes.size(); i++) {
            Take take = takes.get(i);
            problems += take.problemCount();
            if (take.finished()) {
                files += take.results().size();
            } else {
                busy = true;
            }
        }
        into[0] = busy ? 1 : 0;
        into[1] = files;
        into[2] = problems;
    }

    /** Waits until every take still recording has room for {@code frames} more frames. Any thread but the audio thread. */
    void awaitRoom(int frames) {
        for (Take take : takes) {
            while (!take.hasRoom(frames) && !take.finished()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** Ends a take still recording, so its files are finished and closed. */
    void close() {
        if (recording != null) {
            recording.end();
            recording = null;
        }
    }
}
