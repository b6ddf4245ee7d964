package desk.script;

import org.graalvm.polyglot.Value;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The members an API type shows to scripts: properties (read, and set where allowed) and methods, each with
 * the help text users see and the API reference documents. One table serves JavaScript and Python, the
 * REPL's completion and {@code :help}, and the test that checks the reference.
 * <p>
 * Threads: built once at start-up; read by any thread afterwards.
 */
public final class ApiType<T> {
    /** Reads a property of a target. */
    @FunctionalInterface
    public interface Getter<T> {
        /** The property's value (a Java value {@link ApiObject} can show to scripts). */
        Object get(T target);
    }

    /** Sets a property of a target from a script value. */
    @FunctionalInterface
    public interface Setter<T> {
        /** Applies {@code value}, or throws a DeskException and changes nothing. */
        void set(T target, Value value);
    }

    /** Runs a method of a target. */
    @FunctionalInterface
    public interface Invoker<T> {
        /** The method's result (a Java value, or null). */
        Object invoke(T target, Arguments arguments);
    }

    /** A member of a type. */
    public sealed interface Member<T> permits Property, Method {
        /** The member's name. */
        String name();

        /** What it is, with its units and range. */
        String help();
    }

    /** A property: read-only when {@code setter} is null. */
    public record Property<T>(String name, String help, Getter<T> getter, Setter<T> setter) implements Member<T> {
    }

    /** A method: {@code signature} shows how to call it, {@code options} the names it takes as options. */
    public record Method<T>(String name, String signature, String help, Set<String> options, Invoker<T> invoker)
            implements Member<T> {
    }

    /**
     * What a method that gives nothing back returns: JavaScript sees {@code undefined} (so the REPL echoes
     * nothing after {@code session.play()}), Python {@code None}.
     */
    public static final Object NOTHING = new Object() {
        @Override
        public String toString() {
            return "nothing";
        }
    };

    private final String name;
    private final Class<T> javaType;
    private final String help;
    private final Function<T, String> label;
    private final Map<String, Member<T>> members = new LinkedHashMap<>();
    private Function<T, List<Member<T>>> instanceMembers = target -> List.of();
    private Function<T, String> shown = Object::toString;

    /** A type called {@code name} for Java objects of {@code javaType}; {@code label} names an instance in messages. */
    public ApiType(String name, Class<T> javaType, String help, Function<T, String> label) {
        this.name = name;
        this.javaType = javaType;
        this.help = help;
        this.label = label;
    }

    /** Sets how an instance shows in scripts (its {@code toString}, a REPL's echo): its Java form unless set. */
    public ApiType<T> shown(Function<T, String> form) {
        this.shown = form;
        return this;
    }

    /** How {@code target} shows in scripts. */
    public String show(T target) {
        return shown.apply(target);
    }

    /** Adds a read-only property. */
    public ApiType<T> property(String member, String text, Getter<T> getter) {
        return property(member, text, getter, null);
    }

    /** Adds a property that scripts can also set. */
    public ApiType<T> property(String member, String text, Getter<T> getter, Setter<T> setter) {
        members.put(member, new Property<>(member, text, getter, setter));
        return this;
    }

    /** Adds a method. */
    public ApiType<T> method(String member, String signature, String text, Set<String> options, Invoker<T> invoker) {
        members.put(member, new Method<>(member, signature, text, options, invoker));
        return this;
    }

    /** Adds a method that takes no arguments and returns nothing, e.g. {@code play()}. */
    public ApiType<T> action(String member, String text, java.util.function.Consumer<T> action) {
        return method(member, member + "()", text, Set.of(), (target, arguments) -> {
            arguments.check(0, Set.of());
            action.accept(target);
            return NOTHING;
        });
    }

    /**
     * Adds members that depend on the instance, such as an insert's parameters (an EQ has {@code b1_freq}, a
     * compressor {@code threshold}); they come after the type's own.
     */
    public ApiType<T> instanceMembers(Function<T, List<Member<T>>> members) {
        this.instanceMembers = members;
        return this;
    }

    /** The members of {@code target}: the type's own, then its instance's. */
    public Map<String, Member<T>> members(T target) {
        List<Member<T>> extra = instanceMembers.apply(target);
        if (extra.isEmpty()) {
            return members();
        }
        Map<String, Member<T>> all = new LinkedHashMap<>(members);
        for (Member<T> member : extra) {
            all.put(member.name(), member);
        }
        return Collections.unmodifiableMap(all);
    }

    /** The type's name, e.g. "Track". */
    public String name() {
        return name;
    }

    /** What the type is, in a sentence. */
    public String help() {
        return help;
    }

    /** The Java class of its instances. */
    public Class<T> javaType() {
        return javaType;
    }

    /** How messages name an instance, e.g. "Vox" for a track. */
    public String label(T target) {
        return label.apply(target);
    }

    /** Its members by name, in the order they were declared. */
    public Map<String, Member<T>> members() {
        return Collections.unmodifiableMap(members);
    }
}
