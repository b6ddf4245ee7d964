package desk.script;

import desk.engine.Parameter;
import desk.session.DeskException;
import org.graalvm.polyglot.Value;

import java.util.List;

/**
 * Turns script values into Java values for the session model, refusing wrong types in one line that names
 * the member, the value and what it accepts. Threads: the script thread.
 */
public final class Convert {
    private Convert() {
    }

    /** A number (dB values may be -Infinity); {@code accepts} says what is allowed, e.g. "-inf or -144..12 dB". */
    public static double number(Value value, String label, String accepts) {
        if (value != null && value.isNumber() && value.fitsInDouble()) {
            return value.asDouble();
        }
        throw new DeskException(label + " " + show(value) + " is not a number: must be " + accepts);
    }

    /** A parameter's value: a number in the parameter's range. */
    public static double parameter(Value value, String label, Parameter parameter) {
        return number(value, label, parameter.allowed());
    }

    /** A whole number within [min, max]. */
    public static int integer(Value value, String label, int min, int max) {
        double number = number(value, label, min + ".." + max);
        if (number != Math.rint(number) || number < min || number > max) {
            throw new DeskException(label + " " + show(value) + ": must be a whole number " + min + ".." + max);
        }
        return (int) number;
    }

    /** true or false. */
    public static boolean bool(Value value, String label) {
        if (value != null && value.isBoolean()) {
            return value.asBoolean();
        }
        throw new DeskException(label + " " + show(value) + ": must be true or false");
    }

    /** Text. */
    public static String text(Value value, String label) {
        if (value != null && value.isString()) {
            return value.asString();
        }
        throw new DeskException(label + " " + show(value) + ": must be text");
    }

    /** A time: a number of seconds or text such as "2 bars" or "17:1:0" (checked by the tempo map). */
    public static Object time(Value value, String label) {
        if (value != null && value.isNumber() && value.fitsInDouble()) {
            return value.asDouble();
        }
        if (value != null && value.isString()) {
            return value.asString();
        }
        throw new DeskException(label + " " + show(value) + ": must be seconds or text like \"2 bars\", \"1 beat\","
                + " \"250 ms\" or \"17:1:0\"");
    }

    /** A function to call later on the script thread, with no arguments. */
    public static Runnable function(Value value, String label) {
        if (value == null || !value.canExecute()) {
            throw new DeskException(label + " " + show(value) + ": must be a function");
        }
        return value::executeVoid;
    }

    /** The Java object behind an API value of class {@code type}, or a refusal naming what was expected. */
    public static <T> T api(Value value, Class<T> type, String label, String expected) {
        if (value != null && value.isProxyObject() && value.asProxyObject() instanceof ApiObject object
                && type.isInstance(object.target())) {
            return type.cast(object.target());
        }
        throw new DeskException(label + " " + show(value) + ": must be " + expected);
    }

    /** A script value as plain Java: Double, String, Boolean, null, an API object's target, or its text. */
    public static Object plain(Value value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber() && value.fitsInDouble()) {
            return value.asDouble();
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isProxyObject() && value.asProxyObject() instanceof ApiObject object) {
            return object.target();
        }
        return show(value);
    }

    /**
     * A value as users would write it in a message: text in quotes, numbers plainly (whole ones without a
     * decimal point), API objects briefly ({@code track "Vox"}), other objects by their text, cut at 60
     * characters. The words are JavaScript's; the Python prelude turns them into Python's.
     */
    public static String show(Value value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isString()) {
            return "\"" + value.asString() + "\"";
        }
        if (value.isNumber() && value.fitsInDouble()) {
            return Parameter.format(value.asDouble());
        }
        if (value.isProxyObject() && value.asProxyObject() instanceof ApiObject object) {
            return object.brief();
        }
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /** A list of texts from a script (null when not given). */
    static List<String> texts(Value value, String label) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.hasArrayElements()) {
            throw new DeskException(label + " " + show(value) + ": must be a list of names");
        }
        List<String> texts = new java.util.ArrayList<>();
        for (long i = 0; i < value.getArraySize(); i++) {
            texts.add(text(value.getArrayElement(i), label));
        }
        return texts;
    }
}
