package desk.script;

import desk.engine.lv2.Lv2Plugin;
import desk.engine.lv2.Lv2World;
import desk.session.Session;
import org.graalvm.polyglot.Value;

import java.util.Set;

/**
 * The script API of hosted plugins: {@code session.plugins(filter)} lists the LV2 plugins installed here, each a
 * {@code Plugin} that says whether Desk can host it and, if not, why. A hostable one goes on a strip with
 * {@code strip.insert("lv2:<URI or name>", {...})}.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class PluginApi {
    private PluginApi() {
    }

    /** Adds {@code plugins} to the session type. */
    static ApiType<Session> sessionMembers(ApiType<Session> type) {
        return type.method("plugins", "plugins(filter)", "The LV2 plugins installed here (in the usual folders and"
                + " LV2_PATH), by URI: all of them, or those whose name, URI or class contains filter (any case)."
                + " Insert one with strip.insert(\"lv2:\" + plugin.uri).", Set.of(), (s, a) -> {
                    a.check(1, Set.of());
                    Value filter = a.optional(0);
                    Lv2World world = Lv2World.get();
                    if (world.unavailable() != null) {
                        s.notice(world.unavailable());
                    }
                    return filter == null || filter.isNull() ? world.plugins(s.sampleRate())
                            : world.plugins(Convert.text(filter, a.method() + " filter"), s.sampleRate());
                });
    }

    /** The {@code Plugin} type. */
    static ApiType<Lv2Plugin> pluginType() {
        return new ApiType<>("Plugin", Lv2Plugin.class, "An installed LV2 plugin: what it is, its parameters, and"
                + " whether Desk can host it.", p -> "plugin \"" + p.name() + "\"")
                .property("uri", "Its URI, which the session file keeps.", Lv2Plugin::uri)
                .property("name", "Its name; insert(\"lv2:\" + name) works when no other plugin has it.",
                        Lv2Plugin::name)
                .property("type", "The insert type that puts it on a strip: \"lv2:\" and its URI.",
                        Lv2Plugin::typeName)
                .property("class", "Its class, e.g. \"Compressor\", \"Filter\", \"Delay\".", Lv2Plugin::pluginClass)
                .property("inputs", "Its audio inputs: 1 (a mono plugin, run as a pair on stereo strips) or 2.",
                        Lv2Plugin::audioInputs)
                .property("outputs", "Its audio outputs.", Lv2Plugin::audioOutputs)
                .property("parameters", "Its parameters (its control inputs, named by their port symbols): name,"
                        + " unit, min, max, default, choices; ranges the plugin gives relative to the sample rate are"
                        + " in Hz at the session's rate.", Lv2Plugin::parameters)
                .property("sidechain", "Whether it has side-chain inputs, which listen to insert.sidechain.",
                        p -> p.sideChainInputs() > 0)
                .property("reportsLatency", "Whether it reports the delay it adds (delay compensation takes it in).",
                        Lv2Plugin::reportsLatency)
                .property("presets", "The names of its presets (installed with it), sorted; insert one with"
                        + " insert(type, {preset: name}).", p -> Lv2World.get().presets(p.uri()))
                .property("hostable", "Whether Desk can host it.", Lv2Plugin::hostable)
                .property("problem", "Why Desk cannot host it, in words; null when it can.", Lv2Plugin::problem);
    }
}
