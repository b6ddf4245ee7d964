package desk.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/**
 * Reading the values of a session file: each of a kind, or refused in one line that names the key and the
 * value and says what is allowed (the opener adds the file, the line and the place).
 * <p>
 * Threads: any; no state.
 */
final class SessionValues {
    private SessionValues() {
    }

    /** Whether channel {@code index} of a strip's {@code polarity} list is inverted. */
    static boolean channelInverted(JsonNode polarity, int index) {
        JsonNode value = polarity.get(index);
        if (!value.isBoolean()) {
            throw new DeskException("polarity " + polarity + ": must be true or false per channel");
        }
        return value.booleanValue();
    }

    static void object(JsonNode node, String what) {
        if (!node.isObject()) {
            throw new DeskException(what + " is a JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    static void keys(JsonNode node, Set<String> allowed, String what) {
        node.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                throw new DeskException("unknown key \"" + key + "\" in " + what + ": it has "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        });
    }

    static String name(JsonNode node) {
        object(node, "a strip");
        String name = SessionDocument.text(node, "name");
        if (name == null) {
            throw new DeskException("a strip needs a \"name\"");
        }
        return name;
    }

    static double number(JsonNode node, String key, double fallback) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? fallback : value(value, key);
    }

    static double value(JsonNode value, String key) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual() && (value.asText().equals("-inf") || value.asText().equals("inf"))) {
            return value.asText().equals("-inf") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        throw new DeskException(key + " " + value + ": must be a number (or \"-inf\")");
    }

    static int integer(JsonNode node, String key, int fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new DeskException(key + " " + value + ": must be a whole number");
        }
        return value.intValue();
    }

    static boolean bool(JsonNode node, String key, boolean fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new DeskException(key + " " + value + ": must be true or false");
        }
        return value.booleanValue();
    }

    static String text(JsonNode node, String key, String fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new DeskException(key + " " + value + ": must be text");
        }
        return value.asText();
    }
}
