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

    /** A parsed file: its tree, and its text to find the line of a value in when a refusal needs it. */
    record Parsed(JsonNode root, Text text) {
        /** The line of the value at {@code pointer} ("/tracks/0/fader"), or of its nearest enclosing value. */
        int lineOf(String pointer) {
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
     * Parses {@code path} (UTF-8) as it reads it, a megabyte at a time, or throws {@link DeskException} naming
     * {@code file} and the line where it stopped, or why it cannot be read. Lanes' points are read straight
     * into {@link LanePoints}, times rounded to samples at {@code rate}.
     */
    static Parsed parse(Path path, String file, int rate) {
        return parse(() -> FACTORY.createParser(new BufferedInputStream(Files.newInputStream(path), 1 << 20)), file, rate);
    }

    /** As {@link #parse(Path, String, int)}, from {@code bytes}. */
    static Parsed parse(byte[] bytes, String file, int rate) {
        return parse(() -> FACTORY.createParser(bytes), file, rate);
    }

    /**
     * Reads the file with the lanes' numbers turned into values on another core; a lane with a point out of
     * range has the file read again point by point, to name that point's line.
     */
    private static Parsed parse(Text text, String file, int rate) {
        try {
            return parse(text, file, rate, false);
        } catch (BadPoint e) {
            return parse(text, file, rate, true);
        }
    }

    private static Parsed parse(Text text, String file, int rate, boolean pointByPoint) {
        try (JsonParser parser = text.open()) {
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
        private final boolean pointByPoint;

        TreeReader(JsonParser parser, String file, int rate, boolean pointByPoint) {
            this.parser = parser;
            this.file = file;
            this.rate = rate;
            this.pointByPoint = pointByPoint;
        }

        /** Puts each lane's points, made on another core meanwhile, in its place in the tree. */
        void finish(JsonNode node) {
            if (node instanceof ObjectNode object) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getValue().isPojo() && ((POJONode) field.getValue()).getPojo()
                            instanceof java.util.concurrent.CompletableFuture<?> made) {
                        try {
                            field.setValue(JSON.getNodeFactory().pojoNode(made.join()));
                        } catch (java.util.concurrent.CompletionException e) {
                            throw e.getCause() instanceof BadPoint bad ? bad : e;
                        }
                    } else {
                        finish(field.getValue());
                    }
                }
            } else if (node.isArray()) {
                node.forEach(this::finish);
            }
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
                        ReadPoints read = points();
                        if (!pointByPoint) {
                            yield nodes.pojoNode(java.util.concurrent.CompletableFuture.supplyAsync(read::points,
                                    java.util.concurrent.ForkJoinPool.commonPool()));
                        }
                        try {
                            yield nodes.pojoNode(read.points());
                        } catch (BadPoint bad) {
                            throw new DeskException(file + " line " + read.lines[bad.index] + " (" + read.pointer + "/"
                                    + bad.index + "): " + bad.getMessage());
                        }
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

        /**
         * Reads {@code [[seconds, value, "interpolation"], ...]} up to its closing bracket, refusing a point of
         * another shape with its line; the numbers stay text for {@link ReadPoints#points} to turn into values.
         */
        private ReadPoints points() throws IOException {
            JsonStreamContext array = parser.getParsingContext();
            ReadPoints read = new ReadPoints(array.pathAsPointer().toString(), rate, pointByPoint);
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.START_ARRAY) {
                    throw pointRefused(array, "a lane point is [seconds, value, interpolation], got " + parser.getText());
                }
                read.start(pointByPoint ? parser.currentTokenLocation().getLineNr() : 0);
                number(array, read, "time", parser.nextToken());
                number(array, read, "value", parser.nextToken());
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw pointRefused(array, "a lane point is [seconds, value, interpolation]: its third item must be text");
                }
                Interpolation interpolation = interpolation();
                if (interpolation == null) {
                    throw pointRefused(array, "interpolation \"" + parser.getText() + "\": must be db, gain, scurve or step");
                }
                if (parser.nextToken() != JsonToken.END_ARRAY) {
                    throw pointRefused(array, "a lane point is [seconds, value, interpolation]: it has more than three items");
                }
                read.end(interpolation);
            }
            return read;
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

        /** Keeps the current token, a number (or "-inf", "inf"), as {@code read}'s next; refuses anything else. */
        private void number(JsonStreamContext array, ReadPoints read, String what, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                read.number(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            } else if (token == JsonToken.VALUE_STRING && parser.getText().equals("-inf")) {
                read.infinite(false);
            } else if (token == JsonToken.VALUE_STRING && parser.getText().equals("inf")) {
                read.infinite(true);
            } else {
                throw pointRefused(array, "a lane point is [seconds, value, interpolation]: its " + what + " "
                        + (token == null || token == JsonToken.END_ARRAY ? "is missing" : (token == JsonToken.VALUE_STRING
                        ? "\"" + parser.getText() + "\"" : parser.getText()) + " is not a number"));
            }
        }

        /** A refusal naming the file, the line and the point ({@code array} is the points' context). */
        private DeskException pointRefused(JsonStreamContext array, String problem) {
            return new DeskException(file + " line " + parser.currentTokenLocation().getLineNr() + " ("
                    + array.pathAsPointer() + "): " + problem);
        }
    }

    /** A point of a lane out of range: its index and what is wrong, for the reading that names its line. */
    private static final class BadPoint extends RuntimeException {
        final int index;

        BadPoint(int index, String problem) {
            super(problem, null, false, false);
            this.index = index;
        }
    }

    /**
     * A lane's points as read, each number still the text it was written as, until {@link #points} turns
     * them into values (on any thread: nothing changes it after the reading).
     */
    private static final class ReadPoints {
        private static final int MINUS_INFINITY = -1;
        private static final int PLUS_INFINITY = -2;

        final String pointer;
        private final int rate;
        private char[] text = new char[4096];
        private int textLength;
        /** Two numbers per point, time then value: where each starts in {@link #text} and how long it is. */
        private int[] starts = new int[64];
        private int[] lengths = new int[64];
        private int numbers;
        private Interpolation[] interpolations = new Interpolation[32];
        /** The line of each point, when read point by point. */
        int[] lines;
        private int size;

        ReadPoints(String pointer, int rate, boolean withLines) {
            this.pointer = pointer;
            this.rate = rate;
            this.lines = withLines ? new int[32] : null;
        }

        void start(int line) {
            if (size == interpolations.length) {
                interpolations = java.util.Arrays.copyOf(interpolations, size * 2);
                if (lines != null) {
                    lines = java.util.Arrays.copyOf(lines, size * 2);
                }
            }
            if (lines != null) {
                lines[size] = line;
            }
        }

        void number(char[] chars, int offset, int length) {
            room();
            if (textLength + length > text.length) {
                text = java.util.Arrays.copyOf(text, Math.max(text.length * 2, textLength + length));
            }
            System.arraycopy(chars, offset, text, textLength, length);
            starts[numbers] = textLength;
            lengths[numbers++] = length;
            textLength += length;
        }

        void infinite(boolean positive) {
            room();
            lengths[numbers++] = positive ? PLUS_INFINITY : MINUS_INFINITY;
        }

        private void room() {
            if (numbers == starts.length) {
                starts = java.util.Arrays.copyOf(starts, numbers * 2);
                lengths = java.util.Arrays.copyOf(lengths, numbers * 2);
            }
        }

        void end(Interpolation interpolation) {
            interpolations[size++] = interpolation;
        }

        /** The points, times rounded to samples; a time out of range throws {@link BadPoint}. */
        LanePoints points() {
            long[] times = new long[size];
            double[] values = new double[size];
            for (int i = 0; i < size; i++) {
                double seconds = value(2 * i);
                if (!(seconds >= 0 && SessionDocument.samples(seconds, rate) <= Limits.MAX_SAMPLE_TIME)) {
                    throw new BadPoint(i, "time " + Parameter.format(seconds) + ": must be 0.."
                            + Limits.MAX_SAMPLE_TIME / rate + " seconds");
                }
                times[i] = SessionDocument.samples(seconds, rate);
                values[i] = value(2 * i + 1);
            }
            return new LanePoints(new AutomationLane(times, values, java.util.Arrays.copyOf(interpolations, size)), rate);
        }

        private double value(int number) {
            return switch (lengths[number]) {
                case MINUS_INFINITY -> Double.NEGATIVE_INFINITY;
                case PLUS_INFINITY -> Double.POSITIVE_INFINITY;
                default -> com.fasterxml.jackson.core.io.NumberInput.parseDouble(text, starts[number], lengths[number],
                        true);
            };
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
