package desk.script;

import desk.engine.Parameter;
import desk.session.DeskException;
import desk.session.Expectations;
import desk.session.Lane;
import desk.session.Scheduler;
import desk.session.Session;
import org.graalvm.polyglot.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The script API of time: automation {@code Lane}s and their {@code Point}s, scheduled {@code Task}s and
 * {@code Expectation}s.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class TimeApi {
    private TimeApi() {
    }

    static ApiType<Lane> lane(Session session) {
        return new ApiType<>("Lane", Lane.class, "The automation lane of one parameter: points on transport time and a mode.",
                Lane::toString)
                .property("parameter", "The parameter it drives: \"trim\", \"fader\", \"pan\", \"balance\", \"mute\""
                        + " or \"level\".", Lane::parameter)
                .property("mode", "\"off\", \"read\" (default), \"write\", \"touch\" or \"latch\".", Lane::mode,
                        (l, v) -> l.mode(Convert.text(v, l + ".mode")))
                .property("points", "The points, in time order.", Lane::points)
                .method("add", "add(time, value, {curve})", "Adds a point at time (seconds, \"17:1:0\") with value;"
                        + " curve of the segment from it: \"db\" (default), \"gain\", \"scurve\" or \"step\"."
                        + " Returns the lane.", Set.of("curve"), (l, a) -> {
                    a.check(2, Set.of("curve"));
                    long time = Math.round(session.tempo().position(Convert.time(a.required(0, "a time"),
                            a.method() + " time"), session.transportSample(), a.method() + " time"));
                    double value = Convert.number(a.required(1, "a value"), a.method() + " value", "a number");
                    return l.add(time, value, a.option("curve") == null ? null
                            : DeskApi.curve(a.option("curve"), a.method() + " curve"));
                })
                .method("addPoints", "addPoints([[time, value, curve], ...])", "Adds many points at once, each"
                        + " [time, value] or [time, value, curve], as add would one by one, with one update of the"
                        + " engine (for lanes drawn by a script). Returns the lane.", Set.of(), (l, a) -> {
                    a.check(1, Set.of());
                    return l.add(points(session, a.required(0, "a list of points"), a.method()));
                })
                .method("move", "move(index, time, value)", "Moves point index (from 0) to time with value.", Set.of(),
                        (l, a) -> {
                    a.check(3, Set.of());
                    int index = Convert.integer(a.required(0, "an index"), a.method() + " index", 0, Integer.MAX_VALUE);
                    long time = Math.round(session.tempo().position(Convert.time(a.required(1, "a time"),
                            a.method() + " time"), session.transportSample(), a.method() + " time"));
                    l.move(index, time, Convert.number(a.required(2, "a value"), a.method() + " value", "a number"));
                    return ApiType.NOTHING;
                })
                .method("remove", "remove(index)", "Removes point index (from 0).", Set.of(), (l, a) -> {
                    a.check(1, Set.of());
                    l.remove(Convert.integer(a.required(0, "an index"), a.method() + " index", 0, Integer.MAX_VALUE));
                    return ApiType.NOTHING;
                })
                .action("clear", "Removes every point.", Lane::clear)
                .action("release", "Ends a touch: the lane plays again.", Lane::release);
    }

    static ApiType<Lane.Point> point(Session session) {
        return new ApiType<>("Point", Lane.Point.class, "One point of a lane.",
                p -> "Point " + Parameter.format(p.value()) + " at sample " + p.time())
                .shown(p -> "Point " + Parameter.format(p.value()) + " at " + Scheduler.seconds(p.time(),
                        session.sampleRate()) + " s (sample " + p.time() + "), curve \"" + p.interpolation().scriptName()
                        + "\"")
                .property("time", "Its time on the transport, seconds.", p -> (double) p.time() / session.sampleRate())
                .property("sample", "Its time on the transport, samples.", Lane.Point::time)
                .property("value", "Its value, in the parameter's unit.", Lane.Point::value)
                .property("curve", "The curve of the segment that starts here.", p -> p.interpolation().scriptName());
    }

    static ApiType<Scheduler.Task> task(Session session) {
        return new ApiType<>("Task", Scheduler.Task.class, "A function scheduled with at, after or every.",
                Scheduler.Task::toString)
                .shown(t -> t.describe(session.sampleRate()))
                .action("cancel", "Stops it: it will not run again.", Scheduler.Task::cancel)
                .property("next", "When it runs next, transport seconds.", t -> (double) t.next() / session.sampleRate())
                .property("count", "How many times it has run.", Scheduler.Task::count)
                .property("done", "True once cancelled or, for a one-off, once run.", Scheduler.Task::done);
    }

    static ApiType<Expectations.Expectation> expectation() {
        return new ApiType<>("Expectation", Expectations.Expectation.class, "A value under test.",
                Expectations.Expectation::toString)
                .method("toBeBelow", "toBeBelow(limit)", "Passes when the value is below limit.", Set.of(), (e, a) -> {
                    a.check(1, Set.of());
                    return e.toBeBelow(Convert.number(a.required(0, "a limit"), a.method() + " limit", "a number"));
                })
                .method("toBeAbove", "toBeAbove(limit)", "Passes when the value is above limit.", Set.of(), (e, a) -> {
                    a.check(1, Set.of());
                    return e.toBeAbove(Convert.number(a.required(0, "a limit"), a.method() + " limit", "a number"));
                })
                .method("toBe", "toBe(expected)", "Passes when the value equals expected.", Set.of(), (e, a) -> {
                    a.check(1, Set.of());
                    return e.toBe(Convert.plain(a.required(0, "a value")));
                })
                .method("toBeCloseTo", "toBeCloseTo(expected, tolerance)", "Passes when the value is within tolerance"
                        + " of expected.", Set.of(), (e, a) -> {
                    a.check(2, Set.of());
                    return e.toBeCloseTo(Convert.number(a.required(0, "an expected value"), a.method() + " expected",
                            "a number"), Convert.number(a.required(1, "a tolerance"), a.method() + " tolerance", "a number"));
                });
    }

    /** Points a script gives as a list of [time, value] or [time, value, curve]. */
    private static List<Lane.Point> points(Session session, Value value, String label) {
        if (!value.hasArrayElements()) {
            throw new DeskException(label + " " + Convert.show(value) + ": must be a list of [time, value] or"
                    + " [time, value, curve]");
        }
        List<Lane.Point> points = new java.util.ArrayList<>();
        for (long i = 0; i < value.getArraySize(); i++) {
            Value point = value.getArrayElement(i);
            String at = label + " point " + i;
            if (!point.hasArrayElements() || point.getArraySize() < 2 || point.getArraySize() > 3) {
                throw new DeskException(at + " " + Convert.show(point) + ": must be [time, value] or [time, value, curve]");
            }
            long time = Math.round(session.tempo().position(Convert.time(point.getArrayElement(0), at + " time"),
                    session.transportSample(), at + " time"));
            double level = Convert.number(point.getArrayElement(1), at + " value", "a number");
            points.add(new Lane.Point(time, level, point.getArraySize() == 3
                    ? DeskApi.curve(point.getArrayElement(2), at + " curve") : null));
        }
        return points;
    }
}
