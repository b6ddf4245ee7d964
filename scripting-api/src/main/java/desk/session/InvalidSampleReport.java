package desk.session;

import desk.engine.meter.MeterPoint;

import java.util.HashMap;
import java.util.Map;

/**
 * Tells the user about NaN and infinite samples that reached the tracks (from a capture port, a file source or
 * a clip), which the engine played as silence and counted on each track's meter: each {@link #report()} reads
 * every track's count and says, in one notice line per track whose count grew since the last report, how many
 * arrived. The session calls it once a second, so a track gets at most one line a second however many arrive.
 * A count that fell (the meter was reset, or a fresh engine took over) starts again from there.
 * <p>
 * Threads: the session's control thread.
 */
final class InvalidSampleReport {
    private final Session session;
    private Map<Integer, Long> counted = new HashMap<>();

    InvalidSampleReport(Session session) {
        this.session = session;
    }

    /** Reads every track's count and gives one notice line for each that grew. */
    void report() {
        Map<Integer, Long> now = new HashMap<>();
        for (Track track : session.tracks()) {
            long count = session.link().meter(track.id, MeterPoint.INPUT).invalid();
            long before = counted.getOrDefault(track.id, 0L);
            long fresh = count >= before ? count - before : count;
            if (fresh > 0) {
                session.notice(track.name() + ": " + fresh + " invalid sample" + (fresh == 1 ? "" : "s")
                        + " (NaN or infinite) reached its input and played as silence; " + track.name()
                        + ".meter.invalid is " + count);
            }
            now.put(track.id, count);
        }
        counted = now;
    }
}
