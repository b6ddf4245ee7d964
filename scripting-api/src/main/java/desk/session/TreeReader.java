package desk.session;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import desk.engine.AutomationLane;
import desk.engine.Interpolation;
import desk.engine.Limits;
import desk.engine.Parameter;

import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;

/**
 * Builds a session file's tree token by token as Jackson's own reader would, except that a lane's points (an
 * array named "points" in an object under "lanes") become one {@link LanePoints}: three numbers' worth of
 * memory per point instead of five nodes. The lanes' numbers are turned into values on another core while the
 * reading goes on; or, reading the rest of a file whose lanes {@link LaneSplit} read apart, each lane's points
 * are the ones read for the place it is at.
 * <p>
 * Threads: one at a time.
 */
final class TreeReader {
    private static final Interpolation[] INTERPOLATIONS = Interpolation.values();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final JsonParser parser;
    private final String file;
    private final int rate;
    private final boolean pointByPoint;
    /** With {@link LaneSplit}: each lane's points by the offset of its (emptied) array in the text read. */
    private final Map<Long, LanePoints> readApart;

    /**
     * Reads from {@code parser} (at its first token) the file named {@code file}; {@code pointByPoint} keeps
     * each point's line, to name it when one is out of range.
     */
    TreeReader(JsonParser parser, String file, int rate, boolean pointByPoint) {
        this(parser, file, rate, pointByPoint, null);
    }

    /** Reads the rest of a file whose lanes were read apart: {@code readApart}, taken from as they are placed. */
    TreeReader(JsonParser parser, String file, int rate, Map<Long, LanePoints> readApart) {
        this(parser, file, rate, false, readApart);
    }

    private TreeReader(JsonParser parser, String file, int rate, boolean pointByPoint, Map<Long, LanePoints> readApart) {
        this.parser = parser;
        this.file = file;
        this.rate = rate;
        this.pointByPoint = pointByPoint;
        this.readApart = readApart;
    }

    /** Puts each lane's points, made on another core meanwhile, in its place in the tree. */
    void finish(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isPojo() && ((POJONode) field.getValue()).getPojo()
                        instanceof CompletableFuture<?> made) {
                    try {
                        field.setValue(NODES.pojoNode(made.join()));
                    } catch (CompletionException e) {
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
        JsonNodeFactory nodes = NODES;
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
                    if (readApart != null) {
                        yield nodes.pojoNode(readApart());
                    }
                    ReadPoints read = points(0);
                    if (!pointByPoint) {
                        yield nodes.pojoNode(CompletableFuture.supplyAsync(read::points, ForkJoinPool.commonPool()));
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

    /**
     * The points read apart for the lane array just started, which is empty here; a lane in a place where
     * none was read, or one that is not empty, means the file was not split as it reads.
     */
    private LanePoints readApart() throws IOException {
        LanePoints points = readApart.remove(parser.currentTokenLocation().getByteOffset());
        if (points == null || parser.nextToken() != JsonToken.END_ARRAY) {
            throw new LaneSplit.Mismatch();
        }
        return points;
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
    private ReadPoints points(int expected) throws IOException {
        JsonStreamContext array = parser.getParsingContext();
        ReadPoints read = new ReadPoints(array.pathAsPointer().toString(), rate, pointByPoint, expected);
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

    /** A point of a lane out of range: its index and what is wrong, for the reading that names its line. */
    static final class BadPoint extends RuntimeException {
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
    static final class ReadPoints {
        private static final int MINUS_INFINITY = -1;
        private static final int PLUS_INFINITY = -2;

        final String pointer;
        private final int rate;
        private char[] text;
        private int textLength;
        /** Two numbers per point, time then value: where each starts in {@link #text} and how long it is. */
        private int[] starts;
        private int[] lengths;
        private int numbers;
        private Interpolation[] interpolations;
        /** The line of each point, when read point by point. */
        int[] lines;
        private int size;

        /** Room for {@code expected} points to begin with (more as they come). */
        ReadPoints(String pointer, int rate, boolean withLines, int expected) {
            this.pointer = pointer;
            this.rate = rate;
            int room = Math.max(32, expected);
            this.text = new char[room * 2 * 20];
            this.starts = new int[room * 2];
            this.lengths = new int[room * 2];
            this.interpolations = new Interpolation[room];
            this.lines = withLines ? new int[room] : null;
        }

        void start(int line) {
            if (size == interpolations.length) {
                interpolations = Arrays.copyOf(interpolations, size * 2);
                if (lines != null) {
                    lines = Arrays.copyOf(lines, size * 2);
                }
            }
            if (lines != null) {
                lines[size] = line;
            }
        }

        void number(char[] chars, int offset, int length) {
            room();
            if (textLength + length > text.length) {
                text = Arrays.copyOf(text, Math.max(text.length * 2, textLength + length));
            }
            System.arraycopy(chars, offset, text, textLength, length);
            starts[numbers] = textLength;
            lengths[numbers++] = length;
            textLength += length;
        }

        /** A number written in ASCII at {@code offset} in {@code bytes}. */
        void number(byte[] bytes, int offset, int length) {
            room();
            if (textLength + length > text.length) {
                text = Arrays.copyOf(text, Math.max(text.length * 2, textLength + length));
            }
            for (int i = 0; i < length; i++) {
                text[textLength + i] = (char) bytes[offset + i];
            }
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
                starts = Arrays.copyOf(starts, numbers * 2);
                lengths = Arrays.copyOf(lengths, numbers * 2);
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
            return new LanePoints(new AutomationLane(times, values, Arrays.copyOf(interpolations, size)), rate);
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
}
