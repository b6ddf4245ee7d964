package desk.engine.lv2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A preset of an LV2 plugin, from the plugin's data: its label, the values it gives the plugin's parameters (by
 * Desk's parameter name, as Desk holds them: a choice's index, a switch's 0 or 1, a number within its range) and
 * what it gives beyond them, as the Turtle an insert's state holds (null when nothing). Immutable; any thread.
 *
 * @param label  its name, as the plugin's data gives it
 * @param values its parameter values, in the plugin's parameter order
 * @param state  its state beyond the parameters (a file a convolver loads, say), or null
 */
public record Lv2Preset(String label, Map<String, Double> values, String state) {
    public Lv2Preset {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
