package desk.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import desk.engine.Interpolation;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Reads a session file held whole in memory on every core: its lanes' points apart from the rest and from
 * each other, then the rest, with each lane's array emptied, by {@link TreeReader} as ever.
 * <p>
 * The file is cut in one part a core. Each core finds the first lane whose key, {@code "points": [}, starts
 * in its part, reads it, searches the text after it for the next, and so on until the next starts in the
 * following part. A lane is read by a small reader that knows only a lane's shape,
 * {@code [[seconds, value, "interpolation"], ...]}, with JSON's whitespace and numbers (or "-inf", "inf" for a
 * value) and plain names. So the text of the lanes, nearly all of a large file, is looked at once, by the
 * core that reads it.
 * <p>
 * The result is the tree the ordinary reading makes. A file that does not read this way (a {@code "points"}
 * that is not a lane's, a lane of another shape, an escape in a name, a number longer than the parser takes,
 * too little memory to hold it, any error at all) gives no result, and is read the ordinary way, which takes
 * what JSON allows and names what is wrong.
 * <p>
 * Threads: the caller's, with the common pool's while it reads; no state.
 */
final class LaneSplit {
    /** The largest file read whole (if it is also at most a quarter of the heap); a larger one streams. */
    static final long MAX_WHOLE_BYTES = 1L << 30;
    /** The points a lane's reading makes room for before it reads them (more as they come). */
    private static final int EXPECTED_POINTS = 1024;
    /** The most bytes one read asks for. */
    private static final int READ_BYTES = 1 << 20;
    private static final byte[] KEY = "\"points\"".getBytes(StandardCharsets.US_ASCII);
    /** For each byte, how far the search may move on when it ends a window that does not hold the key. */
    private static final int[] SHIFTS = shifts();

    private static final Interpolation[] INTERPOLATIONS = Interpolation.values();
    private static final byte[][] INTERPOLATION_NAMES = Arrays.stream(INTERPOLATIONS)
            .map(interpolation -> interpolation.scriptName().getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    private static final byte[] MINUS_INFINITY = "\"-inf\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLUS_INFINITY = "\"inf\"".getBytes(StandardCharsets.US_ASCII);

    /** A lane's points read apart, and where the brackets that open and close their array are. */
    private record ReadLane(LanePoints points, int opening, int closing) {
    }

    /** The file does not read apart: a lane of another shape, or not where the rest of the file has it. */
    static final class Mismatch extends RuntimeException {
        Mismatch() {
            super(null, null, false, false);
        }
    }

    private LaneSplit() {
    }

    /**
     * The bytes of {@code path}, read in as many parts as there are cores at once; or null when it is larger
     * than {@link #MAX_WHOLE_BYTES} or a quarter of the heap, or cannot be read.
     */
    static byte[] readWhole(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Math.min(MAX_WHOLE_BYTES, Runtime.getRuntime().maxMemory() / 4)) {
                return null;
            }
            byte[] bytes;
            try {
                bytes = new byte[(int) size];
            } catch (OutOfMemoryError e) {
                return null;
            }
            int parts = parts(bytes.length);
            IntStream.range(0, parts).parallel().forEach(part -> {
                int from = start(bytes.length, parts, part);
                int to = start(bytes.length, parts, part + 1);
                try {
                    for (int at = from; at < to; ) {
                        int read = channel.read(ByteBuffer.wrap(bytes, at, Math.min(READ_BYTES, to - at)), at);
                        if (read < 0) {
                            throw new EOFException("the file ended at byte " + at + " of " + bytes.length);
                        }
                        at += read;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return bytes;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** How many parts a file of {@code length} bytes is read in: one a core, none under a megabyte. */
    private static int parts(int length) {
        return Math.max(1, Math.min(ForkJoinPool.getCommonPoolParallelism() + 1, length >> 20));
    }

    /** Where part {@code part} of {@code parts} starts in {@code length} bytes. */
    private static int start(int length, int parts, int part) {
        return (int) ((long) length * part / parts);
    }

    /**
     * The file in {@code bytes}, named {@code file}, read with its lanes apart (times rounded to samples at
     * {@code rate}), its text for refusals {@code text}; or null when it has no lanes or does not read so.
     */
    static SessionJson.Parsed parse(byte[] bytes, JsonFactory factory, String file, int rate, SessionJson.Text text) {
        return parse(bytes, factory, file, rate, text, parts(bytes.length));
    }

    /** As {@link #parse(byte[], JsonFactory, String, int, SessionJson.Text)}, cut in {@code parts} parts. */
    static SessionJson.Parsed parse(byte[] bytes, JsonFactory factory, String file, int rate, SessionJson.Text text,
                                    int parts) {
        int longest = factory.streamReadConstraints().getMaxNumberLength();
        try {
            List<ReadLane> lanes = IntStream.range(0, parts).parallel()
                    .mapToObj(part -> lanes(bytes, start(bytes.length, parts, part), start(bytes.length, parts, part + 1),
                            rate, longest))
                    .flatMap(List::stream).toList();
            if (lanes.isEmpty()) {
                return null;
            }
            for (int lane = 1; lane < lanes.size(); lane++) {
                if (lanes.get(lane).opening() <= lanes.get(lane - 1).closing()) {
                    return null;
                }
            }
            long emptied = 0;
            for (ReadLane lane : lanes) {
                emptied += lane.closing() - lane.opening() - 1;
            }
            byte[] rest = new byte[(int) (bytes.length - emptied)];
            int length = 0;
            int from = 0;
            Map<Long, LanePoints> byPlace = new HashMap<>();
            for (ReadLane lane : lanes) {
                System.arraycopy(bytes, from, rest, length, lane.opening() + 1 - from);
                length += lane.opening() + 1 - from;
                byPlace.put((long) length - 1, lane.points());
                from = lane.closing();
            }
            System.arraycopy(bytes, from, rest, length, bytes.length - from);
            length += bytes.length - from;
            try (JsonParser parser = factory.createParser(rest, 0, length)) {
                if (parser.nextToken() == null) {
                    return null;
                }
                JsonNode root = new TreeReader(parser, file, rate, byPlace).value(null);
                return parser.nextToken() == null && byPlace.isEmpty() ? new SessionJson.Parsed(root, text) : null;
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return null;
        }
    }

    /**
     * The lanes whose key starts in {@code [from, to)}, read one after the other: the text between them is
     * searched for the next, each lane's is read, and the last may end beyond {@code to}.
     */
    private static List<ReadLane> lanes(byte[] bytes, int from, int to, int rate, int longest) {
        List<ReadLane> lanes = new ArrayList<>();
        for (int key = find(bytes, from); key >= 0 && key < to; key = find(bytes, lanes.getLast().closing() + 1)) {
            int opening = afterColon(bytes, key + KEY.length);
            if (opening < 0) {
                throw new Mismatch();
            }
            lanes.add(lane(bytes, opening, bytes.length, rate, longest));
        }
        return lanes;
    }

    /**
     * Reads the lane whose array opens at {@code opening} and closes before {@code limit}; throws
     * {@link Mismatch} for anything but a lane's shape, {@link TreeReader.BadPoint} for a time out of range.
     */
    private static ReadLane lane(byte[] bytes, int opening, int limit, int rate, int longest) {
        int at = spaces(bytes, opening + 1, limit);
        TreeReader.ReadPoints read = new TreeReader.ReadPoints("", rate, false,
                at < limit && bytes[at] == ']' ? 0 : EXPECTED_POINTS);
        if (at < limit && bytes[at] == ']') {
            return new ReadLane(read.points(), opening, at);
        }
        while (true) {
            at = spaces(bytes, expect(bytes, at, limit, '['), limit);
            read.start(0);
            at = spaces(bytes, expect(bytes, spaces(bytes, number(bytes, at, limit, read, longest), limit), limit, ','),
                    limit);
            at = spaces(bytes, expect(bytes, spaces(bytes, value(bytes, at, limit, read, longest), limit), limit, ','),
                    limit);
            at = spaces(bytes, expect(bytes, spaces(bytes, interpolation(bytes, at, limit, read), limit), limit, ']'),
                    limit);
            if (at < limit && bytes[at] == ']') {
                return new ReadLane(read.points(), opening, at);
            }
            at = spaces(bytes, expect(bytes, at, limit, ','), limit);
        }
    }

    private static int expect(byte[] bytes, int at, int limit, char expected) {
        if (at >= limit || bytes[at] != expected) {
            throw new Mismatch();
        }
        return at + 1;
    }

    /** A value: a number, or "-inf" or "inf". */
    private static int value(byte[] bytes, int at, int limit, TreeReader.ReadPoints read, int longest) {
        if (at < limit && bytes[at] == '"') {
            boolean plus = startsWith(bytes, at, limit, PLUS_INFINITY);
            if (!plus && !startsWith(bytes, at, limit, MINUS_INFINITY)) {
                throw new Mismatch();
            }
            read.infinite(plus);
            return at + (plus ? PLUS_INFINITY : MINUS_INFINITY).length;
        }
        return number(bytes, at, limit, read, longest);
    }

    /**
     * A JSON number, {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, of at most {@code longest} characters
     * (the parser's limit, which refuses a longer one).
     */
    private static int number(byte[] bytes, int at, int limit, TreeReader.ReadPoints read, int longest) {
        int start = at;
        if (at < limit && bytes[at] == '-') {
            at++;
        }
        if (at < limit && bytes[at] == '0') {
            at++;
        } else {
            at = digits(bytes, at, limit);
        }
        if (at < limit && bytes[at] == '.') {
            at = digits(bytes, at + 1, limit);
        }
        if (at < limit && (bytes[at] == 'e' || bytes[at] == 'E')) {
            at++;
            if (at < limit && (bytes[at] == '+' || bytes[at] == '-')) {
                at++;
            }
            at = digits(bytes, at, limit);
        }
        if (at - start > longest) {
            throw new Mismatch();
        }
        read.number(bytes, start, at - start);
        return at;
    }

    /** One digit or more. */
    private static int digits(byte[] bytes, int at, int limit) {
        int start = at;
        while (at < limit && bytes[at] >= '0' && bytes[at] <= '9') {
            at++;
        }
        if (at == start) {
            throw new Mismatch();
        }
        return at;
    }

    /** An interpolation's name in quotes. */
    private static int interpolation(byte[] bytes, int at, int limit, TreeReader.ReadPoints read) {
        for (int i = 0; i < INTERPOLATIONS.length; i++) {
            byte[] name = INTERPOLATION_NAMES[i];
            if (at + name.length + 1 < limit && bytes[at] == '"' && bytes[at + name.length + 1] == '"'
                    && Arrays.equals(bytes, at + 1, at + 1 + name.length, name, 0, name.length)) {
                read.end(INTERPOLATIONS[i]);
                return at + name.length + 2;
            }
        }
        throw new Mismatch();
    }

    private static boolean startsWith(byte[] bytes, int at, int limit, byte[] text) {
        return at + text.length <= limit && Arrays.equals(bytes, at, at + text.length, text, 0, text.length);
    }

    /**
     * Where the next key {@code "points"} followed by {@code : [} starts from {@code from}, or -1 (a Horspool
     * search: at most one look a key's length).
     */
    private static int find(byte[] bytes, int from) {
        int last = KEY.length - 1;
        for (int at = from; at + last < bytes.length; at += SHIFTS[bytes[at + last] & 0xff]) {
            if (bytes[at + last] == '"' && Arrays.equals(bytes, at, at + last, KEY, 0, last)
                    && afterColon(bytes, at + KEY.length) >= 0) {
                return at;
            }
        }
        return -1;
    }

    /** Where the array opens after {@code ws : ws [} from {@code at}, or -1 if something else is there. */
    private static int afterColon(byte[] bytes, int at) {
        at = spaces(bytes, at, bytes.length);
        if (at >= bytes.length || bytes[at] != ':') {
            return -1;
        }
        at = spaces(bytes, at + 1, bytes.length);
        return at < bytes.length && bytes[at] == '[' ? at : -1;
    }

    /** Past JSON's whitespace from {@code at}. */
    private static int spaces(byte[] bytes, int at, int limit) {
        while (at < limit && (bytes[at] == ' ' || bytes[at] == '\n' || bytes[at] == '\r' || bytes[at] == '\t')) {
            at++;
        }
        return at;
    }

    private static int[] shifts() {
        int[] shifts = new int[256];
        Arrays.fill(shifts, KEY.length);
        for (int i = 0; i < KEY.length - 1; i++) {
            shifts[KEY[i] & 0xff] = KEY.length - 1 - i;
        }
        return shifts;
    }
}
