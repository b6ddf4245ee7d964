package desk.repl;

import desk.engine.lv2.Lv2Plugin;
import desk.engine.lv2.Lv2World;
import desk.session.Choices;
import desk.session.Session;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Tab offers inside quotes: the values the place before the opening quote accepts, the same in
 * JavaScript and Python ({@code vox.input = "} capture ports, {@code session.generator("} the generator
 * types, {@code kind: "} or {@code kind="} the bus kinds, and so on), each list taken from the session or
 * from the code that checks the value; anywhere else every name the session knows.
 * <p>
 * Threads: the session's control thread (it reads the session's tracks, buses and ports).
 */
final class QuotedNames {
    /** A list literal of strings being typed ({@code ["system:capture_1", }), looked through to what it is given to. */
    private static final Pattern LIST_SO_FAR = Pattern.compile("\\[\\s*(?:(?:\"[^\"]*\"|'[^']*'|null|None)\\s*,\\s*)*$");

    /** A place a quoted value goes, and what it takes there. */
    private record Place(Pattern before, Function<Session, List<String>> values) {
        Place(String before, Function<Session, List<String>> values) {
            this(Pattern.compile(before + "\\s*$"), values);
        }
    }

    private static final String OPTION = "(?:^|[\\s,{(])[\"']?";
    private static final String IS = "[\"']?\\s*[:=]";

    private static final List<Place> PLACES = List.of(
            new Place("\\.input\\s*=", Session::inputs),
            new Place("\\.output\\s*=", QuotedNames::outputs),
            new Place("\\.send\\(", QuotedNames::buses),
            new Place("\\.(?:connectOut|disconnectOut)\\(", Session::outputs),
            new Place("\\.generator\\(", session -> Choices.generatorTypes()),
            new Place(OPTION + "color" + IS, session -> Choices.NOISE_COLORS),
            new Place("\\.insert\\(", QuotedNames::insertTypes),
            new Place("\\bsession\\.plugins\\(", QuotedNames::pluginNames),
            new Place(OPTION + "kind" + IS, session -> Choices.busKinds()),
            new Place("\\.monitoring\\s*=", session -> Choices.monitoringModes()),
            new Place("\\bsession\\.track\\(", QuotedNames::tracks),
            new Place("\\bsession\\.bus\\(", QuotedNames::buses),
            new Place("\\bsession\\.find\\(", QuotedNames::strips));

    private QuotedNames() {
    }

    /**
     * Where the string the end of {@code line} is inside opens: the index of its opening quote, or -1 when
     * the end of the line is outside any string. Quotes inside a string of the other kind, and escaped
     * quotes, do not count.
     */
    static int openQuote(String line) {
        int open = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (open < 0) {
                if (c == '"' || c == '\'' || c == '`') {
                    open = i;
                }
            } else if (c == '\\') {
                i++;
            } else if (c == line.charAt(open)) {
                open = -1;
            }
        }
        return open;
    }

    /** The values to offer inside a string whose opening quote follows {@code before}. */
    static List<String> values(String before, Session session) {
        String place = LIST_SO_FAR.matcher(before).replaceFirst("");
        for (Place known : PLACES) {
            if (known.before().matcher(place).find()) {
                return known.values().apply(session);
            }
        }
        return everything(session);
    }

    /** Every name and word the session knows, for a string whose place is not one of the known ones. */
    static List<String> everything(Session session) {
        Set<String> names = new LinkedHashSet<>(strips(session));
        names.addAll(session.inputs());
        names.addAll(session.outputs());
        names.addAll(Choices.generatorTypes());
        names.addAll(Choices.NOISE_COLORS);
        names.addAll(Choices.busKinds());
        names.addAll(Choices.insertTypes());
        return List.copyOf(names);
    }

    /**
     * What {@code insert} takes: the built-in types, then every LV2 plugin Desk can host, as {@code "lv2:"} and its
     * URI, and as {@code "lv2:"} and its name when no other plugin has it.
     */
    private static List<String> insertTypes(Session session) {
        List<String> types = new ArrayList<>(Choices.insertTypes());
        List<Lv2Plugin> plugins = Lv2World.get().plugins(session.sampleRate());
        Map<String, Long> names = plugins.stream().collect(Collectors.groupingBy(Lv2Plugin::name, Collectors.counting()));
        for (Lv2Plugin plugin : plugins) {
            if (plugin.hostable()) {
                types.add(plugin.typeName());
                if (names.get(plugin.name()) == 1) {
                    types.add(Lv2Plugin.PREFIX + plugin.name());
                }
            }
        }
        return types;
    }

    /** The installed plugins' names, for {@code session.plugins(...)}. */
    private static List<String> pluginNames(Session session) {
        return Lv2World.get().plugins(session.sampleRate()).stream().map(Lv2Plugin::name).distinct().toList();
    }

    private static List<String> tracks(Session session) {
        return session.tracks().stream().map(track -> track.name()).toList();
    }

    private static List<String> buses(Session session) {
        return session.buses().stream().map(bus -> bus.name()).toList();
    }

    /** What {@code output} takes by name: a bus, or the master. */
    private static List<String> outputs(Session session) {
        List<String> names = new ArrayList<>(buses(session));
        names.add(session.master().name());
        return names;
    }

    /** What {@code session.find} finds: the tracks, the buses and the master. */
    private static List<String> strips(Session session) {
        List<String> names = new ArrayList<>(tracks(session));
        names.addAll(outputs(session));
        return names;
    }
}
