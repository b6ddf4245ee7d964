package desk.repl;

import desk.script.ApiObject;
import desk.script.Language;
import org.graalvm.polyglot.Value;

/**
 * How the REPL shows a result: API objects by their one-line description, lists element by element, text
 * quoted the language's way, nothing for undefined, None or a statement. Threads: the script thread.
 */
final class ValueText {
    private static final int MAX_ELEMENTS = 100;

    private ValueText() {
    }

    /** The text to print for {@code value}, or null to print nothing. */
    static String of(Value value, Language language) {
        if (value == null || value.isNull()) {
            return language == Language.JS && value != null && value.toString().equals("null") ? "null" : null;
        }
        Value meta = value.getMetaObject();
        if (language == Language.PYTHON && meta != null && "module".equals(meta.getMetaSimpleName())) {
            return null;
        }
        return render(value, language, 0);
    }

    private static String render(Value value, Language language, int depth) {
        if (value.isNull()) {
            return language == Language.PYTHON ? "None" : "null";
        }
        if (value.isString()) {
            String quote = language == Language.PYTHON ? "'" : "\"";
            return quote + value.asString() + quote;
        }
        if (value.isProxyObject() && value.asProxyObject() instanceof ApiObject api) {
            return api.toString();
        }
        if (value.hasArrayElements() && depth < 3 && !value.hasMember("__desk_members__")) {
            StringBuilder text = new StringBuilder("[");
            long size = value.getArraySize();
            for (long i = 0; i < Math.min(size, MAX_ELEMENTS); i++) {
                text.append(i == 0 ? "" : ", ").append(render(value.getArrayElement(i), language, depth + 1));
            }
            if (size > MAX_ELEMENTS) {
                text.append(", ... (").append(size).append(" in all)");
            }
            return text.append(']').toString();
        }
        return value.toString();
    }
}
