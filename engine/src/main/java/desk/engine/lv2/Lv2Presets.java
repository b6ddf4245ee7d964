package desk.engine.lv2;

import com.sun.jna.Pointer;
import desk.engine.insert.InsertParameter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The presets installed with LV2 plugins (a plugin's own bundle, or preset bundles beside it), read through
 * liblilv: their labels, and one preset as an {@link Lv2Preset}. Threads: used under {@link Lv2World}'s lock.
 */
final class Lv2Presets {
    private static final String ATOM = "http://lv2plug.in/ns/ext/atom#";

    private final Lv2World owner;
    private final Lilv lilv;
    private final Pointer world;
    private final Urids urids;
    private final Pointer presetClass;
    private final Pointer label;

    Lv2Presets(Lv2World owner, Lilv lilv, Pointer world, Urids urids) {
        this.owner = owner;
        this.lilv = lilv;
        this.world = world;
        this.urids = urids;
        this.presetClass = lilv.lilv_new_uri(world, "http://lv2plug.in/ns/ext/presets#Preset");
        this.label = lilv.lilv_new_uri(world, "http://www.w3.org/2000/01/rdf-schema#label");
    }

    /** The labels of {@code entry}'s presets, sorted, without repeats. */
    List<String> labels(Lv2World.Entry entry) {
        List<String> labels = new ArrayList<>();
        each(entry, (text, node) -> {
            if (!labels.contains(text)) {
                labels.add(text);
            }
            return false;
        });
        labels.sort(String.CASE_INSENSITIVE_ORDER);
        return labels;
    }

    /**
     * {@code entry}'s preset labelled {@code wanted} (any case), with its parameter values as {@code parameters}
     * (the plugin's, at the session's rate) hold them; null when it has none by that label.
     */
    Lv2Preset preset(Lv2World.Entry entry, String wanted, List<InsertParameter> parameters) {
        Lv2Preset[] found = new Lv2Preset[1];
        each(entry, (text, node) -> {
            if (!text.equalsIgnoreCase(wanted)) {
                return false;
            }
            found[0] = read(entry, text, node, parameters);
            return true;
        });
        return found[0];
    }

    private Lv2Preset read(Lv2World.Entry entry, String text, Pointer node, List<InsertParameter> parameters) {
        Pointer state = lilv.lilv_state_new_from_world(world, urids.mapStruct(), node);
        if (state == null) {
            throw new IllegalArgumentException("its preset \"" + text + "\" could not be read");
        }
        try {
            Map<String, Float> ports = new HashMap<>();
            int floatType = urids.map(ATOM + "Float");
            int doubleType = urids.map(ATOM + "Double");
            int intType = urids.map(ATOM + "Int");
            int boolType = urids.map(ATOM + "Bool");
            lilv.lilv_state_emit_port_values(state, (symbol, userData, value, size, type) -> {
                if (type == floatType && size == 4) {
                    ports.put(symbol, value.getFloat(0));
                } else if (type == doubleType && size == 8) {
                    ports.put(symbol, (float) value.getDouble(0));
                } else if ((type == intType || type == boolType) && size == 4) {
                    ports.put(symbol, (float) value.getInt(0));
                }
            }, null);
            Map<String, Double> values = new LinkedHashMap<>();
            int[] parameterPorts = entry.layout().parameterPort();
            for (int k = 0; k < parameterPorts.length; k++) {
                Float port = ports.get(symbol(entry, parameterPorts[k]));
                if (port != null) {
                    values.put(parameters.get(k).name(), value(parameters.get(k), entry.layout().choiceValues()[k],
                            port));
                }
            }
            String turtle = lilv.lilv_state_get_num_properties(state) > 0 ? owner.turtle(state) : null;
            return new Lv2Preset(text, values, turtle);
        } finally {
            lilv.lilv_state_free(state);
        }
    }

    /** The value Desk holds for a port value: a choice's index (the nearest), a switch's 0 or 1, a number in range. */
    private static double value(InsertParameter parameter, float[] choices, float port) {
        if (choices != null) {
            int nearest = 0;
            for (int i = 1; i < choices.length; i++) {
                if (Math.abs(choices[i] - port) < Math.abs(choices[nearest] - port)) {
                    nearest = i;
                }
            }
            return nearest;
        }
        if (parameter.isToggle()) {
            return port > 0 ? 1 : 0;
        }
        return Math.max(parameter.min(), Math.min(parameter.max(), port));
    }

    private String symbol(Lv2World.Entry entry, int port) {
        return lilv.lilv_node_as_string(lilv.lilv_port_get_symbol(entry.handle(),
                lilv.lilv_plugin_get_port_by_index(entry.handle(), port)));
    }

    /** Calls {@code visit} with each preset's label and node until it returns true. */
    private void each(Lv2World.Entry entry, BiPredicate<String, Pointer> visit) {
        Pointer related = lilv.lilv_plugin_get_related(entry.handle(), presetClass);
        if (related == null) {
            return;
        }
        try {
            for (Pointer i = lilv.lilv_nodes_begin(related); !lilv.lilv_nodes_is_end(related, i);
                 i = lilv.lilv_nodes_next(related, i)) {
                Pointer preset = lilv.lilv_nodes_get(related, i);
                lilv.lilv_world_load_resource(world, preset);
                Pointer name = lilv.lilv_world_get(world, preset, label, null);
                String text = name == null ? lilv.lilv_node_as_uri(preset) : lilv.lilv_node_as_string(name);
                if (name != null) {
                    lilv.lilv_node_free(name);
                }
                if (visit.test(text, preset)) {
                    return;
                }
            }
        } finally {
            lilv.lilv_nodes_free(related);
        }
    }
}
