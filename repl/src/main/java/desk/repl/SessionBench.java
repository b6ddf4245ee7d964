package desk.repl;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.session.Lane;
import desk.session.Session;
import desk.session.Track;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code desk bench --session}: times saving and opening a large session. The session has N stereo tracks
 * with a full strip (four-band EQ and compressor) and two sends each, eight group buses and two aux returns,
 * and on every track a fader lane of P points at irregular times with values a fader ride would leave (full
 * precision). It is made by opening a file the benchmark writes, saved once by Desk, and from then on only
 * Desk's own file is opened. Before each timed save one point of every lane moves; the save comes right after
 * (no lane's text can be reused: the slowest save there is) or, as when a user pauses, after the session wrote
 * its copy of the unsaved changes (which makes the lanes' text on its own thread).
 * <p>
 * Threads: the main thread.
 */
final class SessionBench {
    /** The figures measured, in milliseconds. */
    record Result(int tracks, int points, long fileBytes, double firstOpen, double medianOpen, double firstSave,
                  double medianSave, double medianSaveAfterCopy) {
    }

    private final int tracks;
    private final int points;
    private final int runs;
    private final int sampleRate;

    SessionBench(int tracks, int points, int runs, int sampleRate) {
        this.tracks = tracks;
        this.points = points;
        this.runs = runs;
        this.sampleRate = sampleRate;
    }

    Result measure() throws IOException {
        Path folder = Files.createTempDirectory("desk-session-bench");
        try {
            Files.writeString(folder.resolve("session.json"), seedFile());
            Session seeded = open(folder);
            seeded.save();
            long bytes = Files.size(folder.resolve("session.json"));
            double[] opens = new double[runs];
            double[] saves = new double[runs];
            Session session = null;
            for (int run = 0; run < runs; run++) {
                session = null;
                settle();
                long start = System.nanoTime();
                session = open(folder);
                opens[run] = (System.nanoTime() - start) / 1e6;
            }
            double[] copied = new double[runs];
            for (int run = 0; run < runs * 2; run++) {
                for (Track track : session.tracks()) {
                    Lane lane = track.lane("fader");
                    Lane.Point first = lane.points().get(0);
                    lane.move(0, first.time(), first.value() + (run % 2 == 0 ? 0.25 : -0.25));
                }
                boolean afterCopy = run % 2 == 1;
                if (afterCopy) {
                    copyUnsavedChanges(session);
                }
                settle();
                long start = System.nanoTime();
                session.save();
                (afterCopy ? copied : saves)[run / 2] = (System.nanoTime() - start) / 1e6;
            }
            return new Result(tracks, points, bytes, opens[0], median(opens), saves[0], median(saves), median(copied));
        } finally {
            delete(folder);
        }
    }

    /**
     * Lets the session copy its unsaved changes as it does while a user pauses: the control loop's turn once
     * the copy's quarter of a second has passed, then waits for the copy to be written.
     */
    private static void copyUnsavedChanges(Session session) {
        java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300));
        session.tickAhead(0);
        session.flushAutosave();
    }

    /** Collects what earlier runs left, so that each run pays for its own garbage only. */
    private static void settle() {
        System.gc();
    }

    private Session open(Path folder) {
        Session session = new Session(new LocalEngineLink(new Engine(sampleRate, 0)));
        session.open(folder, false);
        return session;
    }

    /** The session as a file, written here rather than built through the API to keep the benchmark quick to set up. */
    private String seedFile() {
        StringBuilder file = new StringBuilder(tracks * points * 48 + 4096);
        file.append("{\"desk\": \"session\", \"version\": 1, \"engine\": {\"sampleRate\": ").append(sampleRate)
                .append("},\n\"buses\": [\n");
        for (int g = 1; g <= BenchCommand.GROUP_BUSES; g++) {
            file.append("{\"name\": \"Group ").append(g).append("\", \"kind\": \"group\", \"fader\": -3},\n");
        }
        file.append("{\"name\": \"Reverb\", \"kind\": \"aux\", \"inserts\": [{\"type\": \"reverb\"}]},\n")
                .append("{\"name\": \"Delay\", \"kind\": \"aux\", \"inserts\": [{\"type\": \"delay\"}]}\n],\n")
                .append("\"tracks\": [\n");
        Random random = new Random(1);
        for (int t = 1; t <= tracks; t++) {
            file.append("{\"name\": \"Track ").append(t).append("\", \"channels\": 2, \"output\": \"Group ")
                    .append((t - 1) % BenchCommand.GROUP_BUSES + 1).append("\", \"trim\": -2, \"fader\": -6,")
                    .append(" \"balance\": ").append(((t % 9) - 4) / 10.0).append(",\n \"inserts\": [")
                    .append("{\"type\": \"eq\", \"parameters\": {\"b1_freq\": 300, \"b1_gain\": -2.5, \"b2_gain\": 2}},")
                    .append(" {\"type\": \"compressor\", \"parameters\": {\"threshold\": -20, \"ratio\": 3}}],\n")
                    .append(" \"sends\": [{\"bus\": \"Reverb\", \"level\": -12}, {\"bus\": \"Delay\", \"level\": -18,")
                    .append(" \"pre\": true}],\n \"lanes\": {\"fader\": {\"points\": [\n");
            long sample = 0;
            for (int p = 0; p < points; p++) {
                sample += 1 + random.nextInt(sampleRate / 10);
                double value = -40 + 46 * random.nextDouble();
                file.append("  [").append((double) sample / sampleRate).append(", ").append(value)
                        .append(p == 0 ? ", \"step\"]" : ", \"db\"]").append(p + 1 < points ? ",\n" : "\n");
            }
            file.append("]}}}").append(t < tracks ? ",\n" : "\n");
        }
        return file.append("]}\n").toString();
    }

    static String line(Result result) {
        return String.format(Locale.ROOT, "session of %d tracks with a %d-point fader lane each (%d points), file %.1f MB%n"
                        + "open: first %.0f ms, median %.0f ms%n"
                        + "save right after every lane changed: first %.0f ms, median %.0f ms%n"
                        + "save after the copy of unsaved changes (every lane changed): median %.0f ms",
                result.tracks(), result.points(), (long) result.tracks() * result.points(), result.fileBytes() / 1e6,
                result.firstOpen(), result.medianOpen(), result.firstSave(), result.medianSave(),
                result.medianSaveAfterCopy());
    }

    static String json(Result result) {
        return String.format(Locale.ROOT, "{\"mode\": \"session\", \"tracks\": %d, \"points_per_lane\": %d,"
                        + " \"file_bytes\": %d, \"open_first_ms\": %.1f, \"open_median_ms\": %.1f,"
                        + " \"save_first_ms\": %.1f, \"save_median_ms\": %.1f, \"save_after_copy_median_ms\": %.1f}",
                result.tracks(), result.points(), result.fileBytes(), result.firstOpen(), result.medianOpen(),
                result.firstSave(), result.medianSave(), result.medianSaveAfterCopy());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
