package desk.session;

import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.LocalEngineLink;
import desk.engine.Stems;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bouncing and freezing: renders part of the timeline to a 32-bit float file in the session folder and plays
 * it. {@link #bounce} renders the master, or what a bus adds to the master, onto a new track; {@link #inPlace}
 * renders a track after its trim and inserts (before its fader), puts it on a new track set like the old one,
 * and mutes the old one; {@link #freeze} renders a track the same way and has it play the file itself. The
 * render runs in a copy of the session with an engine of its own ({@link SessionOpening#copyOf}), on a thread
 * the system runs only when a processor is idle ({@link IdleThread}), so the desk is not touched while it
 * renders, even while it plays live: the audio threads never wait for it. A track's copy keeps only the tracks
 * that feed it ({@link #keepWhatFeeds}). The file starts on the range's first
 * sample: the latency of the inserts on the way is taken out, so the clip plays in time where it is placed.
 * <p>
 * Threads: the session's control thread (the script's), which renders the copy.
 */
public final class Bounce {
    private static final int BLOCK = 1024;
    private static final String FOLDER = "bounces";
    private static final String FROZEN = ".frozen";

    /** A file rendered and its length in frames. */
    private record Rendered(Path file, long frames) {
    }

    private Bounce() {
    }

    /**
     * Renders {@code source} (the master, or what a bus adds to the master) from timeline sample {@code start}
     * to {@code end} onto a new stereo track called {@code to}, as a clip at {@code start}; returns the track.
     */
    public static Track bounce(Session session, Strip source, long start, long end, String to) {
        String label = "session.bounce";
        session.checkOwn(source, label);
        if (source instanceof Track) {
            throw new DeskException(label + " source " + source.name() + ": a track is bounced with "
                    + source.name() + ".bounceInPlace()");
        }
        if (session.find(to) != null) {
            throw new DeskException(label + " to \"" + to + "\": there is a strip of that name; choose another");
        }
        Path file = render(session, source == session.master() ? null : source.name(), false, start, end, false,
                FOLDER, to, label).file();
        Track track = session.track(to, 2);
        place(session, track, file, start);
        return track;
    }

    /**
     * Renders {@code track} after its trim and inserts from {@code start} to {@code end} onto a new track with
     * its channels, output, fader and pan, called after it, as a clip at {@code start}; mutes {@code track}.
     */
    public static Track inPlace(Track track, long start, long end) {
        Session session = track.session();
        String to = free(session, track.name() + " bounce");
        Path file = render(session, track.name(), true, start, end, false, FOLDER, to,
                track.name() + ".bounceInPlace").file();
        Track bounced = session.track(to, track.channels());
        place(session, bounced, file, start);
        bounced.output(track.output());
        bounced.fader(track.fader());
        if (track.channels() == 1) {
            bounced.pan(track.pan());
        }
        track.mute(true);
        return bounced;
    }

    /**
     * Freezes {@code track}: renders it before its fader from timeline sample 0 to {@code end}, and on while its
     * mix rings out (the inserts' tails), into {@code .frozen/<name>.wav} in the session folder, its inserts'
     * latency taken out, and has it play that instead of its inputs, clips and inserts (see
     * {@link Track#freezeTo}). Rendered apart, as a bounce.
     */
    public static void freeze(Track track, long end) {
        String label = track.name() + ".freeze";
        track.checkLive();
        if (track.frozen()) {
            throw new DeskException(label + ": " + track.name() + " is frozen already");
        }
        if (track.armed()) {
            throw new DeskException(label + ": " + track.name() + " is armed to record: disarm it first");
        }
        Rendered rendered = render(track.session(), track.name(), true, 0, end, true, FROZEN, track.name(), label);
        track.freezeTo(rendered.file(), rendered.frames());
    }

    /**
     * Places {@code file} on {@code track} as a clip at {@code start}, named relative to the session folder, and
     * has the track play it back (its monitoring off: it has no live input to hear).
     */
    private static void place(Session session, Track track, Path file, long start) {
        Path folder = session.recorder().folder();
        String name = folder != null && file.startsWith(folder) ? folder.relativize(file).toString() : file.toString();
        track.clip(file, name, false, 0, null, start, 0, 0, 0);
        track.monitoring("off");
    }

    /** {@code base}, or {@code base 2}, {@code base 3}...: the first name no strip has. */
    private static String free(Session session, String base) {
        String name = base;
        for (int n = 2; session.find(name) != null; n++) {
            name = base + " " + n;
        }
        return name;
    }

    /**
     * Renders, in a copy of the session, the master ({@code strip} null) or strip {@code strip} (after its
     * fader, or before it) from {@code start} to {@code end}, and the mix's tail after that {@code withTail},
     * into {@code <under>/<to>.wav} in the session folder; returns the file and its length.
     */
    private static Rendered render(Session session, String strip, boolean preFader, long start, long end,
                                   boolean withTail, String under, String to, String label) {
        if (end <= start) {
            throw new DeskException(label + " range: the end must come after the start");
        }
        Path folder = (session.recorder().folder() != null ? session.recorder().folder()
                : Path.of("").toAbsolutePath()).resolve(under);
        Path file = folder.resolve(to.replaceAll("[/\\\\:*?\"<>|]", "_") + ".wav");
        Session copy = SessionOpening.copyOf(session);
        if (strip != null && preFader) {
            try {
                keepWhatFeeds(copy, strip);
            } catch (RuntimeException e) {
                ((LocalEngineLink) copy.link()).engine().close();
                throw e;
            }
        }
        return IdleThread.run("desk bounce", () -> renderCopy(copy, strip, preFader, start, end, withTail, folder,
                file, label));
    }

    /**
     * Removes from {@code copy} every track that cannot change what track {@code name} plays before its fader: all
     * but that track and the tracks its inserts' side chains listen to, theirs, and so on. So a track of a large
     * session freezes in the time its own chain takes, not the whole mix's. Nothing is removed when a side chain on
     * the way listens to a bus or the master, which any track may feed.
     */
    static void keepWhatFeeds(Session copy, String name) {
        Set<Strip> kept = new HashSet<>();
        Deque<Strip> toVisit = new ArrayDeque<>(List.of(copy.find(name)));
        while (!toVisit.isEmpty()) {
            Strip strip = toVisit.pop();
            if (!kept.add(strip)) {
                continue;
            }
            for (Insert insert : strip.inserts()) {
                Strip key = insert.sidechain();
                if (key != null && !(key instanceof Track)) {
                    return;
                }
                if (key != null) {
                    toVisit.push(key);
                }
            }
        }
        copy.execute(new EngineCommand.HoldUpdates(true));
        try {
            for (Track track : List.copyOf(copy.tracks())) {
                if (!kept.contains(track)) {
                    copy.remove(track);
                }
            }
        } finally {
            copy.execute(new EngineCommand.HoldUpdates(false));
        }
    }

    /** Renders the copy (see {@link #render}), then closes its engine. */
    private static Rendered renderCopy(Session copy, String strip, boolean preFader, long start, long end,
                                       boolean withTail, Path folder, Path file, String label) {
        Engine engine = ((LocalEngineLink) copy.link()).engine();
        try {
            Files.createDirectories(folder);
            copy.locate((double) start / copy.sampleRate());
            copy.play();
            Stems stems = strip == null ? null
                    : engine.tapStems(new int[] {copy.find(strip).id}, new boolean[] {preFader});
            int skip = engine.processingLatency() - (stems == null ? 0 : stems.ahead(0));
            long frames = end - start + (withTail ? Math.round(engine.tailSeconds() * copy.sampleRate()) : 0);
            long[] written = {0};
            long[] skipped = {0};
            try (WavWriter writer = WavWriter.create(file, copy.sampleRate(), stems == null ? 2 : stems.channels(0),
                    SampleFormat.FLOAT_32)) {
                new OfflineRenderer(engine).render(frames + skip, BlockSizes.fixed(BLOCK), (master, count) -> {
                    float[][] block = stems == null ? master : stems.block(0);
                    int from = (int) Math.min(count, skip - skipped[0]);
                    skipped[0] += from;
                    int take = (int) Math.min(count - from, frames - written[0]);
                    writer.write(block, from, take);
                    written[0] += take;
                    if (stems != null) {
                        stems.rewind();
                    }
                });
            }
            return new Rendered(file, frames);
        } catch (IOException e) {
            throw new DeskException(label + ": cannot write " + file + " (" + e.getMessage() + ")");
        } catch (EngineException e) {
            throw new DeskException(label + ": " + e.getMessage());
        } finally {
            engine.close();
        }
    }
}
