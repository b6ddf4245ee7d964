package desk.session;

import desk.engine.GeneratorSpec;
import desk.engine.GeneratorType;
import desk.engine.Parameter;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a test-signal generator from what a script gave: its type ("sine", "square", "noise", "impulse",
 * "silence") and options ({@code freq}, {@code level}, {@code color}, {@code seed}, {@code at}, {@code every}),
 * each checked, with one line naming the generator, the option and what it takes when one is wrong.
 * <p>
 * Threads: any thread; stateless.
 */
final class GeneratorOptions {
    private GeneratorOptions() {
    }

    /**
     * The generator {@code type} with {@code options}; an impulse's {@code at} counts from engine sample
     * {@code now}, its seconds at {@code sampleRate}.
     */
    static GeneratorSpec spec(String type, Map<String, ?> options, long now, int sampleRate) {
        GeneratorType parsed = GeneratorType.ofScriptName(type == null ? "" : type.toLowerCase(Locale.ROOT));
        if (parsed == null) {
            throw new DeskException("generator type \"" + type + "\": must be "
                    + Choices.either(Choices.generatorTypes(), false));
        }
        Set<String> allowed = switch (parsed) {
            case SINE, SQUARE -> Set.of("freq", "level");
            case NOISE -> Set.of("level", "color", "seed");
            case IMPULSE -> Set.of("level", "at", "every");
            case SILENCE -> Set.of();
        };
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new DeskException("generator " + parsed.scriptName() + " has no option \"" + key + "\""
                        + (allowed.isEmpty() ? ": it takes none" : ": it takes " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
        double level = number(options, "level", -20, parsed);
        return switch (parsed) {
            case SINE -> GeneratorSpec.sine(number(options, "freq", 1000, parsed), level);
            case SQUARE -> GeneratorSpec.square(number(options, "freq", 1000, parsed), level);
            case NOISE -> {
                Object color = options.containsKey("color") ? options.get("color") : "white";
                if (!Choices.NOISE_COLORS.contains(color)) {
                    throw new DeskException("generator noise color \"" + color + "\": must be "
                            + Choices.either(Choices.NOISE_COLORS, true));
                }
                double seed = number(options, "seed", 1, parsed);
                if (seed != Math.rint(seed) || Math.abs(seed) > 9.007199254740991E15) {
                    throw new DeskException("generator noise seed " + seed + ": must be a whole number");
                }
                yield GeneratorSpec.noise("pink".equals(color), level, (long) seed);
            }
            case IMPULSE -> GeneratorSpec.impulse(level, now + samples(options, "at", parsed, sampleRate),
                    samples(options, "every", parsed, sampleRate));
            case SILENCE -> GeneratorSpec.silence();
        };
    }

    private static double number(Map<String, ?> options, String key, double fallback, GeneratorType type) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new DeskException("generator " + type.scriptName() + " " + key + " " + Session.describe(value)
                + ": must be a number");
    }

    /** Option {@code key} in seconds (0..{@link Session#MAX_SECONDS}), as samples at {@code sampleRate}. */
    private static long samples(Map<String, ?> options, String key, GeneratorType type, int sampleRate) {
        double value = number(options, key, 0, type);
        if (!(value >= 0 && value <= Session.MAX_SECONDS)) {
            throw new DeskException("generator impulse " + key + " " + Parameter.format(value) + ": must be 0.."
                    + (long) Session.MAX_SECONDS + " seconds");
        }
        return Math.round(value * sampleRate);
    }
}
