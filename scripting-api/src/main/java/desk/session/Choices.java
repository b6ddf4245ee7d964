package desk.session;

import desk.engine.GeneratorType;
import desk.engine.MonitorMode;
import desk.engine.fx.BuiltIns;

import java.util.ArrayList;
import java.util.List;

/**
 * The words scripts give as text where a fixed set is accepted, read from the code that checks them: each
 * check's refusal ("must be ...") and the REPL's completion inside quotes take the same list, so the two
 * cannot drift apart.
 * <p>
 * Threads: any thread; stateless.
 */
public final class Choices {
    /** A noise generator's colors. */
    public static final List<String> NOISE_COLORS = List.of("white", "pink");

    private Choices() {
    }

    /** The types {@code session.generator} makes, from the engine's own list. */
    public static List<String> generatorTypes() {
        List<String> names = new ArrayList<>();
        for (GeneratorType type : GeneratorType.values()) {
            names.add(type.scriptName());
        }
        return List.copyOf(names);
    }

    /** The kinds {@code session.bus} makes (the master is there already, never made). */
    public static List<String> busKinds() {
        List<String> names = new ArrayList<>();
        for (Bus.Kind kind : Bus.Kind.values()) {
            if (kind != Bus.Kind.MASTER) {
                names.add(kind.scriptName());
            }
        }
        return List.copyOf(names);
    }

    /** What a track's {@code monitoring} takes. */
    public static List<String> monitoringModes() {
        List<String> names = new ArrayList<>();
        for (MonitorMode mode : MonitorMode.values()) {
            names.add(mode.scriptName());
        }
        return List.copyOf(names);
    }

    /** The built-in insert types {@code insert} takes. */
    public static List<String> insertTypes() {
        return BuiltIns.all().stream().map(type -> type.name()).toList();
    }

    /** The words as a refusal lists them: {@code a, b or c}, each in double quotes when {@code quoted}. */
    static String either(List<String> words, boolean quoted) {
        List<String> shown = quoted ? words.stream().map(word -> "\"" + word + "\"").toList() : words;
        if (shown.size() == 1) {
            return shown.getFirst();
        }
        return String.join(", ", shown.subList(0, shown.size() - 1)) + " or " + shown.getLast();
    }
}
