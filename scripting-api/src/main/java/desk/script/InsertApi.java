package desk.script;

import desk.engine.InsertTypes;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.ProcessorType;
import desk.engine.lv2.Lv2Plugin;
import desk.engine.lv2.Lv2Preset;
import desk.engine.lv2.Lv2World;
import desk.session.DeskException;
import desk.session.Insert;
import desk.session.Session;
import desk.session.Strip;
import org.graalvm.polyglot.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of the script API that deals with inserts: a strip's {@code insert(...)}, {@code inserts} and
 * {@code latency}; the {@code Insert} type, whose parameters are properties named by its type
 * ({@code eq.b1_gain}, {@code comp.threshold}); and the descriptions of insert types and parameters.
 * Parameter values cross as users write them: numbers in the parameter's unit, choices by name, switches as
 * true or false, times also as note values synced to the tempo ("1/8.").
 * <p>
 * Threads: built once; used on the script thread.
 */
final class InsertApi {
    private static final String AT = "at";
    private static final String BYPASS = "bypass";
    private static final String PRESET = "preset";

    private InsertApi() {
    }

    /** Adds the insert members to a strip type. */
    static <T extends Strip> ApiType<T> stripMembers(ApiType<T> type) {
        return type
                .method("insert", "insert(type, {at, bypass, preset, <parameter>: value...})", "Adds an insert of"
                        + " type (\"eq\", \"compressor\", ... see session.insertTypes) and returns it: last in the"
                        + " chain, or at place at (0: first); its parameters by name; bypass true to add it bypassed;"
                        + " for an LV2 plugin, preset: one of its presets by name, the parameters given overriding it."
                        + " It fades in while playing.", Set.of(AT, BYPASS, PRESET), InsertApi::insert)
                .property("inserts", "The inserts, in the order they run (between trim and fader).", Strip::inserts)
                .property("latency", "The delay the strip's inserts add, samples (bypassed ones too).",
                        Strip::latency)
                .property("latencyMs", "The delay the strip's inserts add, milliseconds.",
                        s -> s.latency() * 1000.0 / s.session().sampleRate());
    }

    private static Insert insert(Strip strip, Arguments arguments) {
        String typeName = Convert.text(arguments.required(0, "an insert type"), arguments.method() + " type");
        ProcessorType type = InsertTypes.find(typeName, strip.session().sampleRate());
        Set<String> allowed = new java.util.TreeSet<>(Set.of(AT, BYPASS));
        if (type != null) {
            type.parameters().forEach(parameter -> allowed.add(parameter.name()));
        }
        boolean plugin = typeName.startsWith(Lv2Plugin.PREFIX);
        if (plugin) {
            allowed.add(PRESET);
        }
        arguments.check(1, type == null ? Set.copyOf(arguments.plainOptions().keySet()) : allowed);
        Value at = arguments.option(AT);
        Value bypass = arguments.option(BYPASS);
        Map<String, Double> settings = new LinkedHashMap<>();
        Lv2Preset preset = type != null && plugin ? preset(strip, typeName, arguments) : null;
        if (preset != null) {
            settings.putAll(preset.values());
        }
        Map<String, String> times = new LinkedHashMap<>();
        if (type != null) {
            for (InsertParameter parameter : type.parameters()) {
                Value value = arguments.option(parameter.name());
                if (value == null) {
                    continue;
                }
                String label = arguments.method() + " " + parameter.name();
                if (value.isString() && parameter.unit().equals("ms")) {
                    times.put(parameter.name(), value.asString());
                } else {
                    settings.put(parameter.name(), toEngine(parameter, value, label));
                }
            }
        }
        Insert insert = strip.insert(typeName, settings,
                at == null ? -1 : Convert.integer(at, arguments.method() + " at", 0, strip.inserts().size()),
                bypass != null && Convert.bool(bypass, arguments.method() + " bypass"),
                preset == null ? null : preset.state());
        times.forEach(insert::setTime);
        return insert;
    }

    /** The preset the {@code preset} option names, or null when it names none; refuses one the plugin lacks. */
    private static Lv2Preset preset(Strip strip, String typeName, Arguments arguments) {
        Value named = arguments.option(PRESET);
        if (named == null) {
            return null;
        }
        String label = Convert.text(named, arguments.method() + " preset");
        String plugin = typeName.substring(Lv2Plugin.PREFIX.length());
        Lv2World world = Lv2World.get();
        Lv2Preset preset;
        try {
            preset = world.preset(plugin, label, strip.session().sampleRate());
        } catch (IllegalArgumentException e) {
            throw new DeskException(arguments.method() + " preset \"" + label + "\": " + e.getMessage());
        }
        if (preset == null) {
            List<String> presets = world.presets(plugin);
            throw new DeskException(arguments.method() + " preset \"" + label + "\": the plugin has "
                    + (presets.isEmpty() ? "no presets" : "no preset by that name; its presets: "
                    + String.join(", ", presets)));
        }
        return preset;
    }

    /** The {@code Insert} type. */
    static ApiType<Insert> insertType(Session session) {
        return new ApiType<>("Insert", Insert.class, "An insert on a strip: a processor between trim and fader,"
                + " whose parameters are properties named by its type.", Insert::toString)
                .property("type", "The insert's type, e.g. \"eq\".", Insert::type)
                .property("strip", "The strip it is on.", Insert::strip)
                .property("index", "Its place in the chain, from 0.", Insert::index)
                .property(BYPASS, "Bypassed (true/false): crossfades to the dry signal, delayed by the insert's"
                        + " latency so nothing moves in time.", Insert::bypass,
                        (i, v) -> i.bypass(Convert.bool(v, i + ".bypass")))
                .property("parameters", "Its parameters: name, unit, min, max, default, choices, help.",
                        Insert::parameters)
                .property("latency", "The delay it adds, samples.", Insert::latency)
                .property("failed", "Why it is out of the chain (its plugin stopped the engine process), or null while"
                        + " it plays; a failed insert is saved as it is, and only remove() is taken.", Insert::failed)
                .property("gainReduction", "How far it turns the signal down now, dB (0: not at all); null for a"
                        + " processor without dynamics.", i -> nullIfNaN(i.gainReduction()))
                .property("sidechain", "The strip its side chain listens to (before its fader), or null for its own"
                        + " input; set it to a strip, or use sidechainFrom for another point.", Insert::sidechain,
                        (i, v) -> i.sidechain(v.isNull() ? null : strip(v, i + ".sidechain"), "pre"))
                .method("sidechainFrom", "sidechainFrom(strip, {point})", "Makes the side chain listen to strip at"
                        + " point \"pre\" (default), \"post\" or \"input\"; null for the insert's own input.",
                        Set.of("point"), (i, a) -> {
                        a.check(1, Set.of("point"));
                        Value source = a.required(0, "a strip or null");
                        Value point = a.option("point");
                        i.sidechain(source.isNull() ? null : strip(source, a.method()),
                                point == null ? "pre" : Convert.text(point, a.method() + " point"));
                        return ApiType.NOTHING;
                    })
                .method("move", "move(index)", "Moves it to place index of the chain (0: first), crossfading.",
                        Set.of(), (i, a) -> {
                        a.check(1, Set.of());
                        i.move(Convert.integer(a.required(0, "a place"), a.method() + " index", 0,
                                Math.max(0, i.strip().inserts().size() - 1)));
                        return ApiType.NOTHING;
                    })
                .method("remove", "remove()", "Removes it: it fades out of the chain.", Set.of(), (i, a) -> {
                    a.check(0, Set.of());
                    i.remove();
                    return ApiType.NOTHING;
                })
                .method("lane", "lane(parameter)", "The automation lane of a parameter (not of a choice or switch).",
                        Set.of(), (i, a) -> {
                        a.check(1, Set.of());
                        return i.lane(Convert.text(a.required(0, "a parameter name"), a.method() + " parameter"));
                    })
                .property("lanes", "The automation lanes made so far.", Insert::lanes)
                .method("ramp", "ramp(parameter, target, duration, {curve})", "Moves a parameter to target over"
                        + " duration (seconds or \"2 bars\"), sample-accurately, in a straight line in its unit"
                        + " (curve \"scurve\" or \"step\" otherwise).", Set.of("curve"), (i, a) -> {
                        a.check(3, Set.of("curve"));
                        String name = DeskApi.rampParameter(a);
                        InsertParameter parameter = i.parameter(name);
                        double target = toEngine(parameter, a.required(1, "a target"), a.method() + " target");
                        long samples = DeskApi.rampSamples(session, a);
                        Value curve = a.option("curve");
                        i.ramp(name, target, samples, curve == null ? null
                                : DeskApi.curve(curve, a.method() + " curve"));
                        return ApiType.NOTHING;
                    })
                .instanceMembers(InsertApi::parameterProperties);
    }

    /** One property per parameter of the insert's type, read and set as users write the values. */
    private static List<ApiType.Member<Insert>> parameterProperties(Insert insert) {
        List<ApiType.Member<Insert>> properties = new ArrayList<>();
        for (InsertParameter parameter : insert.parameters()) {
            properties.add(new ApiType.Property<>(parameter.name(), describe(parameter),
                    i -> toScript(parameter, i.get(parameter.name())), (i, v) -> {
                        if (v.isString() && parameter.unit().equals("ms")) {
                            i.refuseUnheard(parameter.name(), "\"" + v.asString() + "\"");
                            i.setTime(parameter.name(), v.asString());
                        } else {
                            double value = toEngine(parameter, v, i + "." + parameter.name());
                            i.refuseUnheard(parameter.name(), parameter.format(value));
                            i.set(parameter.name(), value);
                        }
                    }));
        }
        return properties;
    }

    /** The {@code InsertType} type: a kind of insert and its parameters. */
    static ApiType<ProcessorType> typeType() {
        return new ApiType<>("InsertType", ProcessorType.class, "A kind of insert: its name, what it does and its"
                + " parameters.", ProcessorType::name)
                .property("name", "The name to insert it by.", ProcessorType::name)
                .property("summary", "What it does.", ProcessorType::summary)
                .property("sidechain", "Whether it listens to a side chain.", ProcessorType::sideChain)
                .property("parameters", "Its parameters.", ProcessorType::parameters);
    }

    /** The {@code InsertParameter} type: one parameter's description. */
    static ApiType<InsertParameter> parameterType() {
        return new ApiType<>("InsertParameter", InsertParameter.class, "A parameter of an insert type: its name,"
                + " unit, range, default and choices.", InsertParameter::name)
                .property("name", "The property name.", InsertParameter::name)
                .property("unit", "Its unit: \"dB\", \"Hz\", \"ms\", \"%\" or \"\".", InsertParameter::unit)
                .property("min", "The lowest value (a choice: null).", p -> p.isChoice() ? null : p.min())
                .property("max", "The highest value (a choice: null).", p -> p.isChoice() ? null : p.max())
                .property("default", "The value a new insert starts with.", p -> toScript(p, p.initial()))
                .property("choices", "The names of its choices (a switch: true, false); empty for a number.",
                        p -> p.isToggle() ? List.of() : p.choices())
                .property("allowed", "What it accepts, in words.", InsertParameter::allowed)
                .property("help", "What it does.", InsertParameter::help);
    }

    /**
     * A parameter's value as the engine takes it: a number, a choice's index (the choice named in any case, or a
     * number that is one, as 24 for the slope "24"), a switch's 0 or 1.
     */
    static double toEngine(InsertParameter parameter, Value value, String label) {
        if (parameter.isToggle()) {
            return Convert.bool(value, label) ? 1 : 0;
        }
        if (parameter.isChoice()) {
            String text = value == null ? null : value.isString() ? value.asString()
                    : value.isNumber() ? desk.engine.Parameter.format(value.asDouble()) : null;
            for (int i = 0; text != null && i < parameter.choices().size(); i++) {
                if (parameter.choices().get(i).equalsIgnoreCase(text)) {
                    return i;
                }
            }
            throw new DeskException(label + " " + Convert.show(value) + ": must be " + parameter.allowed());
        }
        return Convert.number(value, label, parameter.allowed());
    }

    /** A parameter's value as scripts see it: a number, a choice's name, a switch's true or false. */
    static Object toScript(InsertParameter parameter, double value) {
        if (parameter.isToggle()) {
            return value >= 0.5;
        }
        if (parameter.isChoice()) {
            return parameter.choices().get((int) Math.max(0, Math.min(parameter.choices().size() - 1, value)));
        }
        return value;
    }

    private static String describe(InsertParameter parameter) {
        return parameter.help() + ": " + parameter.allowed() + " (default " + parameter.format(parameter.initial())
                + ").";
    }

    private static Strip strip(Value value, String label) {
        return Convert.api(value, Strip.class, label, "a track or bus");
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
