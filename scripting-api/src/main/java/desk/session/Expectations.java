package desk.session;

import desk.engine.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The checks a scenario makes, {@code expect(value).toBeBelow(-1)} and the like, and their results in the
 * order they were made. A failed check does not stop the script: every check is recorded, and a run with a
 * failed check ends with exit status 1 (and, when asked, a JUnit report).
 * <p>
 * Threads: the session's control thread; {@link #results()} from any thread after the run.
 */
public final class Expectations {
    /** One check: its name (a label, or where it was made), whether it passed, and what was found. */
    public record Result(String name, boolean passed, String message) {
    }

    /** A value under test, with the name its checks are reported under. */
    public final class Expectation {
        private final Object actual;
        private final String name;

        private Expectation(Object actual, String name) {
            this.actual = actual;
            this.name = name;
        }

        /** Passes when the value is a number below {@code limit}. */
        public boolean toBeBelow(double limit) {
            return check(number() < limit, "to be below " + format(limit));
        }

        /** Passes when the value is a number above {@code limit}. */
        public boolean toBeAbove(double limit) {
            return check(number() > limit, "to be above " + format(limit));
        }

        /** Passes when the value equals {@code expected} (numbers by value, text and booleans exactly). */
        public boolean toBe(Object expected) {
            boolean equal;
            if (actual instanceof Number a && expected instanceof Number b) {
                equal = a.doubleValue() == b.doubleValue();
            } else {
                equal = actual == null ? expected == null : actual.equals(expected);
            }
            return check(equal, "to be " + describe(expected));
        }

        /** Passes when the value is within {@code tolerance} (at least 0) of {@code expected}. */
        public boolean toBeCloseTo(double expected, double tolerance) {
            if (!(tolerance >= 0)) {
                throw new DeskException("toBeCloseTo tolerance " + format(tolerance) + ": must be 0 or more");
            }
            double value = number();
            boolean close = value == expected || Math.abs(value - expected) <= tolerance;
            return check(close, "to be within " + format(tolerance) + " of " + format(expected));
        }

        private double number() {
            if (actual instanceof Number number) {
                return number.doubleValue();
            }
            return Double.NaN;
        }

        private boolean check(boolean passed, String expectation) {
            String message = "expected " + describe(actual) + " " + expectation;
            results.add(new Result(name, passed, message));
            return passed;
        }

        @Override
        public String toString() {
            return "Expectation " + name + ": " + describe(actual);
        }
    }

    private final List<Result> results = Collections.synchronizedList(new ArrayList<>());

    /** A value to check, reported under {@code name} (null: numbered in order). */
    public Expectation expect(Object actual, String name) {
        return new Expectation(actual, name == null || name.isBlank() ? "check " + (results.size() + 1) : name);
    }

    /** Every result so far, in order. */
    public List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** The failed checks. */
    public List<Result> failures() {
        return results().stream().filter(r -> !r.passed()).toList();
    }

    private static String describe(Object value) {
        if (value instanceof Double d) {
            return format(d);
        }
        if (value instanceof Float f) {
            return format(f);
        }
        return Session.describe(value);
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (value == Math.rint(value) || Double.isInfinite(value)) {
            return Parameter.format(value);
        }
        return String.format(java.util.Locale.ROOT, "%.6g", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
