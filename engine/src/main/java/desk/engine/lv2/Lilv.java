package desk.engine.lv2;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of liblilv (the LV2 host library) Desk calls, through JNA: the world of installed plugins, their ports
 * and data, and instantiation. lilv's own inline functions (run, connect_port, activate) are reached through the
 * plugin's descriptor instead. Threads: the control thread (one call at a time, under {@link Lv2World}'s lock).
 */
interface Lilv extends Library {
    /** Loads liblilv-0, or throws {@link UnsatisfiedLinkError}. */
    static Lilv load() {
        return Native.load("lilv-0", Lilv.class);
    }

    Pointer lilv_world_new();

    void lilv_world_load_all(Pointer world);

    Pointer lilv_world_get_all_plugins(Pointer world);

    Pointer lilv_new_uri(Pointer world, String uri);

    Pointer lilv_world_find_nodes(Pointer world, Pointer subject, Pointer predicate, Pointer object);

    Pointer lilv_plugins_begin(Pointer plugins);

    Pointer lilv_plugins_get(Pointer plugins, Pointer iterator);

    Pointer lilv_plugins_next(Pointer plugins, Pointer iterator);

    boolean lilv_plugins_is_end(Pointer plugins, Pointer iterator);

    Pointer lilv_plugin_get_uri(Pointer plugin);

    Pointer lilv_plugin_get_name(Pointer plugin);

    Pointer lilv_plugin_get_class(Pointer plugin);

    Pointer lilv_plugin_class_get_uri(Pointer pluginClass);

    int lilv_plugin_get_num_ports(Pointer plugin);

    Pointer lilv_plugin_get_port_by_index(Pointer plugin, int index);

    Pointer lilv_plugin_get_required_features(Pointer plugin);

    Pointer lilv_plugin_get_uis(Pointer plugin);

    Pointer lilv_plugin_get_value(Pointer plugin, Pointer predicate);

    Pointer lilv_plugin_get_related(Pointer plugin, Pointer type);

    int lilv_world_load_resource(Pointer world, Pointer resource);

    Pointer lilv_world_get(Pointer world, Pointer subject, Pointer predicate, Pointer object);

    Pointer lilv_state_new_from_world(Pointer world, Pointer map, Pointer node);

    int lilv_state_get_num_properties(Pointer state);

    void lilv_state_emit_port_values(Pointer state, PortValues setValue, Pointer userData);

    /** {@code LilvSetPortValueFunc}: a port's value in a state, by the port's symbol. */
    interface PortValues extends com.sun.jna.Callback {
        void invoke(String symbol, Pointer userData, Pointer value, int size, int type);
    }

    int lilv_uis_size(Pointer uis);

    void lilv_uis_free(Pointer uis);

    boolean lilv_plugin_has_latency(Pointer plugin);

    int lilv_plugin_get_latency_port_index(Pointer plugin);

    boolean lilv_plugin_verify(Pointer plugin);

    boolean lilv_plugin_has_extension_data(Pointer plugin, Pointer uri);

    Pointer lilv_plugin_instantiate(Pointer plugin, double sampleRate, Pointer features);

    void lilv_instance_free(Pointer instance);

    Pointer lilv_state_new_from_instance(Pointer plugin, Pointer instance, Pointer map, String scratchDir,
                                         String copyDir, String linkDir, String saveDir, Pointer getValue,
                                         Pointer userData, int flags, Pointer features);

    Pointer lilv_state_to_string(Pointer world, Pointer map, Pointer unmap, Pointer state, String uri, String baseUri);

    Pointer lilv_state_new_from_string(Pointer world, Pointer map, String text);

    void lilv_state_restore(Pointer state, Pointer instance, Pointer setValue, Pointer userData, int flags,
                            Pointer features);

    void lilv_state_free(Pointer state);

    void lilv_free(Pointer pointer);

    boolean lilv_port_is_a(Pointer plugin, Pointer port, Pointer portClass);

    boolean lilv_port_has_property(Pointer plugin, Pointer port, Pointer property);

    boolean lilv_port_supports_event(Pointer plugin, Pointer port, Pointer eventType);

    Pointer lilv_port_get_symbol(Pointer plugin, Pointer port);

    Pointer lilv_port_get_name(Pointer plugin, Pointer port);

    Pointer lilv_port_get(Pointer plugin, Pointer port, Pointer predicate);

    void lilv_port_get_range(Pointer plugin, Pointer port, PointerByReference deflt, PointerByReference min,
                             PointerByReference max);

    Pointer lilv_port_get_scale_points(Pointer plugin, Pointer port);

    Pointer lilv_scale_points_begin(Pointer points);

    Pointer lilv_scale_points_get(Pointer points, Pointer iterator);

    Pointer lilv_scale_points_next(Pointer points, Pointer iterator);

    boolean lilv_scale_points_is_end(Pointer points, Pointer iterator);

    void lilv_scale_points_free(Pointer points);

    Pointer lilv_scale_point_get_label(Pointer point);

    Pointer lilv_scale_point_get_value(Pointer point);

    Pointer lilv_nodes_begin(Pointer nodes);

    Pointer lilv_nodes_get(Pointer nodes, Pointer iterator);

    Pointer lilv_nodes_next(Pointer nodes, Pointer iterator);

    boolean lilv_nodes_is_end(Pointer nodes, Pointer iterator);

    void lilv_nodes_free(Pointer nodes);

    String lilv_node_as_uri(Pointer node);

    String lilv_node_as_string(Pointer node);

    float lilv_node_as_float(Pointer node);

    boolean lilv_node_is_float(Pointer node);

    boolean lilv_node_is_int(Pointer node);

    void lilv_node_free(Pointer node);
}
