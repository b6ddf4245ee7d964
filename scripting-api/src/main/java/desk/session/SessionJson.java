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

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

    /** A parsed file: its tree, and its bytes to find the line of a value in when a refusal needs it. */
    record Parsed(JsonNode root, byte[] bytes) {
        /** The line of the value at {@code pointer} ("/tracks/0/fader"), or of its nearest enclosing value. */
        int lineOf(String pointer) {
            Map<String, Integer> lines = new HashMap<>();
            try (JsonParser parser = FACTORY.createParser(bytes)) {
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
     * Parses {@code bytes} (UTF-8), or throws {@link DeskException} naming {@code file} and the line where it
     * stopped. Lanes' points are read straight into {@link LanePoints}, times rounded to samples at {@code rate}.
     */
    static Parsed parse(byte[] bytes, String file, int rate) {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw new DeskException(file + ": empty: a session file is one JSON object");
            }
            JsonNode root = new TreeReader(parser, file, rate).value(null);
            if (parser.nextToken() != null) {
                throw new DeskException(file + " line " + parser.currentTokenLocation().getLineNr()
                        + ": not valid JSON (more after the end of the session object)");
            }
            return new Parsed(root, bytes);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage().lines().findFirst().orElse("invalid JSON");
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new DeskException(file + " line " + line + ": not valid JSON (" + problem + ")");
        } catch (IOException e) {
            throw new DeskException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * Builds the tree token by token as Jackson's own reader would, except that a lane's points (an array
     * named "points" in an object under "lanes") become one {@link LanePoints}: three numbers' worth of memory
     * per point instead of five nodes.
     */
    private static final class TreeReader {
        private static final Interpolation[] INTERPOLATIONS = Interpolation.values();
        private final JsonParser parser;
        private final String file;
        private final int rate;

        TreeReader(JsonParser parser, String file, int rate) {
            this.parser = parser;
            this.file = file;
            this.rate = rate;
        }

        /** The value at the current token, which is the value of field {@code field} (null: not in an object). */
        JsonNode value(String field) throws IOException {
            JsonNodeFactory nodes = JSON.getNodeFactory();
            return switch (parser.currentToken()) {
                case START_OBJECT -> {
                    ObjectNode object = nodes.objectNode();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        object.set(name, value(name));
                    }
                    yield object;
                }
                case START_ARRAY -> {
                    if ("points".equals(field) && inLane()) {
                        yield nodes.pojoNode(points());
                    }
                    ArrayNode array = nodes.arrayNode();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        array.add(value(null));
                    }
                    yield array;
                }
                case VALUE_STRING -> nodes.textNode(parser.getText());
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDoubleValue());
                case VALUE_TRUE -> nodes.booleanNode(true);
                case VALUE_FALSE -> nodes.booleanNode(false);
                case VALUE_NULL -> nodes.nullNode();
                default -> throw new DeskException(file + " line " + parser.currentTokenLocation().getLineNr()
                        + ": not valid JSON (unexpected " + parser.currentToken().asString() + ")");
            };
        }

        /** Whether the array just started is the points of a lane: {"lanes": {"fader": {"points": [...]}}}. */
        private boolean inLane() {
            JsonStreamContext lane = parser.getParsingContext().getParent();
            JsonStreamContext lanes = lane == null ? null : lane.getParent();
            return lanes != null && lanes.getParent() != null && "lanes".equals(lanes.getParent().getCurrentName());
        }

        /** Reads {@code [[seconds, value, "interpolation"], ...]} up to its closing bracket. */
        private LanePoints points() throws IOException {
            JsonStreamContext array = parser.getParsingContext();
            int size = 0;
            long[] times = new long[16];
            double[] values = new double[16];
            Interpolation[] interpolations = new Interpolation[16];
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (size == times.length) {
                    times = java.util.Arrays.copyOf(times, size * 2);
                    values = java.util.Arrays.copyOf(values, size * 2);
                    interpolations = java.util.Arrays.copyOf(interpolations, size * 2);
                }
                if (parser.currentToken() != JsonToken.START_ARRAY) {
                    throw pointRefused(array, "a lane point is [seconds, value, interpolation], got " + parser.getText());
                }
                double seconds = number(array, "time", parser.nextToken());
                if (!(seconds >= 0 && SessionDocument.samples(seconds, rate) <= Limits.MAX_SAMPLE_TIME)) {
                    throw pointRefused(array, "time " + Parameter.format(seconds) + ": must be 0.."
                            + Limits.MAX_SAMPLE_TIME / rate + " seconds");
                }
                times[size] = SessionDocument.samples(seconds, rate);
                values[size] = number(array, "value", parser.nextToken());
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw pointRefused(array, "a lane point is [seconds, value, interpolation]: its third item must be text");
                }
                interpolations[size] = interpolation();
                if (interpolations[size] == null) {
                    throw pointRefused(array, "interpolation \"" + parser.getText() + "\": must be db, gain, scurve or step");
                }
                if (parser.nextToken() != JsonToken.END_ARRAY) {
                    throw pointRefused(array, "a lane point is [seconds, value, interpolation]: it has more than three items");
                }
                size++;
            }
            return new LanePoints(new AutomationLane(java.util.Arrays.copyOf(times, size),
                    java.util.Arrays.copyOf(values, size), java.util.Arrays.copyOf(interpolations, size)), rate);
        }

        /** The interpolation the current text names, or null; read in place, as there is one per point. */
        private Interpolation interpolation() throws IOException {
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            for (Interpolation candidate : INTERPOLATIONS) {
                String name = candidate.scriptName();
                if (name.length() == length) {
                    int i = 0;
                    while (i < length && name.charAt(i) == chars[offset + i]) {
                        i++;
                    }
                    if (i == length) {
                        return candidate;
                    }
                }
            }
            return null;
        }

        private double number(JsonStreamContext array, String what, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            if (token == JsonToken.VALUE_STRING && parser.getText().equals("-inf")) {
                return Double.NEGATIVE_INFINITY;
            }
            if (token == JsonToken.VALUE_STRING && parser.getText().equals("inf")) {
                return Double.POSITIVE_INFINITY;
            }
            throw pointRefused(array, "a lane point is [seconds, value, interpolation]: its " + what + " "
                    + (token == null || token == JsonToken.END_ARRAY ? "is missing" : (token == JsonToken.VALUE_STRING
                    ? "\"" + parser.getText() + "\"" : parser.getText()) + " is not a number"));
        }

        /** A refusal naming the file, the line and the point ({@code array} is the points' context). */
        private DeskException pointRefused(JsonStreamContext array, String problem) {
            return new DeskException(file + " line " + parser.currentTokenLocation().getLineNr() + " ("
                    + array.pathAsPointer() + "): " + problem);
        }
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
     * made first, on every core.
     */
    static void write(JsonNode node, OutputStream out) throws IOException {
        List<Map.Entry<LanePoints, Integer>> unwritten = new ArrayList<>();
        lanes(node, 0, unwritten);
        unwritten.parallelStream().forEach(lane -> lane.getKey().json(lane.getValue()));
        Writer writer = new Writer(out);
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
        private final StringBuilder text = new StringBuilder();

        Writer(OutputStream out) {
            this.out = out;
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

    /**
     * Writes {@code document} to {@code file} so that a crash leaves the old file or the new one, never a part:
     * into a new file beside it, forced to disk, the old one kept as {@code <file>.bak} if {@code keepBackup}
     * (a second name for it where the file system allows, else a copy), then renamed over it, and the folder
     * forced too.
     */
    static void writeAtomically(Path file, JsonNode document, boolean keepBackup) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path fresh = folder.resolve(file.getFileName() + ".new");
        try (FileChannel channel = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
            write(document, out);
            out.flush();
            channel.force(true);
        }
        if (keepBackup && Files.exists(file)) {
            Path backup = folder.resolve(file.getFileName() + ".bak");
            Files.deleteIfExists(backup);
            try {
                Files.createLink(backup, file);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
