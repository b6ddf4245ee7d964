package desk.engine.lv2;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.ProcessorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The LV2 plugins installed on this machine, found by liblilv in the usual places (and {@code LV2_PATH}), and
 * the host side of hosting them: the URID map and the features plugins are given. Found once per process, when
 * first asked; each plugin's data is read only when it is first needed (by URI, one plugin; by name, every
 * plugin's name; a listing, all of it). If liblilv is missing, it lists nothing and says why.
 * <p>
 * Threads: any thread; lilv is called under this object's lock.
 */
public final class Lv2World {
    private static final String LV2 = "http://lv2plug.in/ns/lv2core#";
    private static final String ATOM = "http://lv2plug.in/ns/ext/atom#";
    private static final String UNITS = "http://lv2plug.in/ns/extensions/units#";
    /** Insert members and insert() options a port symbol may not hide: such a parameter is {@code param_<symbol>}. */
    public static final Set<String> RESERVED_NAMES = Set.of("type", "strip", "index", "bypass", "parameters", "latency",
            "failed", "gainReduction", "sidechain", "sidechainFrom", "move", "remove", "lane", "lanes", "ramp", "at",
            "preset");
    private static final Map<String, String> UNIT_NAMES = Map.ofEntries(Map.entry("db", "dB"), Map.entry("hz", "Hz"),
            Map.entry("khz", "kHz"), Map.entry("mhz", "MHz"), Map.entry("ms", "ms"), Map.entry("s", "s"),
            Map.entry("pc", "%"), Map.entry("bpm", "bpm"), Map.entry("semitone12TET", "semitones"),
            Map.entry("cent", "cents"), Map.entry("oct", "octaves"), Map.entry("degree", "degrees"),
            Map.entry("frame", "frames"), Map.entry("min", "min"), Map.entry("midiNote", "note"));
    /** The rate the ranges {@link #plugins()} shows for rate-relative parameters are worked out at, Hz. */
    public static final int REFERENCE_RATE = 48_000;
    private static volatile Lv2World instance;
    /** The URI a saved state is given in its Turtle. */
    private static final String STATE_URI = "urn:desk:state";
    /** {@code LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE}: plain values that mean the same on another machine. */
    private static final int STATE_FLAGS = 1 | 2;

    private final Lilv lilv;
    private final Pointer world;
    private final String unavailable;
    private final Urids urids = new Urids();
    private final Map<Integer, Features> features = new HashMap<>();
    /** Every plugin lilv found, by URI: found at once, described (which reads its data) when first needed. */
    private final Map<String, Pointer> handles = new TreeMap<>();
    private final Map<String, Entry> described = new HashMap<>();
    /** Plugin names (lower case) to the URIs of the plugins that have them, read when a name is first looked up. */
    private Map<String, List<String>> byName;
    private Nodes nodes;
    private Lv2Presets presets;
    private final Map<String, ProcessorType> types = new HashMap<>();
    private int liveInstances;

    /** A plugin found, with what hosting it needs, whether it has the state interface and whether it uses a worker. */
    record Entry(Lv2Plugin plugin, Pointer handle, PortLayout layout, boolean keepsState, boolean usesWorker) {
    }

    private Lv2World() {
        Lilv loaded = null;
        Pointer made = null;
        String why = null;
        try {
            loaded = Lilv.load();
            Ffi.signature(Ffi.Type.POINTER);
            made = loaded.lilv_world_new();
            loaded.lilv_world_load_all(made);
        } catch (LinkageError | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            why = "LV2 plugins need liblilv-0 and libffi, which did not load (on Debian: apt-get install liblilv-0-0"
                    + " libffi8): " + String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
            loaded = null;
        }
        this.lilv = loaded;
        this.world = made;
        this.unavailable = why;
        if (lilv != null) {
            discover();
        }
    }

    /** The plugins of this process, found the first time this is called. */
    public static Lv2World get() {
        Lv2World world = instance;
        if (world == null) {
            synchronized (Lv2World.class) {
                world = instance;
                if (world == null) {
                    world = new Lv2World();
                    instance = world;
                }
            }
        }
        return world;
    }

    /** Why no plugin can be hosted here at all (liblilv missing), or null. */
    public String unavailable() {
        return unavailable;
    }

    /**
     * Every installed plugin, hostable or not, by URI, with the ranges of parameters the plugin gives relative to the
     * sample rate worked out at {@code sampleRate}.
     */
    public synchronized List<Lv2Plugin> plugins(int sampleRate) {
        return handles.keySet().stream().map(uri -> atRate(described(uri), sampleRate)).toList();
    }

    /**
     * As {@link #plugins(int)}, those whose name, URI or class contains {@code filter} (ignoring case).
     */
    public synchronized List<Lv2Plugin> plugins(String filter, int sampleRate) {
        String wanted = filter.toLowerCase(Locale.ROOT);
        return plugins(sampleRate).stream()
                .filter(p -> p.name().toLowerCase(Locale.ROOT).contains(wanted)
                        || p.uri().toLowerCase(Locale.ROOT).contains(wanted)
                        || p.pluginClass().toLowerCase(Locale.ROOT).contains(wanted))
                .toList();
    }

    /**
     * The plugin with URI {@code uriOrName}, else the one plugin with that name (ignoring case), at
     * {@code sampleRate} as in {@link #plugins(int)}; null when none has it or several share the name.
     */
    public synchronized Lv2Plugin find(String uriOrName, int sampleRate) {
        Entry entry = entry(uriOrName);
        return entry == null ? null : atRate(entry, sampleRate);
    }

    /** What a refusal of {@code uriOrName} says: none has it, or several share its name. */
    public synchronized String whyNotFound(String uriOrName) {
        if (unavailable != null) {
            return unavailable;
        }
        List<String> named = names().getOrDefault(uriOrName.toLowerCase(Locale.ROOT), List.of());
        if (named.size() > 1) {
            return "several LV2 plugins are called \"" + uriOrName + "\": insert one by its URI, "
                    + String.join(" or ", named);
        }
        return "no installed LV2 plugin has the URI or name \"" + uriOrName + "\" (session.plugins() lists the "
                + handles.size() + " installed)";
    }

    /** The insert type of a plugin at {@code sampleRate}, made once per rate; null when it is not found. */
    public synchronized ProcessorType type(String uriOrName, int sampleRate) {
        Entry entry = entry(uriOrName);
        if (entry == null) {
            return null;
        }
        Lv2Plugin plugin = atRate(entry, sampleRate);
        return types.computeIfAbsent(plugin.uri() + " " + sampleRate, key -> new ProcessorType(plugin.typeName(),
                plugin.name() + " (LV2 " + plugin.pluginClass().toLowerCase(Locale.ROOT) + " plugin)",
                plugin.parameters(), plugin.sideChainInputs() > 0, () -> new Lv2Processor(this, entry)));
    }

    private Entry entry(String uriOrName) {
        if (handles.containsKey(uriOrName)) {
            return described(uriOrName);
        }
        List<String> named = names().getOrDefault(uriOrName.toLowerCase(Locale.ROOT), List.of());
        return named.size() == 1 ? described(named.get(0)) : null;
    }

    /** The plugin with URI {@code uri}, described the first time it is asked for. */
    private Entry described(String uri) {
        return described.computeIfAbsent(uri, key -> describe(handles.get(key), nodes));
    }

    /** Every plugin's name, read from its data the first time a plugin is looked up by name. */
    private Map<String, List<String>> names() {
        if (byName == null) {
            byName = new HashMap<>();
            handles.forEach((uri, plugin) -> {
                Pointer node = lilv.lilv_plugin_get_name(plugin);
                String name = node == null ? uri : lilv.lilv_node_as_string(node);
                if (node != null) {
                    lilv.lilv_node_free(node);
                }
                byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(uri);
            });
        }
        return byName;
    }

    /**
     * A new instance of {@code entry}'s plugin at {@code sampleRate}, given the features Desk gives and, with a
     * worker, its schedule; or throws saying why not.
     */
    synchronized Pointer instantiate(Entry entry, int sampleRate, Worker worker) {
        Pointer made = lilv.lilv_plugin_instantiate(entry.handle(), sampleRate, features(sampleRate, worker));
        if (made == null) {
            throw new IllegalStateException(entry.plugin().name() + " refused to start at " + sampleRate + " Hz");
        }
        liveInstances++;
        return made;
    }

    /**
     * What {@code instance} keeps beyond its ports, as Turtle (lilv's state format), through the plugin's state
     * interface; null for a plugin without one. Its port values are not in it: they are Desk's parameters.
     */
    synchronized String saveState(Entry entry, Pointer instance, int sampleRate) {
        if (!entry.keepsState()) {
            return null;
        }
        Pointer state = lilv.lilv_state_new_from_instance(entry.handle(), instance, urids.mapStruct(), null, null, null,
                null, null, null, STATE_FLAGS, features(sampleRate).array());
        if (state == null) {
            return null;
        }
        try {
            return turtle(state);
        } finally {
            lilv.lilv_state_free(state);
        }
    }

    /** {@code state} as the Turtle an insert's state holds, or null if lilv cannot write it. */
    String turtle(Pointer state) {
        Pointer text = lilv.lilv_state_to_string(world, urids.mapStruct(), urids.unmapStruct(), state, STATE_URI, null);
        if (text == null) {
            return null;
        }
        try {
            return text.getString(0, "UTF-8");
        } finally {
            lilv.lilv_free(text);
        }
    }

    /** The labels of the presets installed for {@code uriOrName}, sorted; empty for none or an unknown plugin. */
    public synchronized List<String> presets(String uriOrName) {
        Entry entry = entry(uriOrName);
        return entry == null ? List.of() : presets.labels(entry);
    }

    /**
     * The preset labelled {@code label} (any case) of {@code uriOrName}, its values as Desk holds them at
     * {@code sampleRate}; null when it has none by that label. Throws if lilv cannot read it.
     */
    public synchronized Lv2Preset preset(String uriOrName, String label, int sampleRate) {
        Entry entry = entry(uriOrName);
        return entry == null ? null : presets.preset(entry, label, atRate(entry, sampleRate).parameters());
    }

    /**
     * Restores what {@link #saveState} gave into {@code instance}, before it first runs (a plugin with a worker may
     * schedule work as it does); throws if it cannot.
     */
    synchronized void restoreState(Entry entry, Pointer instance, int sampleRate, Worker worker, String text) {
        // liblilv reads state naming no preset through a null pointer, so such text is refused before it gets there.
        if (!text.contains("Preset") || !text.contains("appliesTo")) {
            throw new IllegalArgumentException("its state is not lilv state (Turtle) Desk can read: it names no preset"
                    + " (a pset:Preset with lv2:appliesTo)");
        }
        Pointer state = lilv.lilv_state_new_from_string(world, urids.mapStruct(), text);
        if (state == null) {
            throw new IllegalArgumentException("its state is not lilv state (Turtle) Desk can read");
        }
        try {
            lilv.lilv_state_restore(state, instance, null, null, STATE_FLAGS, features(sampleRate, worker));
        } finally {
            lilv.lilv_state_free(state);
        }
    }

    private Features features(int sampleRate) {
        return features.computeIfAbsent(sampleRate, rate -> new Features(urids, rate));
    }

    /** The features for one instance: those of the rate, and the worker's schedule if it has a worker. */
    private Pointer features(int sampleRate, Worker worker) {
        return worker == null ? features(sampleRate).array()
                : worker.features(features(sampleRate));
    }

    /** Frees an instance made by {@link #instantiate}. */
    synchronized void free(Pointer instance) {
        lilv.lilv_instance_free(instance);
        liveInstances--;
    }

    /** How many plugin instances are alive in this process (made and not yet freed). */
    public synchronized int liveInstances() {
        return liveInstances;
    }

    /** The URID of {@code uri}. */
    int urid(String uri) {
        return urids.map(uri);
    }

    private void discover() {
        Pointer all = lilv.lilv_world_get_all_plugins(world);
        nodes = new Nodes();
        presets = new Lv2Presets(this, lilv, world, urids);
        for (Pointer i = lilv.lilv_plugins_begin(all); !lilv.lilv_plugins_is_end(all, i); i = lilv.lilv_plugins_next(all, i)) {
            Pointer plugin = lilv.lilv_plugins_get(all, i);
            handles.put(lilv.lilv_node_as_uri(lilv.lilv_plugin_get_uri(plugin)), plugin);
        }
    }

    /** The URIs lilv is asked about, made once. */
    private final class Nodes {
        final Pointer audio = uri(LV2 + "AudioPort");
        final Pointer control = uri(LV2 + "ControlPort");
        final Pointer cv = uri(LV2 + "CVPort");
        final Pointer atom = uri(ATOM + "AtomPort");
        final Pointer input = uri(LV2 + "InputPort");
        final Pointer output = uri(LV2 + "OutputPort");
        final Pointer optional = uri(LV2 + "connectionOptional");
        final Pointer toggled = uri(LV2 + "toggled");
        final Pointer enumeration = uri(LV2 + "enumeration");
        final Pointer sampleRate = uri(LV2 + "sampleRate");
        final Pointer sequence = uri(ATOM + "Sequence");
        final Pointer bufferType = uri(ATOM + "bufferType");
        final Pointer unit = uri(UNITS + "unit");
        final Pointer sideChain = uri(LV2 + "isSideChain");
        final Pointer stateInterface = uri("http://lv2plug.in/ns/ext/state#interface");
        final Pointer workerInterface = uri(Worker.INTERFACE);
        final Pointer rdfType = uri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
        final Pointer minimumSize = uri("http://lv2plug.in/ns/ext/resize-port#minimumSize");
        final Pointer requiredOption = uri("http://lv2plug.in/ns/ext/options#requiredOption");

        private Pointer uri(String text) {
            return lilv.lilv_new_uri(world, text);
        }
    }

    private Entry describe(Pointer plugin, Nodes n) {
        String uri = lilv.lilv_node_as_uri(lilv.lilv_plugin_get_uri(plugin));
        Pointer nameNode = lilv.lilv_plugin_get_name(plugin);
        String name = nameNode == null ? uri : lilv.lilv_node_as_string(nameNode);
        if (nameNode != null) {
            lilv.lilv_node_free(nameNode);
        }
        String pluginClass = className(plugin, n);
        List<String> problems = new ArrayList<>();
        if (!lilv.lilv_plugin_verify(plugin)) {
            problems.add("its description does not verify");
        }
        boolean usesWorker = lilv.lilv_plugin_has_extension_data(plugin, n.workerInterface);
        for (String feature : strings(lilv.lilv_plugin_get_required_features(plugin))) {
            if (feature.equals(Worker.SCHEDULE) && usesWorker) {
                if (Worker.UNAVAILABLE != null) {
                    problems.add(Worker.UNAVAILABLE);
                }
            } else if (!Features.GIVEN.contains(feature) && !Features.PLUGIN_ONLY.contains(feature)) {
                problems.add("it needs the host feature " + feature + ", which Desk does not give yet");
            }
        }
        Pointer uis = pluginClass.equals("Analyser") ? lilv.lilv_plugin_get_uis(plugin) : null;
        int windows = uis == null ? 0 : lilv.lilv_uis_size(uis);
        if (uis != null) {
            lilv.lilv_uis_free(uis);
        }
        if (windows > 0) {
            problems.add("it is an analyser that shows what it measures only in its own window (its UI), which Desk"
                    + " cannot open; Desk's meters read levels in scripts");
        }
        Pointer options = lilv.lilv_world_find_nodes(world, lilv.lilv_plugin_get_uri(plugin), n.requiredOption, null);
        for (String option : strings(options)) {
            if (!Features.OPTIONS.contains(option)) {
                problems.add("it needs the option " + option + ", which Desk does not give");
            }
        }
        int count = lilv.lilv_plugin_get_num_ports(plugin);
        int latencyPort = lilv.lilv_plugin_has_latency(plugin) ? lilv.lilv_plugin_get_latency_port_index(plugin) : -1;
        List<Integer> audioIn = new ArrayList<>();
        List<Integer> sideIn = new ArrayList<>();
        int[] atomBytes = new int[count];
        List<Integer> audioOut = new ArrayList<>();
        List<Integer> controlOut = new ArrayList<>();
        List<Integer> atomIn = new ArrayList<>();
        List<Integer> atomOut = new ArrayList<>();
        List<Integer> optional = new ArrayList<>();
        List<Integer> parameterPorts = new ArrayList<>();
        List<float[]> choiceValues = new ArrayList<>();
        List<double[]> rateBounds = new ArrayList<>();
        List<InsertParameter> parameters = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int index = 0; index < count; index++) {
            Pointer port = lilv.lilv_plugin_get_port_by_index(plugin, index);
            String symbol = lilv.lilv_node_as_string(lilv.lilv_port_get_symbol(plugin, port));
            boolean in = lilv.lilv_port_is_a(plugin, port, n.input);
            boolean out = lilv.lilv_port_is_a(plugin, port, n.output);
            if (lilv.lilv_port_is_a(plugin, port, n.audio)) {
                (!in ? audioOut : lilv.lilv_port_has_property(plugin, port, n.sideChain) ? sideIn : audioIn).add(index);
            } else if (lilv.lilv_port_is_a(plugin, port, n.control) && in) {
                Parameter made = parameter(plugin, port, symbol, names, n);
                names.add(made.parameter().name());
                parameters.add(made.parameter());
                parameterPorts.add(index);
                choiceValues.add(made.choiceValues());
                rateBounds.add(made.rateBounds());
            } else if (lilv.lilv_port_is_a(plugin, port, n.control) && out) {
                controlOut.add(index);
            } else if (lilv.lilv_port_is_a(plugin, port, n.atom) && sequence(plugin, port, n)) {
                (in ? atomIn : atomOut).add(index);
                atomBytes[index] = Math.max(Lv2Instance.ATOM_BYTES, (int) Math.min(1 << 24,
                        number(lilv.lilv_port_get(plugin, port, n.minimumSize), 0)));
            } else if (lilv.lilv_port_has_property(plugin, port, n.optional)) {
                optional.add(index);
            } else {
                problems.add("its port \"" + symbol + "\" is " + (lilv.lilv_port_is_a(plugin, port, n.cv) ? "a CV port"
                        : "of a kind") + ", which Desk does not connect");
            }
        }
        if (audioIn.isEmpty()) {
            problems.add("it takes no audio input (an instrument or a generator)");
        } else if (audioIn.size() != audioOut.size()) {
            problems.add("it takes " + audioIn.size() + " audio inputs and gives " + audioOut.size()
                    + " outputs: Desk hosts plugins with as many outputs as inputs");
        } else if (audioIn.size() > 2) {
            problems.add("it takes " + audioIn.size() + " audio channels: strips have 1 or 2");
        }
        Lv2Plugin described = new Lv2Plugin(uri, name, pluginClass, audioIn.size(), audioOut.size(), sideIn.size(),
                parameters, latencyPort >= 0, problems.isEmpty() ? null : problems.get(0));
        PortLayout layout = new PortLayout(count, ints(audioIn), ints(audioOut), ints(sideIn), ints(parameterPorts),
                choiceValues.toArray(float[][]::new), rateBounds.toArray(double[][]::new), ints(controlOut), ints(atomIn), ints(atomOut), atomBytes,
                ints(optional), latencyPort);
        return new Entry(described, plugin, layout, lilv.lilv_plugin_has_extension_data(plugin, n.stateInterface),
                usesWorker && Worker.UNAVAILABLE == null);
    }

    private record Parameter(InsertParameter parameter, float[] choiceValues, double[] rateBounds) {
    }

    /**
     * A plugin's class name: "Compressor" for lv2:CompressorPlugin, read from the class's URI, since its label
     * comes only with the LV2 specification's own data. Without that data (few systems install it) lilv knows
     * every plugin only as an lv2:Plugin, so the class is then read from the plugin's own types.
     */
    private String className(Pointer plugin, Nodes n) {
        String uri = lilv.lilv_node_as_uri(lilv.lilv_plugin_class_get_uri(lilv.lilv_plugin_get_class(plugin)));
        if (uri == null || uri.equals(LV2 + "Plugin")) {
            uri = strings(lilv.lilv_plugin_get_value(plugin, n.rdfType)).stream()
                    .filter(type -> type.startsWith(LV2) && type.endsWith("Plugin") && !type.equals(LV2 + "Plugin"))
                    .sorted().findFirst().orElse(uri);
        }
        String name = uri == null ? "" : uri.substring(Math.max(uri.lastIndexOf('#'), uri.lastIndexOf('/')) + 1);
        if (name.endsWith("Plugin") && name.length() > "Plugin".length()) {
            name = name.substring(0, name.length() - "Plugin".length());
        }
        return name.isEmpty() ? "Plugin" : name;
    }

    private Parameter parameter(Pointer plugin, Pointer port, String symbol, Set<String> taken, Nodes n) {
        String name = RESERVED_NAMES.contains(symbol) || taken.contains(symbol) ? "param_" + symbol : symbol;
        Pointer label = lilv.lilv_port_get_name(plugin, port);
        String help = label == null ? symbol : lilv.lilv_node_as_string(label);
        if (label != null) {
            lilv.lilv_node_free(label);
        }
        PointerByReference deflt = new PointerByReference();
        PointerByReference min = new PointerByReference();
        PointerByReference max = new PointerByReference();
        lilv.lilv_port_get_range(plugin, port, deflt, min, max);
        double low = number(min.getValue(), Double.NaN);
        double high = number(max.getValue(), Double.NaN);
        double initial = number(deflt.getValue(), Double.NaN);
        if (lilv.lilv_port_has_property(plugin, port, n.toggled)) {
            return new Parameter(InsertParameter.toggle(name, initial >= 0.5 * (Double.isNaN(high) ? 1 : high)
                    && !Double.isNaN(initial), help), null, null);
        }
        if (lilv.lilv_port_has_property(plugin, port, n.enumeration)) {
            Parameter choice = choice(plugin, port, name, help, initial);
            if (choice != null) {
                return choice;
            }
        }
        if (Double.isNaN(low)) {
            low = Double.isNaN(high) ? -1e6 : Math.min(0, high);
        }
        if (Double.isNaN(high) || high < low) {
            high = Math.max(low, 1e6);
        }
        if (lilv.lilv_port_has_property(plugin, port, n.sampleRate)) {
            double[] bounds = {low, high, initial};
            return new Parameter(frequency(name, help, bounds, REFERENCE_RATE), null, bounds);
        }
        initial = Double.isNaN(initial) ? Math.max(low, Math.min(high, 0)) : Math.max(low, Math.min(high, initial));
        return new Parameter(InsertParameter.number(name, unit(plugin, port, n), low, high, initial, help), null, null);
    }

    /**
     * A parameter whose bounds the plugin gives as fractions of the sample rate ({@code lv2:sampleRate}), in Hz at
     * {@code sampleRate}: {@code bounds} holds the two fractions and the default (in Hz, NaN if none).
     */
    private static InsertParameter frequency(String name, String help, double[] bounds, int sampleRate) {
        double low = bounds[0] * sampleRate;
        double high = bounds[1] * sampleRate;
        double initial = Double.isNaN(bounds[2]) ? low : Math.max(low, Math.min(high, bounds[2]));
        return InsertParameter.number(name, "Hz", low, high, initial, help);
    }

    /** {@code entry}'s plugin with the ranges of its rate-relative parameters worked out at {@code sampleRate}. */
    private static Lv2Plugin atRate(Entry entry, int sampleRate) {
        double[][] bounds = entry.layout().rateBounds();
        Lv2Plugin plugin = entry.plugin();
        if (sampleRate == REFERENCE_RATE || Arrays.stream(bounds).allMatch(b -> b == null)) {
            return plugin;
        }
        List<InsertParameter> parameters = new ArrayList<>(plugin.parameters());
        for (int i = 0; i < bounds.length; i++) {
            if (bounds[i] != null) {
                InsertParameter was = parameters.get(i);
                parameters.set(i, frequency(was.name(), was.help(), bounds[i], sampleRate));
            }
        }
        return new Lv2Plugin(plugin.uri(), plugin.name(), plugin.pluginClass(), plugin.audioInputs(),
                plugin.audioOutputs(), plugin.sideChainInputs(), parameters, plugin.reportsLatency(), plugin.problem());
    }

    private Parameter choice(Pointer plugin, Pointer port, String name, String help, double initial) {
        Pointer points = lilv.lilv_port_get_scale_points(plugin, port);
        if (points == null) {
            return null;
        }
        TreeMap<Float, String> byValue = new TreeMap<>(Comparator.naturalOrder());
        for (Pointer i = lilv.lilv_scale_points_begin(points); !lilv.lilv_scale_points_is_end(points, i);
             i = lilv.lilv_scale_points_next(points, i)) {
            Pointer point = lilv.lilv_scale_points_get(points, i);
            float value = lilv.lilv_node_as_float(lilv.lilv_scale_point_get_value(point));
            String label = lilv.lilv_node_as_string(lilv.lilv_scale_point_get_label(point));
            byValue.putIfAbsent(value, label);
        }
        lilv.lilv_scale_points_free(points);
        if (byValue.size() < 2 || new LinkedHashSet<>(byValue.values()).size() != byValue.size()) {
            return null;
        }
        List<String> labels = new ArrayList<>(byValue.values());
        float[] values = new float[labels.size()];
        int k = 0;
        int start = 0;
        for (Float value : byValue.keySet()) {
            if (value == (float) initial) {
                start = k;
            }
            values[k++] = value;
        }
        return new Parameter(InsertParameter.choice(name, labels, labels.get(start), help), values, null);
    }

    private String unit(Pointer plugin, Pointer port, Nodes n) {
        Pointer unit = lilv.lilv_port_get(plugin, port, n.unit);
        if (unit == null) {
            return "";
        }
        String uri = lilv.lilv_node_as_string(unit);
        lilv.lilv_node_free(unit);
        return uri != null && uri.startsWith(UNITS) ? UNIT_NAMES.getOrDefault(uri.substring(UNITS.length()), "") : "";
    }

    private boolean sequence(Pointer plugin, Pointer port, Nodes n) {
        Pointer type = lilv.lilv_port_get(plugin, port, n.bufferType);
        if (type == null) {
            return false;
        }
        boolean sequence = (ATOM + "Sequence").equals(lilv.lilv_node_as_string(type));
        lilv.lilv_node_free(type);
        return sequence;
    }

    private double number(Pointer node, double otherwise) {
        if (node == null) {
            return otherwise;
        }
        double value = lilv.lilv_node_is_float(node) || lilv.lilv_node_is_int(node)
                ? Double.parseDouble(Float.toString(lilv.lilv_node_as_float(node))) : otherwise;
        lilv.lilv_node_free(node);
        return Double.isFinite(value) ? value : otherwise;
    }

    private List<String> strings(Pointer nodes) {
        List<String> found = new ArrayList<>();
        if (nodes == null) {
            return found;
        }
        for (Pointer i = lilv.lilv_nodes_begin(nodes); !lilv.lilv_nodes_is_end(nodes, i); i = lilv.lilv_nodes_next(nodes, i)) {
            found.add(lilv.lilv_node_as_string(lilv.lilv_nodes_get(nodes, i)));
        }
        lilv.lilv_nodes_free(nodes);
        return found;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
