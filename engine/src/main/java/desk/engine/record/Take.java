package desk.engine.record;

import desk.engine.RealTime;
import desk.engine.io.SampleFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One record pass: a file per armed track, all starting on the same sample. The audio thread writes each
 * track's frames into its own {@link SampleRing}; a disk thread moves them into the {@link TakeFile}s,
 * whose headers stay valid after every write, and forces them to the disk at least once a second. If the
 * disk cannot keep up (a ring more than half full) that is reported, at most once a second; if a ring
 * overflows or a write fails (a full disk), the take stops cleanly: the audio thread stops writing, the
 * files are closed valid with what they hold, and the reason is reported. The engine plays on.
 * <p>
 * Threads: built and started on the control thread; {@code rt} methods on the audio thread only; the
 * queries on any thread.
 */
public final class Take {
    /** How often the data reaches the disk for sure, in milliseconds. */
    public static final long FORCE_MILLISECONDS = 1000;
    /** A ring fuller than this is a disk too slow. */
    public static final double SLOW_FILL = 0.5;

    private static final int CHUNK_FRAMES = 8192;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** One track of a take: the engine's track id, its file and its channel count. */
    public record Track(int trackId, Path file, int channels) {
    }

    /**
     * A finished file: the track, the file, its channels, its timeline position, its length in frames, and
     * the transport position at which its first frame was captured (later than its timeline position by the
     * round-trip latency); where the transport went round a loop, the file goes on with the next pass. Where
     * the transport leapt otherwise while it recorded (a node's engine following the main one's clock past
     * periods the network lost), {@code filled} frames of silence stand for the timeline leapt over and
     * {@code leftOut} frames captured again after a leap back were left out.
     */
    public record Result(int trackId, Path file, int channels, long position, long frames, long captured,
                         long filled, long leftOut) {
        /** A file recorded without a leap. */
        public Result(int trackId, Path file, int channels, long position, long frames, long captured) {
            this(trackId, file, channels, position, frames, captured, 0, 0);
        }
    }

    private final List<Track> tracks;
    private final int sampleRate;
    private final SampleRing[] rings;
    private final TakeFile[] files;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicLong lastSlowWarning = new AtomicLong(Long.MIN_VALUE);
    private volatile long timelineStart = -1;
    private volatile long captureStart;
    private volatile boolean ended;
    private volatile boolean overflowed;
    private volatile boolean failed;
    private volatile boolean finished;
    private volatile long filled;
    private volatile long leftOut;
    private volatile boolean paced;
    private volatile List<Result> results = List.of();
    private Thread disk;

    private Take(List<Track> tracks, int sampleRate, SampleRing[] rings, TakeFile[] files) {
        this.tracks = List.copyOf(tracks);
        this.sampleRate = sampleRate;
        this.rings = rings;
        this.files = files;
    }

    /**
     * Creates the files of a take (none is ever overwritten: if one exists or cannot be made, those made
     * are deleted and nothing is left behind) with rings of {@code ringFrames} frames each.
     */
    public static Take open(List<Track> tracks, int sampleRate, SampleFormat format, int ringFrames,
                            LocalDateTime origination, long riffLimit, TakeFile.Opener opener) throws IOException {
        SampleRing[] rings = new SampleRing[tracks.size()];
        TakeFile[] files = new TakeFile[tracks.size()];
        try {
            for (int t = 0; t < tracks.size(); t++) {
                Track track = tracks.get(t);
                rings[t] = new SampleRing(track.channels(), ringFrames);
                files[t] = TakeFile.create(track.file(), sampleRate, track.channels(), format, origination,
                        riffLimit, opener);
            }
        } catch (IOException | RuntimeException e) {
            for (TakeFile made : files) {
                if (made != null) {
                    try {
                        made.close();
                        Files.deleteIfExists(made.file());
                    } catch (IOException ignored) {
                        // the first failure is the one to report
                    }
                }
            }
            throw e;
        }
        return new Take(tracks, sampleRate, rings, files);
    }

    /** Starts the disk thread. */
    public void start() {
        disk = new Thread(this::runDisk, "desk-take-writer");
        disk.setDaemon(true);
        disk.start();
    }

    /** The tracks of the take. */
    public List<Track> tracks() {
        return tracks;
    }

    // ------------------------------------------------------------------ audio side

    /**
     * The first frame of the take lands at {@code position} on the timeline; it is captured while the
     * transport is at {@code captured}.
     */
    @RealTime
    public void rtBegin(long position, long captured) {
        if (timelineStart < 0) {
            captureStart = captured;
            timelineStart = position;
        }
    }

    /** Whether the take still takes frames (not ended, overflowed or failed). */
    @RealTime
    public boolean rtAccepting() {
        return !ended && !overflowed && !failed;
    }

    /** Whether every track's ring has room for {@code frames} more frames; if not, the take overflows and stops. */
    @RealTime
    public boolean rtReserve(int frames) {
        for (SampleRing ring : rings) {
            if (ring.capacity() - ring.frames() < frames) {
                overflowed = true;
                return false;
            }
        }
        return true;
    }

    /** Counts {@code frames} of silence written for a leap ahead of the transport, and frames left out after a leap back. */
    @RealTime
    public void rtLeapt(long frames, long left) {
        filled = filled + frames;
        leftOut = leftOut + left;
    }

    /** How many frames every track's ring has room for now. */
    @RealTime
    public int rtRoom() {
        int room = Integer.MAX_VALUE;
        for (SampleRing ring : rings) {
            room = Math.min(room, ring.capacity() - ring.frames());
        }
        return room;
    }

    /** Writes {@code frames} frames of track {@code track} (after {@link #rtReserve} said there is room). */
    @RealTime
    public void rtWrite(int track, float[][] in, int offset, int frames) {
        rings[track].rtWrite(in, offset, frames);
    }

    /** Ends the take: the disk thread writes what is left and closes the files. */
    @RealTime
    public void rtEnd() {
        ended = true;
    }

    // ------------------------------------------------------------------ control side

    /** True once every file is closed. */
    public boolean finished() {
        return finished;
    }

    /** The files as closed (empty until {@link #finished()}). */
    public List<Result> results() {
        return results;
    }

    /** What went wrong so far, one line each. */
    public List<String> problems() {
        checkDiskSpeed();
        return List.copyOf(problems);
    }

    /** How many problems {@link #problems()} lists now, allocating nothing unless a new one is found. */
    public int problemCount() {
        checkDiskSpeed();
        return problems.size();
    }

    /**
     * Whether every ring has room for {@code frames} more frames, or the take no longer takes any. An
     * offline render asks this before each block and waits for the disk, so the take is paced by its disk
     * and a full ring is no longer a disk too slow.
     */
    public boolean hasRoom(int frames) {
        paced = true;
        if (ended || overflowed || failed) {
            return true;
        }
        for (SampleRing ring : rings) {
            if (ring.capacity() - ring.frames() < frames) {
                return false;
            }
        }
        return true;
    }

    /** Waits up to {@code millis} ms for the files to be closed; true if they are. */
    public boolean awaitFinished(long millis) throws InterruptedException {
        Thread thread = disk;
        if (thread != null) {
            thread.join(Math.max(1, millis));
        }
        return finished;
    }

    /** Ends a take the audio thread never started or will not end (the engine stopped); control side. */
    public void end() {
        ended = true;
    }

    /** Reports a ring more than half full, at most once a second. */
    private void checkDiskSpeed() {
        if (finished || ended || overflowed || failed || paced) {
            return;
        }
        int worst = -1;
        double fill = 0;
        for (int t = 0; t < rings.length; t++) {
            double f = (double) rings[t].frames() / rings[t].capacity();
            if (f > fill) {
                fill = f;
                worst = t;
            }
        }
        long now = System.nanoTime();
        long last = lastSlowWarning.get();
        if (fill > SLOW_FILL && (last == Long.MIN_VALUE || now - last >= TimeUnit.SECONDS.toNanos(1))
                && lastSlowWarning.compareAndSet(last, now)) {
            problems.add("disk too slow: the buffer of " + files[worst].file().getFileName() + " is "
                    + Math.round(fill * 100) + "% full");
        }
    }

    private void runDisk() {
        float[] chunk = new float[CHUNK_FRAMES * maxChannels()];
        long lastForce = System.nanoTime();
        boolean referenced = false;
        int current = 0;
        try {
            while (true) {
                boolean ending = ended || overflowed;
                if (!referenced && timelineStart >= 0) {
                    for (TakeFile file : files) {
                        file.timeReference(timelineStart);
                    }
                    referenced = true;
                }
                boolean wrote = false;
                for (current = 0; current < rings.length; current++) {
                    int frames;
                    while ((frames = rings[current].read(chunk, CHUNK_FRAMES)) > 0) {
                        files[current].append(chunk, frames);
                        wrote = true;
                    }
                }
                if (System.nanoTime() - lastForce >= TimeUnit.MILLISECONDS.toNanos(FORCE_MILLISECONDS)) {
                    for (TakeFile file : files) {
                        file.force();
                    }
                    lastForce = System.nanoTime();
                }
                checkDiskSpeed();
                if (ending && !wrote) {
                    break;
                }
                if (!wrote) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
            }
            if (overflowed) {
                problems.add("disk too slow: the recording buffer overflowed, recording stopped; the takes keep "
                        + seconds(files[0].frames()));
            }
        } catch (IOException e) {
            failed = true;
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            problems.add("recording stopped: cannot write " + files[Math.min(current, files.length - 1)].file()
                    + " (" + reason + "); the takes keep " + seconds(files[0].frames())
                    + " and the engine plays on");
        } finally {
            closeAll();
        }
    }

    private void closeAll() {
        List<Result> done = new ArrayList<>();
        long start = Math.max(0, timelineStart);
        for (int t = 0; t < files.length; t++) {
            try {
                files[t].close();
            } catch (IOException e) {
                problems.add("cannot close " + files[t].file() + ": " + e.getMessage());
            }
            Track track = tracks.get(t);
            done.add(new Result(track.trackId(), track.file(), track.channels(), start, files[t].frames(),
                    captureStart, filled, leftOut));
        }
        results = List.copyOf(done);
        finished = true;
    }

    private int maxChannels() {
        int most = 1;
        for (Track track : tracks) {
            most = Math.max(most, track.channels());
        }
        return most;
    }

    private String seconds(long frames) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (double) frames / sampleRate);
    }
}
