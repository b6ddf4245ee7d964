package desk.engine.fx;

import desk.engine.insert.ProcessorType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processors built into Desk, by the names scripts insert them by. Immutable; any thread.
 */
public final class BuiltIns {
    private static final Map<String, ProcessorType> TYPES = index(List.of(
            Eq.TYPE, Compressor.TYPE, Gate.TYPE, DeEsser.TYPE, Limiter.TYPE, Delay.TYPE, Reverb.TYPE, Saturation.TYPE,
            Utility.TYPE));

    private BuiltIns() {
    }

    /** The built-in type called {@code name}, or null. */
    public static ProcessorType find(String name) {
        return TYPES.get(name);
    }

    /** Every built-in type, in the order the reference lists them. */
    public static List<ProcessorType> all() {
        return List.copyOf(TYPES.values());
    }

    private static Map<String, ProcessorType> index(List<ProcessorType> types) {
        Map<String, ProcessorType> byName = new LinkedHashMap<>();
        for (ProcessorType type : types) {
            byName.put(type.name(), type);
        }
        return byName;
    }
}
