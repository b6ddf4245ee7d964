package desk.repl;

import desk.session.MasterRender;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of an offline render, on stderr: a bar redrawn in place (how far, how many times real time,
 * how long is left) once the render has taken a second, or one JSON object per half second for CI
 * ({@code {"seconds":12.3,"total":30.0,"speed":41.2,"left":0.4}}, and a last one at the end), or nothing.
 * <p>
 * Threads: the thread that renders.
 */
final class RenderProgress implements MasterRender.Progress {
    /** How a render shows its progress. */
    enum Mode {
        /** A bar redrawn in place. */
        BAR,
        /** One JSON object per line. */
        JSON,
        /** Nothing. */
        NONE
    }

    private static final long NANOS = 1_000_000_000L;
    private static final long BAR_AFTER = NANOS;
    private static final long BAR_EVERY = NANOS / 10;
    private static final long JSON_EVERY = NANOS / 2;
    private static final int WIDTH = 30;

    private final Mode mode;
    private final PrintWriter err;
    private final int sampleRate;
    private final LongSupplier clock;
    private final long start;
    private long shownAt = Long.MIN_VALUE;
    private boolean barShown;

    RenderProgress(Mode mode, PrintWriter err, int sampleRate, LongSupplier clock) {
        this.mode = mode;
        this.err = err;
        this.sampleRate = sampleRate;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    @Override
    public void rendered(long done, long total) {
        long now = clock.getAsLong();
        boolean last = done >= total;
        switch (mode) {
            case BAR -> {
                if ((now - start >= BAR_AFTER && now - shownAt >= BAR_EVERY) || (last && barShown)) {
                    shownAt = now;
                    barShown = true;
                    err.print("\r" + bar(done, total, now) + (last ? "\n" : ""));
                    err.flush();
                }
            }
            case JSON -> {
                if (now - shownAt >= JSON_EVERY || last) {
                    shownAt = now;
                    err.println(json(done, total, now));
                    err.flush();
                }
            }
            case NONE -> {
            }
        }
    }

    private double speed(long done, long now) {
        double elapsed = Math.max(1e-9, (now - start) / (double) NANOS);
        return done / (double) sampleRate / elapsed;
    }

    private double left(long done, long total, long now) {
        double speed = speed(done, now);
        return speed > 0 ? (total - done) / (double) sampleRate / speed : 0;
    }

    String bar(long done, long total, long now) {
        int filled = (int) (WIDTH * done / Math.max(1, total));
        return String.format(Locale.ROOT, "rendering [%s%s] %3d%% %.1f of %.1f s, %.1fx real time, %.1f s left",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * done / Math.max(1, total),
                done / (double) sampleRate, total / (double) sampleRate, speed(done, now), left(done, total, now));
    }

    String json(long done, long total, long now) {
        return String.format(Locale.ROOT, "{\"seconds\":%.3f,\"total\":%.3f,\"speed\":%.2f,\"left\":%.3f}",
                done / (double) sampleRate, total / (double) sampleRate, speed(done, now), left(done, total, now));
    }
}
