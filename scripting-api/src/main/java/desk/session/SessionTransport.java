package desk.session;

import desk.engine.EngineCommand;
import desk.engine.EngineLink;
import desk.engine.LoopRange;
import desk.engine.TransportState;

/**
 * The session's transport and the functions scheduled on it: where the transport is (as the engine last
 * reported it, or as the session's own change will make it), play, stop and locate, the loop range, and
 * {@code at}, {@code after} and {@code every} with the part of the control loop's turn that runs them, each
 * function's changes stamped with its exact sample ({@link #now}). After a lost engine, {@link #resume} puts the
 * transport back where it was in the fresh one. {@link Session} gives the public face of all this.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionTransport {
    private final Session session;
    private final EngineLink engine;
    private final Scheduler scheduler;
    private long stamp = -1;
    private TransportState expected;
    /** The transport as the engine last reported it. */
    private TransportState lastReported = new TransportState(false, 0, 0);
    private Long loopStart;
    private Long loopEnd;
    private boolean looping;
    private long wrapsScheduled = Long.MIN_VALUE;

    SessionTransport(Session session, EngineLink engine, Scheduler scheduler) {
        this.session = session;
        this.engine = engine;
        this.scheduler = scheduler;
    }

    /** True while the transport rolls (as of the present sample, or of the scheduled function running). */
    boolean transportRolling() {
        return transportState().rolling();
    }

    /** The transport position in samples, now (or at the sample of the scheduled function running). */
    long transportSample() {
        TransportState state = transportState();
        long at = now();
        if (at < state.enginePosition()) {
            return state.position();
        }
        return state.positionAt(at);
    }

    /** The transport position in seconds. */
    double transportSeconds() {
        return (double) transportSample() / session.sampleRate();
    }

    /** Starts the transport where it is; changes nothing if it already rolls. */
    void play() {
        if (transportRolling()) {
            return;
        }
        moveTransport(true, transportSample());
    }

    /** Stops the transport where it is, ending a record pass; changes nothing if it is stopped. */
    void stop() {
        session.recorder().stopPass();
        if (!transportRolling()) {
            return;
        }
        moveTransport(false, transportSample());
    }

    /**
     * Moves the transport to {@code time}: seconds, "bar:beat:tick", "next bar" and the like (see
     * {@link Tempo#position}); one-off functions scheduled before it are dropped and repeating ones move on
     * to their next time from there.
     */
    void locate(Object time) {
        session.recorder().refuseWhileRecording("session.locate");
        long target = Math.round(session.tempo().position(time, transportSample(), "session.locate"));
        session.execute(new EngineCommand.Locate(target));
        expected = new TransportState(transportRolling(), target, now(), activeLoop(), transportState().lastWrap());
        scheduler.locate(target);
    }

    /** The loop start, transport samples, or null when none is set. */
    Long loopStart() {
        return loopStart;
    }

    /** The loop end, transport samples, or null when none is set. */
    Long loopEnd() {
        return loopEnd;
    }

    /** Whether the transport goes round the loop range. */
    boolean looping() {
        return looping;
    }

    /** The loop range the transport goes round now, or null. */
    LoopRange activeLoop() {
        return looping ? new LoopRange(loopStart, loopEnd) : null;
    }

    /**
     * Sets the loop range (either end null: no range, which turns looping off); the end must lie after the
     * start. While looping the engine takes the new range at once. Refused while a record pass is under way;
     * {@code label} names what was set in a refusal.
     */
    void loop(Long start, Long end, String label) {
        if (start != null && end != null && end <= start) {
            throw new DeskException(label + " " + describeSamples(start) + " to " + describeSamples(end)
                    + ": the end must be after the start");
        }
        if (start != null && start < 0 || end != null && end < 0) {
            throw new DeskException(label + ": the loop range must not start before 0 s");
        }
        session.recorder().refuseWhileRecording(label);
        boolean on = looping && start != null && end != null;
        sendLoop(on ? new LoopRange(start, end) : null, looping != on || on);
        loopStart = start;
        loopEnd = end;
        looping = on;
    }

    /** Turns looping on (the loop range must be set) or off. Refused while a record pass is under way. */
    void looping(boolean on) {
        String label = "session.looping";
        if (on && (loopStart == null || loopEnd == null)) {
            throw new DeskException(label + " true: set the loop range first, e.g. session.loop(\"5:1\", \"9:1\")");
        }
        if (on == looping) {
            return;
        }
        session.recorder().refuseWhileRecording(label);
        sendLoop(on ? new LoopRange(loopStart, loopEnd) : null, true);
        looping = on;
    }

    private void sendLoop(LoopRange range, boolean changed) {
        if (!changed) {
            return;
        }
        TransportState state = transportState();
        long now = now();
        session.execute(new EngineCommand.SetLoop(range));
        expected = new TransportState(state.rolling(), state.positionAt(now), now, range, state.lastWrap());
        scheduler.locate(expected.position());
        wrapsScheduled = now;
    }

    private String describeSamples(long sample) {
        return desk.engine.Parameter.format((double) sample / session.sampleRate()) + " s";
    }

    /** The transport as the session knows it: the engine's, or what the session's own change will make of it. */
    TransportState transportState() {
        TransportState reported = engine.transport();
        lastReported = reported;
        if (expected != null && reported.enginePosition() <= expected.enginePosition()) {
            return expected;
        }
        expected = null;
        return reported;
    }

    private void moveTransport(boolean rolling, long position) {
        session.execute(new EngineCommand.SetTransport(rolling));
        expected = new TransportState(rolling, position, now(), activeLoop(), transportState().lastWrap());
        session.transportChanged(rolling);
    }

    /** Runs {@code action} once when the transport reaches {@code time} (a position, see {@link Tempo#position}). */
    Scheduler.Task at(Object time, Runnable action) {
        double position = session.tempo().position(time, transportSample(), "at time");
        return scheduler.at(position, action, "at " + Session.describe(time));
    }

    /** Runs {@code action} once, {@code duration} (seconds or musical) after now on the transport. */
    Scheduler.Task after(Object duration, Runnable action) {
        double length = session.tempo().length(duration, "after duration");
        return scheduler.at(transportSample() + length, action, "after " + Session.describe(duration));
    }

    /**
     * Runs {@code action} every {@code interval} (seconds or musical, above 0) on the transport's grid of that
     * interval: first at the first grid time at or after now.
     */
    Scheduler.Task every(Object interval, Runnable action) {
        double length = session.tempo().length(interval, "every interval");
        if (length < 1) {
            throw new DeskException("every interval " + Session.describe(interval) + ": must be at least one sample");
        }
        long now = transportSample();
        double first = Math.ceil(now / length - 1e-9) * length;
        if (Math.round(first) < now) {
            first += length;
        }
        return scheduler.every(first, length, action, "every " + Session.describe(interval));
    }

    /**
     * Runs the functions due before engine sample {@code horizon}. Each jump back round the loop is, to the
     * scheduler, a locate to the loop start, made once: ahead of time for a jump before the horizon (the
     * functions before the loop end run first, stamped on this side of the jump, then those after the loop
     * start, stamped after it), or late, to where the transport is, for a jump the engine made before the
     * control loop saw it coming.
     */
    void runScheduled(long horizon) {
        while (true) {
            TransportState state = transportState();
            if (!state.rolling()) {
                return;
            }
            if (state.loop() != null && state.lastWrap() > wrapsScheduled) {
                scheduler.locate(state.position());
                wrapsScheduled = state.lastWrap();
            }
            while (state.nextWrap() < horizon && state.nextWrap() <= wrapsScheduled) {
                state = state.afterWrap();
            }
            long wrap = state.nextWrap();
            long transportHorizon = wrap < horizon ? state.loop().end() : state.positionAt(horizon);
            long present = engine.position();
            TransportState span = state;
            boolean ran = scheduler.runNext(transportHorizon,
                    time -> stamp = Math.max(time < span.position() ? present : span.engineTimeOf(time),
                            Math.max(present, span.enginePosition())),
                    () -> {
                        stamp = -1;
                        session.checkpoint();
                    });
            if (ran) {
                continue;
            }
            if (wrap >= horizon) {
                return;
            }
            scheduler.locate(state.loop().start());
            wrapsScheduled = wrap;
        }
    }

    /** The engine sample changes apply at: the scheduled function's, or the present one. */
    long now() {
        return stamp >= 0 ? stamp : engine.position();
    }

    /** The stamp of the scheduled function running (an engine sample), or -1 when none runs. */
    long stamp() {
        return stamp;
    }

    /** Where the transport was when the engine was lost: as the link noted it, else as last reported. */
    long positionAtLoss() {
        return engine.positionAtLoss() >= 0 ? engine.positionAtLoss() : lastReported.position();
    }

    /**
     * In a fresh engine after a lost one: runs {@code rebuild} (which makes the session there) with its commands
     * unstamped, then sets the loop, and resumes the transport where it was last reported, rolling if it rolled,
     * from an engine sample a tenth of a second ahead, so the session knows the exact sample it starts on; the
     * scheduled functions go on from there, and a take that was recording goes on from the resumed sample.
     */
    void resume(Runnable rebuild) {
        TransportState before = lastReported;
        long resume = positionAtLoss();
        long savedStamp = stamp;
        stamp = -1;
        try {
            rebuild.run();
            if (looping) {
                session.execute(new EngineCommand.SetLoop(activeLoop()));
            }
            stamp = engine.position() + session.sampleRate() / 10;
            session.execute(new EngineCommand.Locate(resume));
            if (before.rolling()) {
                session.execute(new EngineCommand.SetTransport(true));
            }
            expected = new TransportState(before.rolling(), resume, stamp, activeLoop(), TransportState.NEVER);
            session.recorder().resumeAfterLoss(resume);
        } finally {
            stamp = savedStamp;
        }
        wrapsScheduled = Long.MIN_VALUE;
        scheduler.resume(resume);
    }
}
