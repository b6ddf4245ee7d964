package desk.engine.lv2;

import desk.engine.insert.InsertParameter;

import java.util.List;

/**
 * An installed LV2 plugin as Desk sees it: its URI and name, its class, its audio ports (side-chain inputs apart),
 * its parameters (its
 * control input ports, named by their symbols, with their ranges, units and defaults), whether it reports its
 * latency, and, when Desk cannot host it, why. Immutable; any thread.
 *
 * @param uri            the plugin's URI, which the session file keeps
 * @param name           its name, which scripts may insert it by when no other plugin has it
 * @param pluginClass    its class's label, e.g. "Compressor", "Filter"
 * @param audioInputs    its audio input ports
 * @param audioOutputs   its audio output ports
 * @param sideChainInputs its side-chain audio inputs, which listen to the key signal (another strip), if any
 * @param parameters     its control inputs, in the order its processor addresses them
 * @param reportsLatency whether a port reports the delay it adds
 * @param problem        why Desk cannot host it, in words; null when it can
 */
public record Lv2Plugin(String uri, String name, String pluginClass, int audioInputs, int audioOutputs,
                        int sideChainInputs, List<InsertParameter> parameters, boolean reportsLatency, String problem) {
    /** What an insert type name starts with when it names an LV2 plugin: {@code "lv2:"} and the URI or name. */
    public static final String PREFIX = "lv2:";

    public Lv2Plugin {
        parameters = List.copyOf(parameters);
    }

    /** Whether Desk can host it. */
    public boolean hostable() {
        return problem == null;
    }

    /** The insert type name strips know it by: {@code "lv2:"} and its URI. */
    public String typeName() {
        return PREFIX + uri;
    }

    /**
     * Why it cannot go on a strip of {@code channels} channels, or null when it can: a plugin runs once per strip
     * when it has as many audio inputs as the strip has channels, and as a pair when it is mono on a stereo strip.
     */
    public String problemOn(int channels) {
        if (problem != null) {
            return problem;
        }
        if (audioInputs == channels || audioInputs == 1 && channels == 2) {
            return null;
        }
        return "it takes " + audioInputs + " audio inputs, so it goes on " + (audioInputs == 2 ? "stereo" : "mono")
                + " strips (a mono plugin runs as a pair on a stereo strip), not on a " + (channels == 1 ? "mono"
                : channels + "-channel") + " one";
    }

    /** How many copies run side by side on a strip of {@code channels} channels. */
    int instancesOn(int channels) {
        return channels / audioInputs;
    }
}
