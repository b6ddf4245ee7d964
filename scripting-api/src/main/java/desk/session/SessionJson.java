package desk.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The text side of a session file: JSON written for people and diffs (objects one key per line in the order
 * they were built, arrays of plain values on one line, a lane's points one per line), read back with the line
 * of every value so that a refusal can say where, and written atomically beside the version it replaces.
 * <p>
 * Threads: any; no state.
 */
final class SessionJson {
    /** Reads numbers with Jackson's fast double parser: a session's lanes can hold millions of them. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());
    private static final JsonFactory FACTORY = JSON.getFactory();

    private SessionJson() {
    }

    /** A parsed file: its tree, and its text to find the line of a value in when a refusal needs it. */
    record Parsed(JsonNode root, String text) {
        /** The line of the value at {@code pointer} ("/tracks/0/fader"), or of its nearest enclosing value. */
        int lineOf(String pointer) {
            Map<String, Integer> lines = new HashMap<>();
            try (JsonParser parser = FACTORY.createParser(text)) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token != JsonToken.FIELD_NAME && token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
                        String at = parser.getParsingContext().pathAsPointer().toString();
                        if (pointer.startsWith(at)) {
                            lines.putIfAbsent(at, parser.currentTokenLocation().getLineNr());
                        }
                    }
                }
            } catch (IOException e) {
                return 1;
            }
            String at = pointer;
            while (!at.isEmpty()) {
                Integer line = lines.get(at);
                if (line != null) {
                    return line;
                }
                at = at.substring(0, at.lastIndexOf('/'));
            }
            return 1;
        }
    }

    /** Parses {@code text}, or throws {@link DeskException} naming {@code file} and the line where it stopped. */
    static Parsed parse(String text, String file) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || root.isMissingNode()) {
                throw new DeskException(file + ": empty: a session file is one JSON object");
            }
            return new Parsed(root, text);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage().lines().findFirst().orElse("invalid JSON");
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new DeskException(file + " line " + line + ": not valid JSON (" + problem + ")");
        }
    }

    /** The tree as text: two-space indents, arrays of plain values on one line, a newline at the end. */
    static String format(JsonNode node) {
        StringBuilder text = new StringBuilder();
        write(node, text, "");
        return text.append('\n').toString();
    }

    private static void write(JsonNode node, StringBuilder text, String indent) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                text.append("{}");
                return;
            }
            text.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                text.append(indent).append("  ").append(scalar(JSON.getNodeFactory().textNode(field.getKey())))
                        .append(": ");
                write(field.getValue(), text, indent + "  ");
                text.append(fields.hasNext() ? ",\n" : "\n");
            }
            text.append(indent).append('}');
        } else if (node.isArray()) {
            if (flat(node)) {
                text.append('[');
                for (int i = 0; i < node.size(); i++) {
                    text.append(i == 0 ? "" : ", ");
                    write(node.get(i), text, indent);
                }
                text.append(']');
                return;
            }
            text.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                text.append(indent).append("  ");
                write(node.get(i), text, indent + "  ");
                text.append(i + 1 < node.size() ? ",\n" : "\n");
            }
            text.append(indent).append(']');
        } else {
            text.append(scalar(node));
        }
    }

    /** Whether an array goes on one line: plain values, or a single short array of plain values. */
    private static boolean flat(JsonNode array) {
        for (JsonNode item : array) {
            if (item.isObject() || item.isArray() && item.size() > 4) {
                return false;
            }
            if (item.isArray()) {
                for (JsonNode inner : item) {
                    if (inner.isContainerNode()) {
                        return false;
                    }
                }
                return array.size() <= 1;
            }
        }
        return true;
    }

    /** A plain value as JSON; an infinite level is written as users write it, "-inf" (or "inf"). */
    private static String scalar(JsonNode node) {
        if (node.isTextual()) {
            return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                    .quoteAsString(node.textValue())) + "\"";
        }
        if (node.isNumber() && Double.isInfinite(node.doubleValue())) {
            return node.doubleValue() < 0 ? "\"-inf\"" : "\"inf\"";
        }
        if (node.isNumber() && Double.isNaN(node.doubleValue())) {
            return "null";
        }
        return node.asText();
    }

    /**
     * Writes {@code text} to {@code file} so that a crash leaves the old file or the new one, never a part:
     * into a new file beside it, forced to disk, the old one copied to {@code <file>.bak} if {@code keepBackup},
     * then renamed over it, and the folder forced too.
     */
    static void writeAtomically(Path file, String text, boolean keepBackup) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path fresh = folder.resolve(file.getFileName() + ".new");
        try (FileChannel channel = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        if (keepBackup && Files.exists(file)) {
            Files.copy(file, folder.resolve(file.getFileName() + ".bak"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
