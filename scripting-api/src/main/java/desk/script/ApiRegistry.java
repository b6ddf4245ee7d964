package desk.script;

import desk.session.Strip;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
    /** At most this many edits make a near miss. */
    private static final int MAX_EDITS = 2;
    /** Member names JavaScript and Python read on any object to see what it is: never near misses. */
    private static final Source UNDEFINED = Source.create("js", "undefined");
    private static final Set<String> LANGUAGE_PROBES = Set.of("then", "toJSON", "valueOf", "constructor", "length");

    private final Map<Class<?>, ApiType<?>> types = new LinkedHashMap<>();
    private final Map<Object, ApiObject> entities = new WeakHashMap<>();
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    /** Each context's value for nothing (see {@link #nothing}). */
    private final Map<Context, Optional<Value>> undefined = new WeakHashMap<>();

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

    /**
     * What the language of the context that calls gives back for nothing: JavaScript's {@code undefined} (a
     * value of that context, looked up once), or null, which every other language shows as its own null.
     */
    private Object nothing() {
        Context current;
        try {
            current = Context.getCurrent();
        } catch (IllegalStateException outsideAnyContext) {
            return null;
        }
        return undefined.computeIfAbsent(current, ApiRegistry::undefinedIn).orElse(null);
    }

    private static Optional<Value> undefinedIn(Context context) {
        try {
            return Optional.of(context.eval(UNDEFINED));
        } catch (IllegalArgumentException notJavaScript) {
            return Optional.empty();
        }
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
     * object each, so identity holds in scripts (a strip made again by an undo keeps the object it had); values
     * such as meter readings get a fresh one. Whole numbers
     * (a track's channels, a sample position, a count) stay whole, so that Python sees an {@code int}.
     */
    @SuppressWarnings("unchecked")
    public synchronized Object toScript(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value == ApiType.NOTHING) {
            return nothing();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
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
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> converted = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                converted.put(String.valueOf(entry.getKey()), toScript(entry.getValue()));
            }
            return ProxyObject.fromMap(converted);
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
        Object entity = value instanceof Strip strip ? strip.first() : value;
        return entities.computeIfAbsent(entity, v -> new ApiObject(v, (ApiType<Object>) type, this));
    }

    /**
     * True when {@code key} is not a member but looks like a slip for one of {@code members}: within two edits
     * of it, or the start of it (three letters or more). Names the languages probe on any object (a
     * promise's {@code then}, {@code toJSON}, dunder names) never count.
     */
    static boolean isNearMiss(Collection<String> members, String key) {
        return closest(members, key) != null;
    }

    /** ": did you mean fader?" when {@code key} is a near miss of a member, else ": its members are ...". */
    static String suggestion(Collection<String> members, String key) {
        return suggestion(members, key, ": its members are ");
    }

    /** As {@link #suggestion(Collection, String)}, with {@code listed} before the names when none is close. */
    static String suggestion(Collection<String> names, String key, String listed) {
        String closest = closest(names, key);
        return closest != null ? ": did you mean " + closest + "?" : listed + String.join(", ", names);
    }

    private static String closest(Collection<String> members, String key) {
        if (key.startsWith("_") || LANGUAGE_PROBES.contains(key) || members.contains(key)) {
            return null;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String member : members) {
            String candidate = member.toLowerCase(Locale.ROOT);
            int distance = lower.length() >= 3 && candidate.startsWith(lower) ? 0 : distance(candidate, lower);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = member;
            }
        }
        return bestDistance <= Math.min(MAX_EDITS, (key.length() - 1) / 2) || bestDistance == 0 ? best : null;
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
