package desk.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import desk.engine.AutomationLane;
import desk.engine.Interpolation;
import desk.engine.Limits;
import desk.engine.Parameter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
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

    /** Where a parser reads a file's text from, again when a refusal needs the line of a value. */
    @FunctionalInterface
    interface Text {
        JsonParser open() throws IOException;
    }

    /**
     * A parsed file, or a part of one: its tree, and its text to find the line of a value in when a refusal needs
     * it; {@code base} is where the tree sits in the file ("" for the whole file, "/nodes/0" for a node's part).
     */
    record Parsed(JsonNode root, Text text, String base) {
        /** A whole file. */
        Parsed(JsonNode root, Text text) {
            this(root, text, "");
        }

        /** The line of the value at {@code inTree} ("/tracks/0/fader"), or of its nearest enclosing value. */
        int lineOf(String inTree) {
            String pointer = base + inTree;
            Map<String, Integer> lines = new HashMap<>();
            try (JsonParser parser = text.open()) {
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

    /**
     * Parses {@code path} (UTF-8), or throws {@link DeskException} naming {@code file} and the line where it
     * stopped, or why it cannot be read. Lanes' points are read straight into {@link LanePoints}, times rounded
     * to samples at {@code rate}. A file up to {@link LaneSplit#MAX_WHOLE_BYTES} (and a quarter of the heap) is
     * read whole and its lanes on every core ({@link LaneSplit}); a larger one, or one that does not read so,
     * as it streams, a megabyte at a time.
     */
    static Parsed parse(Path path, String file, int rate) {
        Text text = () -> FACTORY.createParser(new BufferedInputStream(Files.newInputStream(path), 1 << 20));
        Parsed split = readApart(path, file, rate, text);
        return split != null ? split : parseStreaming(text, file, rate);
    }

    /** {@code path} read whole with its lanes apart, or null; its bytes are let go of on return either way. */
    private static Parsed readApart(Path path, String file, int rate, Text text) {
        byte[] bytes = LaneSplit.readWhole(path);
        return bytes == null ? null : LaneSplit.parse(bytes, FACTORY, file, rate, text);
    }

    /** As {@link #parse(Path, String, int)}, from {@code bytes}. */
    static Parsed parse(byte[] bytes, String file, int rate) {
        Text text = () -> FACTORY.createParser(bytes);
        Parsed split = LaneSplit.parse(bytes, FACTORY, file, rate, text);
        return split != null ? split : parseStreaming(text, file, rate);
    }

    /** As {@link #parse(byte[], String, int)}, the ordinary way only: token by token, lanes as ever. */
    static Parsed parseStreaming(byte[] bytes, String file, int rate) {
        return parseStreaming(() -> FACTORY.createParser(bytes), file, rate);
    }

    /** The factory the session files' parsers come from. */
    static JsonFactory factory() {
        return FACTORY;
    }

    /**
     * Reads the file with the lanes' numbers turned into values on another core; a lane with a point out of
     * range has the file read again point by point, to name that point's line.
     */
    private static Parsed parseStreaming(Text text, String file, int rate) {
        try {
            return parse(text, file, rate, false);
        } catch (TreeReader.BadPoint e) {
            return parse(text, file, rate, true);
        }
    }

    private static Parsed parse(Text text, String file, int rate, boolean pointByPoint) {
        try (JsonParser parser = text.open()) {
            try {
                if (parser.nextToken() == null) {
                    throw new DeskException(file + ": empty: a session file is one JSON object");
                }
                TreeReader reader = new TreeReader(parser, file, rate, pointByPoint);
                JsonNode root = reader.value(null);
                reader.finish(root);
                if (parser.nextToken() != null) {
                    throw new DeskException(file + " line " + parser.currentTokenLocation().getLineNr()
                            + ": not valid JSON (more after the end of the session object)");
                }
                return new Parsed(root, text);
            } catch (JsonProcessingException e) {
                throw invalid(e, parser, file);
            }
        } catch (IOException e) {
            throw new DeskException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * The refusal of a file that is not valid JSON: the line Jackson names, or where the parser stopped when it
     * names none (a number too long), and the problem without the name of the parser's setting that refused it.
     */
    private static DeskException invalid(JsonProcessingException e, JsonParser parser, String file) {
        String problem = e.getOriginalMessage().lines().findFirst().orElse("invalid JSON")
                .replaceAll(", from `[^`]*`", "");
        int line = (e.getLocation() != null ? e.getLocation() : parser.currentLocation()).getLineNr();
        return new DeskException(file + " line " + line + ": not valid JSON (" + problem + ")");
    }

    /** The tree as text: two-space indents, arrays of plain values on one line, a newline at the end. */
    static String format(JsonNode node) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            write(node, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the tree as {@link #format} would into {@code out}; lanes' points whose text is not made yet are
     * made on every core as the writing goes ({@link LaneTexts}).
     */
    static void write(JsonNode node, OutputStream out) throws IOException {
        List<Map.Entry<LanePoints, Integer>> unwritten = new ArrayList<>();
        lanes(node, 0, unwritten);
        Writer writer = new Writer(out, new LaneTexts(unwritten));
        writer.write(node, "");
        writer.text.append('\n');
        writer.flush();
    }

    private static void lanes(JsonNode node, int indent, List<Map.Entry<LanePoints, Integer>> unwritten) {
        if (node.isPojo() && ((POJONode) node).getPojo() instanceof LanePoints points) {
            if (!points.written(indent)) {
                unwritten.add(Map.entry(points, indent));
            }
        } else if (node.isContainerNode()) {
            for (JsonNode child : node) {
                lanes(child, indent + 2, unwritten);
            }
        }
    }

    /** Writes a tree: text for its structure and plain values, and each lane's points as bytes made once. */
    private static final class Writer {
        private final OutputStream out;
        private final LaneTexts lanes;
        private final StringBuilder text = new StringBuilder();

        Writer(OutputStream out, LaneTexts lanes) {
            this.out = out;
            this.lanes = lanes;
        }

        void write(JsonNode node, String indent) throws IOException {
            if (node.isObject()) {
                if (node.isEmpty()) {
                    text.append("{}");
                    return;
                }
                text.append("{\n");
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    text.append(indent).append("  ").append(quoted(field.getKey())).append(": ");
                    write(field.getValue(), indent + "  ");
                    text.append(fields.hasNext() ? ",\n" : "\n");
                }
                text.append(indent).append('}');
            } else if (node.isArray()) {
                if (flat(node)) {
                    text.append('[');
                    for (int i = 0; i < node.size(); i++) {
                        text.append(i == 0 ? "" : ", ");
                        write(node.get(i), indent);
                    }
                    text.append(']');
                    return;
                }
                text.append("[\n");
                for (int i = 0; i < node.size(); i++) {
                    text.append(indent).append("  ");
                    write(node.get(i), indent + "  ");
                    text.append(i + 1 < node.size() ? ",\n" : "\n");
                }
                text.append(indent).append(']');
            } else if (node.isPojo() && ((POJONode) node).getPojo() instanceof LanePoints points) {
                flush();
                lanes.await(points);
                out.write(points.json(indent.length()));
            } else {
                text.append(scalar(node));
            }
        }

        void flush() throws IOException {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            text.setLength(0);
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
            return quoted(node.textValue());
        }
        if (node.isNumber() && Double.isInfinite(node.doubleValue())) {
            return node.doubleValue() < 0 ? "\"-inf\"" : "\"inf\"";
        }
        if (node.isNumber() && Double.isNaN(node.doubleValue())) {
            return "null";
        }
        return node.asText();
    }

    private static String quoted(String text) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
