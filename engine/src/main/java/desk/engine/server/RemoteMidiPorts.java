package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.midi.MidiPorts;

import java.util.List;
import java.util.function.Function;

/**
 * The MIDI ports of the engine process, asked for over its link. While no engine answers, a new port's name is
 * what it will be and the list of other ports is empty; the session makes its ports again in a fresh engine.
 * <p>
 * Threads: the session's control thread; every call holds the link's lock.
 */
final class RemoteMidiPorts implements MidiPorts {
    private final Object lock;
    private final Function<ObjectNode, JsonNode> call;

    /** Ports asked for through {@code call} (null while the engine is down), under {@code lock}. */
    RemoteMidiPorts(Object lock, Function<ObjectNode, JsonNode> call) {
        this.lock = lock;
        this.call = call;
    }

    @Override
    public String add(int place, String name, boolean output) {
        synchronized (lock) {
            JsonNode answer = call.apply(Protocol.request(Operation.ADD_MIDI_PORT).put("place", place)
                    .put("name", name).put("output", output));
            return answer == null ? name : answer.asText();
        }
    }

    @Override
    public void remove(int place, boolean output) {
        synchronized (lock) {
            call.apply(Protocol.request(Operation.REMOVE_MIDI_PORT).put("place", place).put("output", output));
        }
    }

    @Override
    public List<String> others(boolean senders) {
        synchronized (lock) {
            JsonNode answer = call.apply(Protocol.request(Operation.MIDI_OTHERS).put("senders", senders));
            return answer == null ? List.of() : Protocol.strings(answer);
        }
    }

    @Override
    public void connect(int place, boolean output, String other) {
        synchronized (lock) {
            call.apply(Protocol.request(Operation.CONNECT_MIDI).put("place", place).put("output", output)
                    .put("port", other));
        }
    }
}
