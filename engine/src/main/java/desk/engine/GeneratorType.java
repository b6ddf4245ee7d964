package desk.engine;

import java.util.Locale;

/**
 * The kinds of test signal the engine generates. Immutable; any thread.
 */
public enum GeneratorType {
    /** A sine wave; its level is the peak level (which is also its RMS level by the AES17 convention). */
    SINE,
    /** A square wave alternating between +level and -level, not band-limited, so its peak and RMS are exact. */
    SQUARE,
    /** Seeded noise, white or pink; its level is the RMS level. */
    NOISE,
    /** Single-sample impulses of the given level, once or repeated. */
    IMPULSE,
    /** Digital silence. */
    SILENCE;

    /** The name scripts use: "sine", "square", "noise", "impulse" or "silence". */
    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a script name, or null if there is none. */
    public static GeneratorType ofScriptName(String name) {
        for (GeneratorType type : values()) {
            if (type.scriptName().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
