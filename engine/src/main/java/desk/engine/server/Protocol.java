package desk.engine.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.midi.MidiEvent;
import desk.engine.midi.MidiMessages;
import desk.engine.midi.MidiReport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format between the REPL and the engine process: one JSON object per line. A request names an
 * operation ({@code op}) and its arguments; the answer is {@code {"ok": value}} or {@code {"error": "one
 * line"}}; the engine may also send {@code {"event": "one line"}} at any time. An {@link EngineCommand}
 * travels as {@code {"op": "execute", "type": "<record name>", "command": {<record components>}}}: every
 * record that implements the sealed interface is found by reflection, so new commands need no change here.
 * A timed command ({@link EngineCommand.At}) travels as the command it times, with {@code "at": sample}.
 * <p>
 * Threads: any thread (the mapper is thread-safe once configured).
 */
final class Protocol {
    /** The JSON mapper both ends use: non-finite numbers allowed (levels of -inf dB, a send pan of NaN). */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Map<String, Class<? extends EngineCommand>> COMMANDS = commandTypes();

    private Protocol() {
    }

    /** A request for {@code operation}, to which arguments are added. */
    static ObjectNode request(Operation operation) {
        return JSON.createObjectNode().put("op", operation.wireName());
    }

    /** The request that executes {@code command}. */
    static ObjectNode execute(EngineCommand command) {
        ObjectNode request = request(Operation.EXECUTE);
        if (command instanceof EngineCommand.At at) {
            if (at.command() == null || at.command() instanceof EngineCommand.At) {
                throw new EngineException("a timed command needs one command to apply, not " + at.command());
            }
            request.put("at", at.sample());
            command = at.command();
        }
        request.put("type", command.getClass().getSimpleName());
        request.set("command", JSON.valueToTree(command));
        return request;
    }

    /** The command an execute request carries; refuses an unknown type by name. */
    static EngineCommand command(JsonNode request) {
        String type = request.path("type").asText();
        Class<? extends EngineCommand> recordType = COMMANDS.get(type);
        if (recordType == null) {
            throw new EngineException("unknown engine command \"" + type + "\": the engine knows " + COMMANDS.keySet());
        }
        try {
            EngineCommand command = JSON.treeToValue(request.get("command"), recordType);
            return request.has("at") ? new EngineCommand.At(request.get("at").asLong(), command) : command;
        } catch (JsonProcessingException e) {
            throw new EngineException("engine command " + type + " could not be read: " + e.getOriginalMessage());
        }
    }

    /** One line of JSON. */
    static String line(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new EngineException("could not write " + node.getNodeType() + ": " + e.getOriginalMessage());
        }
    }

    private static Map<String, Class<? extends EngineCommand>> commandTypes() {
        Map<String, Class<? extends EngineCommand>> types = new HashMap<>();
        addRecords(EngineCommand.class, types);
        return types;
    }

    /** The records under {@code sealed}, however deeply its permitted types nest. */
    private static void addRecords(Class<?> sealed, Map<String, Class<? extends EngineCommand>> types) {
        for (Class<?> type : sealed.getPermittedSubclasses()) {
            if (type.isRecord()) {
                types.put(type.getSimpleName(), type.asSubclass(EngineCommand.class));
            } else if (type.isSealed()) {
                addRecords(type, types);
            }
        }
    }

    /** {@code node} read as a {@code type}; an unreadable answer is refused in one line. */
    static <T> T read(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new EngineException("the engine process answered something unreadable: " + e.getOriginalMessage());
        }
    }

    /**
     * The answer to {@code midiEvents} and {@code midiLatest}: {@code {"events": [[sample, port, message, binding,
     * value, applied], ...], "received": n, "dropped": n}}, the message packed as {@link MidiMessages#pack} does.
     */
    static JsonNode midiReport(MidiReport report) {
        ObjectNode answer = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode events = answer.putArray("events");
        for (MidiEvent event : report.events()) {
            com.fasterxml.jackson.databind.node.ArrayNode row = events.addArray().add(event.sample()).add(event.port())
                    .add(MidiMessages.pack(event.status(), event.data1(), event.data2())).add(event.binding());
            if (Double.isNaN(event.value())) {
                row.add("NaN");
            } else {
                row.add(event.value());
            }
            row.add(event.applied());
        }
        return answer.put("received", report.received()).put("dropped", report.dropped());
    }

    /** The report a {@link #midiReport} answer carries. */
    static MidiReport midiReport(JsonNode answer) {
        List<MidiEvent> events = new ArrayList<>();
        for (JsonNode row : answer.path("events")) {
            int message = row.get(2).asInt();
            events.add(new MidiEvent(row.get(0).asLong(), row.get(1).asInt(), MidiMessages.status(message),
                    MidiMessages.data1(message), MidiMessages.data2(message), row.get(3).asInt(), row.get(4).asDouble(),
                    row.get(5).asBoolean()));
        }
        return new MidiReport(answer.path("received").asLong(), answer.path("dropped").asLong(), List.copyOf(events));
    }

    /** A list of names. */
    static List<String> strings(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asText()));
        return List.copyOf(names);
    }

    /** A list of lists of names, such as the connections of a bus's ports. */
    static List<List<String>> lists(JsonNode array) {
        List<List<String>> lists = new ArrayList<>();
        array.forEach(names -> lists.add(strings(names)));
        return List.copyOf(lists);
    }
}
