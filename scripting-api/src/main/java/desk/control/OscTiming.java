package desk.control;

import desk.session.Session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When the messages of a time-tagged OSC bundle apply. While the transport rolls, on the sample of the tag's
 * time, through the session's scheduler (like {@code session.at}); while it is stopped, at the tag's time on
 * the clock; a late bundle at once. Live, the engine's sample clock is measured against the wall clock the
 * tags are written in ({@link EngineClock}), and a bundle is placed on its sample only
 * {@value #PLACE_AHEAD_SECONDS} s before its time, so that a drifting clock has no time to move it far; the
 * engine's position, the end of the block it played last, is taken as half a period on from now. Offline,
 * where the engine moves only as the render goes, the tag is placed at once at the nominal rate.
 * <p>
 * Threads: the session's control thread; waits run on the surface's timer.
 */
final class OscTiming {
    /** How long before its time a timed bundle is placed on its sample when playing live, s. */
    static final double PLACE_AHEAD_SECONDS = 0.03;

    private final Session session;
    private final Executor control;
    private final Clock clock;
    private final EngineClock engineClock = new EngineClock();

    OscTiming(Session session, Executor control, Clock clock) {
        this.session = session;
        this.control = control;
        this.clock = clock;
    }

    /** Notes where the engine is now, for the measure of its clock. */
    void reading() {
        engineClock.reading(System.nanoTime(), session.link().position());
    }

    /**
     * Runs {@code apply} at {@code at}: on its sample while the transport rolls (as a scheduled function), else
     * at its time followed by {@code changed}; waits run on {@code timer}.
     */
    void schedule(Instant at, Runnable apply, Runnable changed, ScheduledExecutorService timer) {
        double seconds = Duration.between(clock.instant(), at).toNanos() / 1e9;
        double nominal = session.sampleRate();
        boolean live = engineClock.moving(nominal);
        if (seconds <= 0) {
            apply.run();
            changed.run();
        } else if (live && seconds > PLACE_AHEAD_SECONDS) {
            later(timer, seconds - PLACE_AHEAD_SECONDS, () -> schedule(at, apply, changed, timer));
        } else if (session.transportRolling()) {
            double played = live ? session.transportSample() - session.bufferSize() / 2.0 : session.transportSample();
            session.scheduler().at(played + seconds * engineClock.samplesPerSecond(nominal), apply, "OSC bundle");
        } else {
            later(timer, seconds, () -> {
                apply.run();
                changed.run();
            });
        }
    }

    private void later(ScheduledExecutorService timer, double seconds, Runnable task) {
        try {
            timer.schedule(() -> control.execute(task), Math.round(seconds * 1e9), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // The surface closed: bundles not yet due are dropped with it.
        }
    }
}
