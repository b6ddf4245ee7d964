package desk.engine.insert;

import desk.engine.Parameter;

import java.util.List;

/**
 * One parameter of a processor type: its script name, unit, range and default, or its choices. A choice
 * parameter reaches the processor as the index of its choice, a switch as 0 or 1. Immutable; any thread.
 *
 * @param name    the name scripts use, e.g. {@code "b1_freq"}
 * @param unit    its unit ("dB", "Hz", "ms", "%", "" for none)
 * @param min     the lowest value allowed (0 for a choice)
 * @param max     the highest value allowed (the last choice's index for a choice)
 * @param initial the value a new insert starts with
 * @param choices the names of its choices, in order; empty for a number
 * @param help    what it does, in a few words
 */
public record InsertParameter(String name, String unit, double min, double max, double initial, List<String> choices,
                              String help) {
    public InsertParameter {
        choices = List.copyOf(choices);
        if (!(min <= initial && initial <= max)) {
            throw new IllegalArgumentException(name + ": default " + initial + " outside " + min + ".." + max);
        }
    }

    /** A number from {@code min} to {@code max} in {@code unit}. */
    public static InsertParameter number(String name, String unit, double min, double max, double initial,
                                         String help) {
        return new InsertParameter(name, unit, min, max, initial, List.of(), help);
    }

    /** One of {@code choices}, starting on {@code initial}. */
    public static InsertParameter choice(String name, List<String> choices, String initial, String help) {
        int index = choices.indexOf(initial);
        return new InsertParameter(name, "", 0, choices.size() - 1, index, choices, help);
    }

    /** A switch, off (0) or on (1). */
    public static InsertParameter toggle(String name, boolean initial, String help) {
        return new InsertParameter(name, "", 0, 1, initial ? 1 : 0, List.of("false", "true"), help);
    }

    /** True for a switch (choices "false" and "true"). */
    public boolean isToggle() {
        return choices.equals(List.of("false", "true"));
    }

    /** True for a choice or a switch. */
    public boolean isChoice() {
        return !choices.isEmpty();
    }

    /** What the parameter accepts, in words: "20..20000 Hz", "\"peak\" or \"rms\"", "true or false". */
    public String allowed() {
        if (isToggle()) {
            return "true or false";
        }
        if (isChoice()) {
            StringBuilder words = new StringBuilder();
            for (int i = 0; i < choices.size(); i++) {
                words.append(i == 0 ? "" : i == choices.size() - 1 ? " or " : ", ").append('"').append(choices.get(i))
                        .append('"');
            }
            return words.toString();
        }
        return Parameter.format(min) + ".." + Parameter.format(max) + (unit.isEmpty() ? "" : " " + unit);
    }

    /** Null when {@code value} is allowed (a choice's index, a switch's 0 or 1), else why not. */
    public String check(double value) {
        if (Double.isNaN(value)) {
            return "is not a number: must be " + allowed();
        }
        if (isChoice() && value != Math.rint(value) || value < min || value > max) {
            return (isChoice() ? "is not one of them" : "is out of range") + ": must be " + allowed();
        }
        return null;
    }

    /** The value as users write it: a number, or the choice's name. */
    public String format(double value) {
        if (isChoice() && value == Math.rint(value) && value >= 0 && value < choices.size()) {
            return isToggle() ? choices.get((int) value) : '"' + choices.get((int) value) + '"';
        }
        return Parameter.format(value);
    }
}
