package desk.script;

import desk.session.Bus;
import desk.session.DeskException;
import desk.session.Strip;
import desk.session.Track;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A Java API object as scripts see it: its {@link ApiType}'s properties and methods, and nothing else. Setting
 * an unknown member or a read-only property is refused with the members that exist; reading a near miss of
 * a member ({@code vox.fadr}) is refused with the member meant ("did you mean fader?"), while other unknown
 * names read as absent, so {@code "x" in vox} stays false; {@code toString} gives the object's one-line
 * description.
 * <p>
 * Threads: the script thread.
 */
public final class ApiObject implements ProxyObject {
    /** Every API object's one-line description, as a method. */
    static final String TO_STRING = "toString";
    /** The member names, for language preludes (hidden from listings). */
    static final String MEMBERS = "__desk_members__";
    /** A number that stays the same for the object's life, for Python's hash (hidden from listings). */
    static final String IDENTITY = "__desk_id__";
    /** What to say about a name that is not a member, for Python's AttributeError (hidden from listings). */
    static final String NO_MEMBER = "__desk_no_member__";

    /** The object it was made for; a track that moved to another engine is followed (see {@link #target()}). */
    private final Object original;
    private final ApiType<Object> type;
    private final ApiRegistry registry;

    ApiObject(Object target, ApiType<Object> type, ApiRegistry registry) {
        this.original = target;
        this.type = type;
        this.registry = registry;
    }

    /**
     * The Java object behind it: for a strip, the one it is now (made again by an undo or a redo, or moved to
     * another engine).
     */
    public Object target() {
        return original instanceof Strip strip ? strip.current() : original;
    }

    /** Its API type. */
    public ApiType<Object> type() {
        return type;
    }

    @Override
    public Object getMember(String key) {
        Object target = target();
        ApiType.Member<Object> member = type.members(target).get(key);
        if (member != null) {
            registry.recordUse(type, key);
        }
        if (member instanceof ApiType.Property<Object> property) {
            return registry.toScript(property.getter().get(target));
        }
        if (member instanceof ApiType.Method<Object> method) {
            return (ProxyExecutable) arguments -> registry.toScript(method.invoker().invoke(target,
                    new Arguments(type.label(target) + "." + method.name(), arguments, !method.options().isEmpty())));
        }
        if (TO_STRING.equals(key)) {
            return (ProxyExecutable) arguments -> type.show(target);
        }
        if (MEMBERS.equals(key)) {
            return getMemberKeys();
        }
        if (IDENTITY.equals(key)) {
            return System.identityHashCode(original);
        }
        if (NO_MEMBER.equals(key)) {
            return (ProxyExecutable) arguments -> noMember(arguments[0].asString());
        }
        throw new DeskException(noMember(key));
    }

    /** "Track has no member "fadr": did you mean fader?", or the members there are when none is close. */
    private String noMember(String key) {
        return type.name() + " has no member \"" + key + "\"" + ApiRegistry.suggestion(type.members(target()).keySet(), key);
    }

    /**
     * How a refusal names it, briefly: {@code track "Vox"}, {@code bus "Drums"}, {@code session.master}, or its
     * type's label for other objects.
     */
    String brief() {
        Object target = target();
        if (target instanceof Track track) {
            return "track \"" + track.name() + "\"";
        }
        if (target instanceof Bus bus) {
            return bus.kind() == Bus.Kind.MASTER ? "session.master" : "bus \"" + bus.name() + "\"";
        }
        return type.label(target);
    }

    @Override
    public Object getMemberKeys() {
        Object target = target();
        List<Object> keys = new ArrayList<>(type.members(target).keySet());
        return ProxyArray.fromList(keys);
    }

    @Override
    public boolean hasMember(String key) {
        Object target = target();
        return type.members(target).containsKey(key) || TO_STRING.equals(key) || MEMBERS.equals(key)
                || IDENTITY.equals(key) || NO_MEMBER.equals(key) || ApiRegistry.isNearMiss(type.members(target).keySet(), key);
    }

    @Override
    public void putMember(String key, Value value) {
        Object target = target();
        ApiType.Member<Object> member = type.members(target).get(key);
        if (member != null) {
            registry.recordUse(type, key);
        }
        String label = type.label(target) + "." + key;
        if (member instanceof ApiType.Property<Object> property) {
            if (property.setter() == null) {
                throw new DeskException(label + " is read-only");
            }
            property.setter().set(target, value);
            return;
        }
        if (member instanceof ApiType.Method<Object>) {
            throw new DeskException(label + " is a method: call it, " + key + "(...)");
        }
        throw new DeskException(noMember(key));
    }

    @Override
    public boolean removeMember(String key) {
        Object target = target();
        throw new DeskException(type.label(target) + "." + key + " cannot be deleted");
    }

    @Override
    public String toString() {
        return type.show(target());
    }
}
