package desk.session;

import desk.engine.AutomationLane;
import desk.engine.EngineCommand;
import desk.engine.Interpolation;
import desk.engine.Parameter;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
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
    private static final AutomationLane EMPTY = new AutomationLane(new long[0], new double[0], new Interpolation[0]);

    /** The points, immutable: every change makes new ones, which the engine and saved forms can share. */
    private AutomationLane points = EMPTY;
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
        return pointsOf(points);
    }

    private static List<Point> pointsOf(AutomationLane now) {
        return new AbstractList<>() {
            @Override
            public Point get(int index) {
                return new Point(now.time(index), now.values()[index], now.interpolations()[index]);
            }

            @Override
            public int size() {
                return now.size();
            }
        };
    }

    /** The mode's name: "off", "read", "write", "touch" or "latch". */
    public String mode() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** Chooses the mode by name, in any case. */
    public void mode(String name) {
        checkOwner.run();
        Mode parsed = null;
        for (Mode candidate : Mode.values()) {
            if (candidate.name().equalsIgnoreCase(name)) {
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

    /**
     * Refuses {@code change} (say {@code Vox.fader -3}) to its {@code parameter}, made by a script while the lane
     * plays its own values over any set by hand (mode "read", with points), where the change would not be heard.
     */
    void refuseWhileReading(String change, String parameter) {
        if (mode == Mode.READ && points.size() > 0) {
            throw new DeskException(change + ": the " + parameter + " follows its lane (mode \"read\"): set the"
                    + " lane's mode to \"off\", or to \"touch\" to take it over by hand, first");
        }
    }

    /** True while the engine plays the lane. */
    public boolean playing() {
        return points.size() > 0 && switch (mode) {
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
        points = inserted(points, new Point(time, value, interpolation == null ? defaultInterpolation() : interpolation));
        sync();
        return this;
    }

    /**
     * Adds {@code added} as {@link #add} would one by one (a point without an interpolation gets the lane's
     * default), telling the engine once: a drawn lane of thousands of points costs one update, not one per
     * point. On a refusal nothing is added.
     */
    public Lane add(List<Point> added) {
        checkOwner.run();
        List<Point> all = new ArrayList<>(points());
        for (Point point : added) {
            checkPoint(point.time(), point.value());
            all.add(point.interpolation() == null ? new Point(point.time(), point.value(), defaultInterpolation()) : point);
        }
        if (all.size() > AutomationLane.MAX_POINTS) {
            throw new DeskException(this + " holds at most " + AutomationLane.MAX_POINTS + " points, not " + all.size());
        }
        all.sort(Comparator.comparingLong(Point::time));
        points = lane(all);
        sync();
        return this;
    }

    /**
     * Makes {@code replacement}'s points the lane's, each checked as {@link #add} checks it (points out of time
     * order are put in order, those at one time keeping theirs), telling the engine once; on a refusal the
     * lane is unchanged.
     */
    void set(AutomationLane replacement) {
        checkOwner.run();
        if (replacement.size() > AutomationLane.MAX_POINTS) {
            throw new DeskException(this + " holds at most " + AutomationLane.MAX_POINTS + " points");
        }
        long[] times = replacement.times();
        double[] values = replacement.values();
        boolean ordered = true;
        for (int i = 0; i < times.length; i++) {
            checkPoint(times[i], values[i]);
            if (replacement.interpolations()[i] == null) {
                throw new DeskException(this + " point " + i + " has no interpolation");
            }
            ordered &= i == 0 || times[i] >= times[i - 1];
        }
        if (ordered) {
            points = replacement;
        } else {
            List<Point> sorted = new ArrayList<>(pointsOf(replacement));
            sorted.sort(Comparator.comparingLong(Point::time));
            points = lane(sorted);
        }
        sync();
    }

    /** Removes point {@code index} (from 0). */
    public void remove(int index) {
        checkOwner.run();
        checkIndex(index);
        points = without(points, index);
        sync();
    }

    /** Moves point {@code index} to {@code time} with {@code value}, keeping its interpolation. */
    public void move(int index, long time, double value) {
        checkOwner.run();
        checkIndex(index);
        checkPoint(time, value);
        Interpolation interpolation = points.interpolations()[index];
        points = inserted(without(points, index), new Point(time, value, interpolation));
        sync();
    }

    /** Removes every point. */
    public void clear() {
        checkOwner.run();
        points = EMPTY;
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
        List<Point> kept = new ArrayList<>(points());
        long from = lastWrite;
        kept.removeIf(p -> p.time() > from && p.time() <= now && from >= 0);
        points = inserted(lane(kept), new Point(now, value, defaultInterpolation()));
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
        if (points.size() == 0) {
            throw new DeskException(this + " has no points");
        }
        return points;
    }

    /** The points as the engine takes them, none or more. */
    AutomationLane toEngineOrEmpty() {
        return points;
    }

    /** Counts the lane's changes, so that a saved form of it can be reused while it stays the same. */
    long version() {
        return version;
    }

    /** Tells the engine whether and what to play; when the lane stops playing, the parameter keeps its value. */
    void sync() {
        version++;
        boolean playing = playing();
        if (playing) {
            session.execute(target.play(toEngine()));
        } else if (sentPlaying) {
            session.execute(target.play(null));
            if (points.size() > 0) {
                apply.set(valueAt(session.transportSample()));
            }
        }
        sentPlaying = playing;
    }

    private Interpolation defaultInterpolation() {
        return target.defaultInterpolation();
    }

    /** {@code lane} with {@code point} after the points at or before its time; refused past the most points. */
    private AutomationLane inserted(AutomationLane lane, Point point) {
        int size = lane.size();
        if (size + 1 > AutomationLane.MAX_POINTS) {
            throw new DeskException(this + " holds at most " + AutomationLane.MAX_POINTS + " points");
        }
        long[] times = lane.times();
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (times[middle] <= point.time()) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        long[] newTimes = new long[size + 1];
        double[] newValues = new double[size + 1];
        Interpolation[] newInterpolations = new Interpolation[size + 1];
        System.arraycopy(times, 0, newTimes, 0, low);
        System.arraycopy(lane.values(), 0, newValues, 0, low);
        System.arraycopy(lane.interpolations(), 0, newInterpolations, 0, low);
        newTimes[low] = point.time();
        newValues[low] = point.value();
        newInterpolations[low] = point.interpolation();
        System.arraycopy(times, low, newTimes, low + 1, size - low);
        System.arraycopy(lane.values(), low, newValues, low + 1, size - low);
        System.arraycopy(lane.interpolations(), low, newInterpolations, low + 1, size - low);
        return new AutomationLane(newTimes, newValues, newInterpolations);
    }

    private static AutomationLane without(AutomationLane lane, int index) {
        List<Point> kept = new ArrayList<>(pointsOf(lane));
        kept.remove(index);
        return lane(kept);
    }

    private static AutomationLane lane(List<Point> points) {
        long[] times = new long[points.size()];
        double[] values = new double[points.size()];
        Interpolation[] interpolations = new Interpolation[points.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = points.get(i).time();
            values[i] = points.get(i).value();
            interpolations[i] = points.get(i).interpolation();
        }
        return new AutomationLane(times, values, interpolations);
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
                    + (points.size() == 0 ? "the lane has no points" : "must be 0.." + (points.size() - 1)));
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
