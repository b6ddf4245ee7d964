package desk.script;

import org.graalvm.polyglot.proxy.ProxyArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API types scripts can see, and the conversion of Java values into script values: API objects become
 * {@link ApiObject}s, collections become arrays, numbers become doubles.
 * <p>
 * Threads: types are registered at start-up; conversion on any thread (the script thread, and the thread
 * that starts Python).
 */
public final class ApiRegistry {
    private final Map<Class<?>, ApiType<?>> types = new LinkedHashMap<>();
    private final Map<Object, ApiObject> entities = new WeakHashMap<>();
    private final Set<String> used = ConcurrentHashMap.newKeySet();

    /** Registers a type; its instances are shown to scripts through it. */
    public <T> void register(ApiType<T> type) {
        types.put(type.javaType(), type);
    }

    /** The registered types, in the order they were registered. */
    public Collection<ApiType<?>> types() {
        return types.values();
    }

    /** The type of API objects of {@code javaType}, or null. */
    public ApiType<?> typeOf(Class<?> javaType) {
        for (Class<?> c = javaType; c != null; c = c.getSuperclass()) {
            ApiType<?> type = types.get(c);
            if (type != null) {
                return type;
            }
        }
        return null;
    }

    /** The members scripts have read, set or called so far, as "Type.member". */
    public Set<String> usedMembers() {
        return Set.copyOf(used);
    }

    void recordUse(ApiType<?> type, String member) {
        used.add(type.name() + "." + member);
    }

    /**
     * A Java value as a script value. Entities (the session, tracks, buses, sends, sources) keep one script
     * object each, so identity holds in scripts; values such as meter readings get a fresh one.
     */
    @SuppressWarnings("unchecked")
    public synchronized Object toScript(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Collection<?> collection) {
            List<Object> converted = new ArrayList<>();
            for (Object element : collection) {
                converted.add(toScript(element));
            }
            return ProxyArray.fromList(converted);
        }
        if (value instanceof boolean[] flags) {
            List<Object> converted = new ArrayList<>();
            for (boolean flag : flags) {
                converted.add(flag);
            }
            return ProxyArray.fromList(converted);
        }
        ApiType<?> type = typeOf(value.getClass());
        if (type == null) {
            return value.toString();
        }
        if (value instanceof Record) {
            return new ApiObject(value, (ApiType<Object>) type, this);
        }
        return entities.computeIfAbsent(value, v -> new ApiObject(v, (ApiType<Object>) type, this));
    }

    /** " (did you mean fader?)" when a member name is close to {@code key}, else an empty string. */
    String suggestion(java.util.Collection<String> members, String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String member : members) {
            int distance = distance(member.toLowerCase(), key.toLowerCase());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = member;
            }
        }
        if (best != null && bestDistance <= Math.max(1, key.length() / 3)) {
            return ": did you mean " + best + "?";
        }
        return ": its members are " + String.join(", ", members);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
