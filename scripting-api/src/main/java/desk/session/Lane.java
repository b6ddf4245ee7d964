package desk.session;

import desk.engine.AutomationLane;
import desk.engine.EngineCommand;
import desk.engine.Interpolation;
import desk.engine.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The automation lane of one parameter of a strip or send: breakpoints on transport time (samples), each
 * with a value in the parameter's unit and the interpolation of the segment it starts, and a mode:
 * <ul>
 * <li>{@code off}: the lane is kept but not played; the parameter stays where it is set;</li>
 * <li>{@code read} (the default): the engine plays the lane sample-accurately;</li>
 * <li>{@code write}: while the transport rolls the lane is not played, and every change made to the
 * parameter is recorded as a point at its time, replacing the points it passes over;</li>
 * <li>{@code touch}: the lane plays until the parameter is changed; from then on changes are recorded and
 * heard, until {@link #release()};</li>
 * <li>{@code latch}: as touch, but the takeover lasts until the transport stops.</li>
 * </ul>
 * When a lane stops playing, the parameter keeps the value the lane had, so nothing jumps.
 * <p>
 * Threads: the session's control thread.
 */
public final class Lane {
    /** One breakpoint: transport sample, value, and the interpolation of the segment that starts here. */
    public record Point(long time, double value, Interpolation interpolation) {
    }

    /**
     * What a lane drives: a parameter of a strip or send, or of an insert. It names the parameter, checks and
     * formats its values, and makes the command that has the engine play a lane of it.
     */
    interface Target {
        /** The parameter's script name. */
        String name();

        /** Null when {@code value} is allowed, else why not (without the parameter's name). */
        String check(double value);

        /** The value as users write it. */
        String format(double value);

        /** How a new point's segment is drawn unless the user says. */
        Interpolation defaultInterpolation();

        /** The command that plays {@code lane} (null: stops playing it, handing the parameter back). */
        EngineCommand play(AutomationLane lane);

        /** A parameter of the strip or send {@code nodeId}. */
        static Target of(int nodeId, Parameter parameter) {
            return new Target() {
                @Override
                public String name() {
                    return parameter.scriptName();
                }

                @Override
                public String check(double value) {
                    return parameter.check(value);
                }

                @Override
                public String format(double value) {
                    return Parameter.format(value);
                }

                @Override
                public Interpolation defaultInterpolation() {
                    return parameter == Parameter.MUTE ? Interpolation.STEP : Interpolation.DB;
                }

                @Override
                public EngineCommand play(AutomationLane lane) {
                    return new EngineCommand.SetLane(nodeId, parameter, lane);
                }
            };
        }
    }

    /** Modes, as scripts name them. */
    enum Mode { OFF, READ, WRITE, TOUCH, LATCH }

    private final Session session;
    private final String owner;
    private final Target target;
    private final Apply apply;
    private final Runnable checkOwner;
    private final List<Point> points = new ArrayList<>();
    private long version;
    private Mode mode = Mode.READ;
    private boolean takenOver;
    private long lastWrite = -1;
    private boolean sentPlaying;

    /** Sets the owner's parameter to a value without touching the lane (the owner's setter, unrecorded). */
    interface Apply {
        void set(double value);
    }

    Lane(Session session, String owner, Target target, Apply apply, Runnable checkOwner) {
        this.session = session;
        this.owner = owner;
        this.target = target;
        this.apply = apply;
        this.checkOwner = checkOwner;
    }

    /** The parameter's script name: "fader", "trim", "pan", "balance", "mute", "level" or an insert's. */
    public String parameter() {
        return target.name();
    }

    /** The points, in time order. */
    public List<Point> points() {
        return Collections.unmodifiableList(points);
    }

    /** The mode's name: "off", "read", "write", "touch" or "latch". */
    public String mode() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** Chooses the mode by name. */
    public void mode(String name) {
        checkOwner.run();
        Mode parsed = null;
        for (Mode candidate : Mode.values()) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(name)) {
                parsed = candidate;
            }
        }
        if (parsed == null) {
            throw new DeskException(this + ".mode " + Session.describe(name)
                    + ": must be \"off\", \"read\", \"write\", \"touch\" or \"latch\"");
        }
        mode = parsed;
        takenOver = false;
        lastWrite = -1;
        sync();
    }

    /** True while the engine plays the lane. */
    public boolean playing() {
        return !points.isEmpty() && switch (mode) {
            case READ -> true;
            case TOUCH, LATCH -> !takenOver;
            case WRITE -> !session.transportRolling();
            case OFF -> false;
        };
    }

    /** The lane's value at transport sample {@code time} (its first value before the first point). */
    public double valueAt(long time) {
        return toEngine().valueAt(time);
    }

    /**
     * Adds a point at transport sample {@code time} with {@code value}, the segment from it drawn with
     * {@code interpolation}; after any points already at that time (two points at one time make a step).
     */
    public Lane add(long time, double value, Interpolation interpolation) {
        checkOwner.run();
        checkPoint(time, value);
        insert(new Point(time, value, interpolation == null ? defaultInterpolation() : interpolation));
        sync();
        return this;
    }

    /** Adds {@code added} as {@link #add} would one by one, telling the engine once. */
    void addAll(List<Point> added) {
        checkOwner.run();
        for (Point point : added) {
            checkPoint(point.time(), point.value());
            insert(point);
        }
        sync();
    }

    /** Removes point {@code index} (from 0). */
    public void remove(int index) {
        checkOwner.run();
        checkIndex(index);
        points.remove(index);
        sync();
    }

    /** Moves point {@code index} to {@code time} with {@code value}, keeping its interpolation. */
    public void move(int index, long time, double value) {
        checkOwner.run();
        checkIndex(index);
        checkPoint(time, value);
        Point old = points.remove(index);
        insert(new Point(time, value, old.interpolation()));
        sync();
    }

    /** Removes every point. */
    public void clear() {
        checkOwner.run();
        points.clear();
        sync();
    }

    /** Ends a touch: the lane plays again from where the transport is. */
    public void release() {
        checkOwner.run();
        if (takenOver) {
            takenOver = false;
            sync();
        }
    }

    /**
     * Called by the owner before it sets the parameter by hand: in write, touch and latch modes a change while
     * the transport rolls takes over from the lane and is recorded as a point.
     */
    void beforeWrite() {
        boolean rolling = session.transportRolling();
        if ((mode == Mode.TOUCH || mode == Mode.LATCH) && !takenOver) {
            takenOver = true;
            sync();
        }
        if (mode == Mode.WRITE && !rolling) {
            lastWrite = -1;
        }
    }

    /** Called by the owner after it set the parameter by hand to {@code value}. */
    void afterWrite(double value) {
        boolean recording = mode == Mode.WRITE || ((mode == Mode.TOUCH || mode == Mode.LATCH) && takenOver);
        if (!recording || !session.transportRolling()) {
            return;
        }
        long now = session.transportSample();
        long from = lastWrite;
        points.removeIf(p -> p.time() > from && p.time() <= now && from >= 0);
        insert(new Point(now, value, defaultInterpolation()));
        lastWrite = now;
        sync();
    }

    /** Called when the transport starts or stops: ends latches and write passes. */
    void transportChanged(boolean rolling) {
        if (!rolling) {
            lastWrite = -1;
            if (mode == Mode.LATCH) {
                takenOver = false;
            }
        }
        sync();
    }

    /** The lane as the engine takes it. */
    AutomationLane toEngine() {
        if (points.isEmpty()) {
            throw new DeskException(this + " has no points");
        }
        long[] times = new long[points.size()];
        double[] values = new double[points.size()];
        Interpolation[] interpolations = new Interpolation[points.size()];
        for (int i = 0; i < points.size(); i++) {
            times[i] = points.get(i).time();
            values[i] = points.get(i).value();
            interpolations[i] = points.get(i).interpolation();
        }
        return new AutomationLane(times, values, interpolations);
    }

    /** Tells the engine whether and what to play; when the lane stops playing, the parameter keeps its value. */
    /** Counts the lane's changes, so that a saved form of it can be reused while it stays the same. */
    long version() {
        return version;
    }

    void sync() {
        version++;
        boolean playing = playing();
        if (playing) {
            session.execute(target.play(toEngine()));
        } else if (sentPlaying) {
            session.execute(target.play(null));
            if (!points.isEmpty()) {
                apply.set(valueAt(session.transportSample()));
            }
        }
        sentPlaying = playing;
    }

    private Interpolation defaultInterpolation() {
        return target.defaultInterpolation();
    }

    private void insert(Point point) {
        version++;
        int index = points.size();
        while (index > 0 && points.get(index - 1).time() > point.time()) {
            index--;
        }
        points.add(index, point);
        if (points.size() > AutomationLane.MAX_POINTS) {
            points.remove(index);
            throw new DeskException(this + " holds at most " + AutomationLane.MAX_POINTS + " points");
        }
    }

    private void checkPoint(long time, double value) {
        String problem = target.check(value);
        if (problem != null) {
            throw new DeskException(this + " point value " + target.format(value) + " " + problem);
        }
        if (time < 0) {
            throw new DeskException(this + " point time " + time + ": must not be before the start");
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= points.size()) {
            throw new DeskException(this + " point " + index + ": "
                    + (points.isEmpty() ? "the lane has no points" : "must be 0.." + (points.size() - 1)));
        }
    }

    @Override
    public String toString() {
        return owner + ".lane(\"" + target.name() + "\")";
    }

    /** Hands the lane again to a fresh engine, if the engine was playing it. */
    void replay() {
        if (sentPlaying) {
            session.execute(target.play(toEngine()));
        }
    }
}
