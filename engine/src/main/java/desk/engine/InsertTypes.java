package desk.engine;

import desk.engine.fx.BuiltIns;
import desk.engine.insert.ProcessorType;
import desk.engine.lv2.Lv2Plugin;
import desk.engine.lv2.Lv2World;

import java.util.stream.Collectors;

/**
 * Every kind of insert a strip takes, by the name scripts and session files use: a built-in ({@code "eq"},
 * {@code "compressor"}, ...) or an installed LV2 plugin ({@code "lv2:"} and its URI, or its name when no other
 * plugin has it). Any thread.
 */
public final class InsertTypes {
    private InsertTypes() {
    }

    /**
     * The type called {@code name} in a session at {@code sampleRate} (a plugin may give its ranges relative to the
     * rate), or null when there is none or it cannot be hosted.
     */
    public static ProcessorType find(String name, int sampleRate) {
        if (name == null) {
            return null;
        }
        if (name.startsWith(Lv2Plugin.PREFIX)) {
            Lv2World world = Lv2World.get();
            Lv2Plugin plugin = world.find(name.substring(Lv2Plugin.PREFIX.length()), sampleRate);
            return plugin == null || !plugin.hostable() ? null : world.type(plugin.uri(), sampleRate);
        }
        return BuiltIns.find(name);
    }

    /** Why {@link #find} gives no type for {@code name}, in words that end a refusal naming it. */
    public static String whyNot(String name) {
        if (name != null && name.startsWith(Lv2Plugin.PREFIX)) {
            String wanted = name.substring(Lv2Plugin.PREFIX.length());
            Lv2World world = Lv2World.get();
            Lv2Plugin plugin = world.find(wanted, Lv2World.REFERENCE_RATE);
            if (plugin == null) {
                return world.whyNotFound(wanted);
            }
            return plugin.name() + " (" + plugin.uri() + ") cannot be hosted: " + plugin.problem();
        }
        return "the inserts are " + BuiltIns.all().stream().map(t -> "\"" + t.name() + "\"")
                .collect(Collectors.joining(", ")) + ", or an LV2 plugin as \"lv2:<URI or name>\"";
    }
}
