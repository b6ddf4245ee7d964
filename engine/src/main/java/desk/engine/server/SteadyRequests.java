package desk.engine.server;

import desk.engine.AudioInterface;
import desk.engine.DiskState;
import desk.engine.Engine;
import desk.engine.Parameter;
import desk.engine.backend.JackBackend;
import desk.engine.meter.MeterBuffer;
import desk.engine.meter.MeterPoint;
import desk.engine.midi.MidiReportSink;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The requests a live session sends all the time, answered without allocating: parameter changes
 * ({@code execute} of a {@code SetParameter}, at once or with {@code "at"}), the {@code position},
 * {@code transport}, {@code meter}, {@code disk} and {@code xruns} queries, the MIDI reports
 * ({@code midiEvents}, {@code midiLatest}), and {@code allocation} (the figures
 * that show all this, so that measuring allocates nothing either). A request line is read in place by a
 * small JSON reader that knows only these shapes; anything else (another command or request, an escape in a
 * string, an unexpected member, a number it cannot read exactly) is left to the general path, which reads
 * every request with Jackson. Both paths give the same answer to a request they both take.
 * <p>
 * Numbers are read with {@link ExactDecimal}, which rounds as {@link Double#parseDouble} does, or not at all;
 * answers are written as {@link EngineServer}'s general path writes them. The {@code disk} answer keeps the
 * JSON of the lists of finished take files and of problems, and makes it again only when a count changes
 * (those lists only grow).
 * <p>
 * Threads: the server's reading thread only.
 */
final class SteadyRequests {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Parameter[] PARAMETERS = Parameter.values();
    private static final MeterPoint[] POINTS = MeterPoint.values();

    private static final int OP = 1;
    private static final int TYPE = 1 << 1;
    private static final int AT = 1 << 2;
    private static final int COMMAND = 1 << 3;
    private static final int STRIP = 1 << 4;
    private static final int POINT = 1 << 5;

    private final Engine engine;
    private final AudioInterface ports;
    private final MeterBuffer meter = new MeterBuffer();
    private final MidiAnswer midi = new MidiAnswer();
    private final long[] figures = new long[Math.max(4, Engine.TRANSPORT_FIGURES)];

    private long requests;
    private byte[] line;
    private int end;
    private int at;
    /** The members read so far, as a set of the bits above. */
    private int members;
    private int opStart;
    private int opEnd;
    private int typeStart;
    private int typeEnd;
    private int stringStart;
    private int stringEnd;
    private long longValue;
    private double doubleValue;
    private long sample;
    private int strip;
    private MeterPoint point;
    private int nodeId;
    private Parameter parameter;
    private double value;

    private byte[] finishedJson;
    private byte[] problemsJson;
    private long finishedCount = -1;
    private long problemCount = -1;

    /** Answers for {@code engine}, whose ports (and their xrun count) are {@code ports}. */
    SteadyRequests(Engine engine, AudioInterface ports) {
        this.engine = engine;
        this.ports = ports;
    }

    /**
     * Answers the request in the first {@code length} bytes of {@code request} into {@code reply} (with its
     * newline) and returns true, or returns false having done nothing when it is not a steady-state request.
     * A refusal of the engine is thrown as it is.
     */
    boolean answer(byte[] request, int length, ReplyBuffer reply) {
        requests++;
        if (!read(request, length)) {
            return false;
        }
        if (Operation.EXECUTE.isNamedBy(line, opStart, opEnd)) {
            if (members != (OP | TYPE | COMMAND) && members != (OP | TYPE | COMMAND | AT)
                    || !is(typeStart, typeEnd, "SetParameter")) {
                return false;
            }
            if ((members & AT) != 0) {
                engine.setParameterAt(sample, nodeId, parameter, value);
            } else {
                engine.setParameter(nodeId, parameter, value);
            }
            reply.ascii("{\"ok\":null}");
        } else if (Operation.METER.isNamedBy(line, opStart, opEnd)) {
            if (members != (OP | STRIP | POINT)) {
                return false;
            }
            engine.meter(strip, point, meter);
            meterAnswer(reply);
        } else if (members != OP) {
            return false;
        } else if (Operation.POSITION.isNamedBy(line, opStart, opEnd)) {
            reply.ascii("{\"ok\":").number(engine.position()).ascii('}');
        } else if (Operation.TRANSPORT.isNamedBy(line, opStart, opEnd)) {
            engine.transport(figures);
            reply.ascii("{\"ok\":{\"rolling\":").bool(figures[0] != 0).ascii(",\"position\":").number(figures[1])
                    .ascii(",\"enginePosition\":").number(figures[2]).ascii(",\"loop\":");
            if (figures[3] != 0) {
                reply.ascii("{\"start\":").number(figures[4]).ascii(",\"end\":").number(figures[5]).ascii('}');
            } else {
                reply.ascii("null");
            }
            reply.ascii(",\"lastWrap\":").number(figures[6]).ascii("}}");
        } else if (Operation.DISK.isNamedBy(line, opStart, opEnd)) {
            diskAnswer(reply);
        } else if (Operation.XRUNS.isNamedBy(line, opStart, opEnd)) {
            reply.ascii("{\"ok\":").number(ports.xruns()).ascii('}');
        } else if (Operation.ALLOCATION.isNamedBy(line, opStart, opEnd)) {
            allocationAnswer(reply);
        } else if (Operation.MIDI_EVENTS.isNamedBy(line, opStart, opEnd)
                || Operation.MIDI_LATEST.isNamedBy(line, opStart, opEnd)) {
            midi.answer(engine, Operation.MIDI_EVENTS.isNamedBy(line, opStart, opEnd), reply);
        } else {
            return false;
        }
        reply.ascii('\n');
        return true;
    }

    /**
     * Requests answered so far (this one included); process callbacks run and the bytes their thread
     * allocated, or -1 for both without JACK; bytes allocated by this thread and by the whole process.
     */
    private void allocationAnswer(ReplyBuffer reply) {
        long serverBytes = THREADS.getCurrentThreadAllocatedBytes();
        long processBytes = THREADS.getTotalThreadAllocatedBytes();
        JackBackend<?> jack = ports instanceof JackBackend<?> backend ? backend : null;
        reply.ascii("{\"ok\":{\"requests\":").number(requests)
                .ascii(",\"callbacks\":").number(jack == null ? -1 : jack.cycles())
                .ascii(",\"audioThreadBytes\":").number(jack == null ? -1 : jack.audioThreadAllocatedBytes())
                .ascii(",\"serverThreadBytes\":").number(serverBytes)
                .ascii(",\"processBytes\":").number(processBytes)
                .ascii("}}");
    }

    /** Writes the MIDI reports into a reply as {@link Protocol#midiReport(desk.engine.midi.MidiReport)} does. */
    private static final class MidiAnswer implements MidiReportSink {
        private ReplyBuffer reply;
        private boolean first;

        void answer(Engine engine, boolean all, ReplyBuffer into) {
            reply = into;
            first = true;
            into.ascii("{\"ok\":{\"events\":[");
            long received = engine.midiEvents(all, this);
            into.ascii("],\"received\":").number(received).ascii(",\"dropped\":").number(engine.midiDropped())
                    .ascii("}}");
            reply = null;
        }

        @Override
        public void report(long sample, int port, int message, int binding, double value, boolean applied) {
            if (!first) {
                reply.ascii(',');
            }
            first = false;
            reply.ascii('[').number(sample).ascii(',').number(port).ascii(',').number(message).ascii(',')
                    .number(binding).ascii(',').number(value).ascii(',').bool(applied).ascii(']');
        }
    }

    private void meterAnswer(ReplyBuffer reply) {
        int channels = meter.channels();
        reply.ascii("{\"ok\":{\"peakDb\":").array(meter.peakDb(), channels)
                .ascii(",\"peakHoldDb\":").array(meter.peakHoldDb(), channels)
                .ascii(",\"peakMaxDb\":").array(meter.peakMaxDb(), channels)
                .ascii(",\"clipsPerChannel\":").array(meter.clipsPerChannel(), channels)
                .ascii(",\"invalidPerChannel\":").array(meter.invalidPerChannel(), channels)
                .ascii(",\"rmsDb\":").array(meter.rmsDb(), channels)
                .ascii(",\"averageDb\":").array(meter.averageDb(), channels)
                .ascii(",\"vuDb\":").array(meter.vuDb(), channels)
                .ascii(",\"kDb\":").array(meter.kDb(), channels)
                .ascii(",\"loudness\":");
        if (meter.hasLoudness()) {
            reply.ascii("{\"momentary\":").number(meter.momentary())
                    .ascii(",\"shortTerm\":").number(meter.shortTerm())
                    .ascii(",\"integrated\":").number(meter.integrated())
                    .ascii(",\"momentaryMax\":").number(meter.momentaryMax())
                    .ascii(",\"shortTermMax\":").number(meter.shortTermMax())
                    .ascii(",\"range\":").number(meter.range())
                    .ascii(",\"truePeak\":").number(meter.truePeak())
                    .ascii('}');
        } else {
            reply.ascii("null");
        }
        reply.ascii("}}");
    }

    private void diskAnswer(ReplyBuffer reply) {
        engine.disk(figures);
        if (figures[1] != finishedCount || figures[2] != problemCount) {
            DiskState state = engine.disk();
            finishedJson = Protocol.line(Protocol.JSON.valueToTree(state.finished())).getBytes(StandardCharsets.UTF_8);
            problemsJson = Protocol.line(Protocol.JSON.valueToTree(state.problems())).getBytes(StandardCharsets.UTF_8);
            finishedCount = state.finished().size();
            problemCount = state.problems().size();
        }
        reply.ascii("{\"ok\":{\"recording\":").bool(figures[0] != 0)
                .ascii(",\"finished\":").bytes(finishedJson, finishedJson.length)
                .ascii(",\"problems\":").bytes(problemsJson, problemsJson.length)
                .ascii(",\"playbackFramesMissed\":").number(figures[3])
                .ascii("}}");
    }

    // ------------------------------------------------------------------ reading a request

    /** Reads the request's members; false if it is not of a shape known here. */
    private boolean read(byte[] request, int length) {
        line = request;
        end = length;
        at = 0;
        members = 0;
        if (!object(true)) {
            return false;
        }
        space();
        return at == end && (members & OP) != 0;
    }

    /** Reads an object: the request ({@code top}) or its command. */
    private boolean object(boolean top) {
        int commandMembers = 0;
        space();
        if (!take('{')) {
            return false;
        }
        space();
        if (take('}')) {
            return top;
        }
        while (true) {
            if (!string()) {
                return false;
            }
            int nameStart = stringStart;
            int nameEnd = stringEnd;
            space();
            if (!take(':')) {
                return false;
            }
            space();
            if (top) {
                if (!topMember(nameStart, nameEnd)) {
                    return false;
                }
            } else {
                int member = commandMember(nameStart, nameEnd);
                if (member == 0) {
                    return false;
                }
                commandMembers |= member;
            }
            space();
            if (take('}')) {
                return top || commandMembers == 7;
            }
            if (!take(',')) {
                return false;
            }
            space();
        }
    }

    private boolean topMember(int nameStart, int nameEnd) {
        if (is(nameStart, nameEnd, "op")) {
            if (!string()) {
                return false;
            }
            opStart = stringStart;
            opEnd = stringEnd;
            members |= OP;
        } else if (is(nameStart, nameEnd, "type")) {
            if (!string()) {
                return false;
            }
            typeStart = stringStart;
            typeEnd = stringEnd;
            members |= TYPE;
        } else if (is(nameStart, nameEnd, "at")) {
            if (!integer()) {
                return false;
            }
            sample = longValue;
            members |= AT;
        } else if (is(nameStart, nameEnd, "strip")) {
            if (!integer() || longValue != (int) longValue) {
                return false;
            }
            strip = (int) longValue;
            members |= STRIP;
        } else if (is(nameStart, nameEnd, "point")) {
            if (!string()) {
                return false;
            }
            point = null;
            for (MeterPoint candidate : POINTS) {
                if (is(stringStart, stringEnd, candidate.name())) {
                    point = candidate;
                }
            }
            if (point == null) {
                return false;
            }
            members |= POINT;
        } else if (is(nameStart, nameEnd, "command")) {
            if (!object(false)) {
                return false;
            }
            members |= COMMAND;
        } else {
            return false;
        }
        return true;
    }

    /** Reads a member of a SetParameter command; returns its bit (1, 2 or 4), or 0 if it is not one. */
    private int commandMember(int nameStart, int nameEnd) {
        if (is(nameStart, nameEnd, "nodeId")) {
            if (!integer() || longValue != (int) longValue) {
                return 0;
            }
            nodeId = (int) longValue;
            return 1;
        }
        if (is(nameStart, nameEnd, "parameter")) {
            if (!string()) {
                return 0;
            }
            parameter = null;
            for (Parameter candidate : PARAMETERS) {
                if (is(stringStart, stringEnd, candidate.name())) {
                    parameter = candidate;
                }
            }
            return parameter == null ? 0 : 2;
        }
        if (is(nameStart, nameEnd, "value")) {
            if (!real()) {
                return 0;
            }
            value = doubleValue;
            return 4;
        }
        return 0;
    }

    /** Reads a string with no escapes, control or non-ASCII characters into {@code stringStart..stringEnd}. */
    private boolean string() {
        if (!take('"')) {
            return false;
        }
        stringStart = at;
        while (at < end) {
            byte b = line[at];
            if (b == '"') {
                stringEnd = at++;
                return true;
            }
            if (b == '\\' || b < 0x20) {
                return false;
            }
            at++;
        }
        return false;
    }

    /** Reads a JSON integer that fits a long into {@code longValue}. */
    private boolean integer() {
        boolean negative = take('-');
        int digitsStart = at;
        long magnitude = 0;
        while (at < end && line[at] >= '0' && line[at] <= '9') {
            if (magnitude > (Long.MAX_VALUE - 9) / 10) {
                return false;
            }
            magnitude = 10 * magnitude + (line[at++] - '0');
        }
        int digits = at - digitsStart;
        if (digits == 0 || (digits > 1 && line[digitsStart] == '0')) {
            return false;
        }
        if (at < end && (line[at] == '.' || line[at] == 'e' || line[at] == 'E')) {
            return false;
        }
        longValue = negative ? -magnitude : magnitude;
        return true;
    }

    /**
     * Reads a JSON number, or one of the strings Jackson writes for the numbers JSON lacks ({@code "NaN"},
     * {@code "Infinity"}, {@code "-Infinity"}), into {@code doubleValue}.
     */
    private boolean real() {
        if (at < end && line[at] == '"') {
            if (!string()) {
                return false;
            }
            if (is(stringStart, stringEnd, "NaN")) {
                doubleValue = Double.NaN;
            } else if (is(stringStart, stringEnd, "Infinity")) {
                doubleValue = Double.POSITIVE_INFINITY;
            } else if (is(stringStart, stringEnd, "-Infinity")) {
                doubleValue = Double.NEGATIVE_INFINITY;
            } else {
                return false;
            }
            return true;
        }
        int start = at;
        while (at < end && (line[at] >= '0' && line[at] <= '9' || line[at] == '-' || line[at] == '+'
                || line[at] == '.' || line[at] == 'e' || line[at] == 'E')) {
            at++;
        }
        doubleValue = ExactDecimal.parse(line, start, at);
        return !Double.isNaN(doubleValue);
    }

    private void space() {
        while (at < end && (line[at] == ' ' || line[at] == '\t' || line[at] == '\r' || line[at] == '\n')) {
            at++;
        }
    }

    private boolean take(char character) {
        if (at < end && line[at] == character) {
            at++;
            return true;
        }
        return false;
    }

    /** Whether bytes {@code start..stop} of the line spell {@code text}. */
    private boolean is(int start, int stop, String text) {
        if (stop - start != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (line[start + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
