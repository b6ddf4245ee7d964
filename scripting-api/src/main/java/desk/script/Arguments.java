package desk.script;

import desk.session.DeskException;
import org.graalvm.polyglot.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one API method call, in the caller's language: positional values, and options given as
 * a trailing JavaScript object ({@code {level: -12}}) or Python keyword arguments (which the Python prelude
 * passes as a trailing dict). Unknown options are refused by name.
 * <p>
 * Threads: the script thread.
 */
public final class Arguments {
    private final String method;
    private final List<Value> positional = new ArrayList<>();
    private final Map<String, Value> options = new LinkedHashMap<>();

    Arguments(String method, Value[] values, boolean takesOptions) {
        this.method = method;
        int count = values.length;
        if (takesOptions && count > 0 && isOptions(values[count - 1])) {
            Value last = values[count - 1];
            if (last.hasHashEntries()) {
                Value keys = last.getHashKeysIterator();
                while (keys.hasIteratorNextElement()) {
                    Value key = keys.getIteratorNextElement();
                    options.put(key.isString() ? key.asString() : key.toString(), last.getHashValue(key));
                }
            } else {
                for (String key : last.getMemberKeys()) {
                    options.put(key, last.getMember(key));
                }
            }
            count--;
        }
        for (int i = 0; i < count; i++) {
            positional.add(values[i]);
        }
    }

    private static boolean isOptions(Value value) {
        if (value.isNull() || value.isProxyObject() || value.isHostObject() || value.isString() || value.isNumber()
                || value.isBoolean() || value.hasArrayElements() || value.canExecute()) {
            return false;
        }
        return value.hasHashEntries() || value.hasMembers();
    }

    /** The method's name as users write it, e.g. {@code Vox.send}. */
    public String method() {
        return method;
    }

    /** Number of positional arguments. */
    public int count() {
        return positional.size();
    }

    /** Positional argument {@code index}; refused with the parameter's name when missing. */
    public Value required(int index, String name) {
        if (index >= positional.size()) {
            throw new DeskException(method + " needs " + name + " (argument " + (index + 1) + ")");
        }
        return positional.get(index);
    }

    /** Positional argument {@code index}, or null when not given. */
    public Value optional(int index) {
        return index < positional.size() ? positional.get(index) : null;
    }

    /** The option {@code name}, or null when not given. */
    public Value option(String name) {
        return options.get(name);
    }

    /** Refuses more than {@code max} positional arguments and any option not in {@code allowed}. */
    public void check(int max, Set<String> allowed) {
        if (positional.size() > max) {
            List<String> names = allowed.stream().sorted().toList();
            throw new DeskException(method + " takes " + (max == 0 ? "no" : "at most " + max) + " positional argument"
                    + (max == 1 ? "" : "s") + ", got " + positional.size() + (names.isEmpty() ? "" : ": give the others"
                    + " by name, as {" + names.getFirst() + ": ...} (" + names.getFirst() + "=... in Python); it takes "
                    + String.join(", ", names)));
        }
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new DeskException(method + " has no option \"" + key + "\"" + (allowed.isEmpty() ? ": it takes none"
                        : ApiRegistry.suggestion(allowed.stream().sorted().toList(), key, ": it takes ")));
            }
        }
    }

    /** The options as plain Java values (numbers as Double, text as String, booleans), for the session model. */
    public Map<String, Object> plainOptions() {
        Map<String, Object> plain = new LinkedHashMap<>();
        options.forEach((key, value) -> plain.put(key, Convert.plain(value)));
        return plain;
    }
}
