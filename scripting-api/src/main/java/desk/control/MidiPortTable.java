package desk.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.EngineException;
import desk.engine.midi.MidiBinding;
import desk.session.DeskException;
import desk.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The session's MIDI ports by name: inputs and outputs, each in a numbered place of the interface's
 * {@link desk.engine.midi.MidiPorts} (the place bindings and messages name), with the other program's port it
 * was connected with. Made again, connected, in a fresh engine; saved with the session.
 * <p>
 * Threads: the session's control thread.
 */
final class MidiPortTable {
    private static final int INPUTS = 0;
    private static final int OUTPUTS = 1;

    private final Session session;
    private final Consumer<String> notices;
    private final String[][] names = new String[2][MidiBinding.MAX_PORTS];
    private final String[][] connections = new String[2][MidiBinding.MAX_PORTS];

    MidiPortTable(Session session, Consumer<String> notices) {
        this.session = session;
        this.notices = notices;
    }

    /**
     * Makes input or output ({@code output}) port {@code name}, connected with {@code other} (another program's
     * port) unless null, and returns its full name; a port of that name already there is only connected.
     */
    String add(String name, String other, boolean output) {
        String label = "session.midi." + (output ? "output" : "input");
        if (name == null || !name.matches("[A-Za-z0-9_. -]{1,64}")) {
            throw new DeskException(label + " \"" + name + "\": a name of 1..64 letters, digits, spaces, _ . -");
        }
        int existing = place(name, output);
        if (existing >= 0) {
            connect(existing, output, other);
            return name;
        }
        int place = place(null, output);
        if (place < 0) {
            throw new DeskException(label + " " + name + ": at most " + MidiBinding.MAX_PORTS + " "
                    + (output ? "outputs" : "inputs"));
        }
        String full = engine(() -> session.audio().midiPorts().add(place, name, output));
        names[side(output)][place] = name;
        connect(place, output, other);
        return full;
    }

    private void connect(int place, boolean output, String other) {
        if (other != null) {
            engine(() -> {
                session.audio().midiPorts().connect(place, output, other);
                return null;
            });
            connections[side(output)][place] = other;
        }
    }

    /** The place of port {@code name} (null: the first free place), or -1. */
    int place(String name, boolean output) {
        String[] table = names[side(output)];
        for (int i = 0; i < table.length; i++) {
            if (Objects.equals(table[i], name)) {
                return i;
            }
        }
        return -1;
    }

    /** The name of the port in {@code place}, or null. */
    String name(int place, boolean output) {
        return place >= 0 && place < MidiBinding.MAX_PORTS ? names[side(output)][place] : null;
    }

    /** The inputs' or outputs' names. */
    List<String> names(boolean output) {
        List<String> list = new ArrayList<>();
        for (String name : names[side(output)]) {
            if (name != null) {
                list.add(name);
            }
        }
        return list;
    }

    /** Other programs' MIDI ports an input can connect from ({@code senders}) or an output to. */
    List<String> available(boolean senders) {
        return engine(() -> session.audio().midiPorts().others(senders));
    }

    /** Makes every port again in a fresh engine, connected as it was (a connection refused is a notice). */
    void replay() {
        for (boolean output : new boolean[] {false, true}) {
            for (int place = 0; place < MidiBinding.MAX_PORTS; place++) {
                String name = names[side(output)][place];
                if (name == null) {
                    continue;
                }
                int at = place;
                engine(() -> session.audio().midiPorts().add(at, name, output));
                connectOrTell(place, output, connections[side(output)][place]);
            }
        }
    }

    /** The ports, as the session file keeps them: {@code [{name, connect}, ...]}. */
    ArrayNode document(boolean output) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (int place = 0; place < MidiBinding.MAX_PORTS; place++) {
            if (names[side(output)][place] != null) {
                ObjectNode port = list.addObject().put("name", names[side(output)][place]);
                if (connections[side(output)][place] != null) {
                    port.put("connect", connections[side(output)][place]);
                }
            }
        }
        return list;
    }

    /**
     * Makes the ports of {@code list}, as {@link #document} wrote it. A connection the server cannot make now is
     * a notice, not a failure (the controller may be unplugged); it is kept, to be made again after a lost engine.
     */
    void restore(JsonNode list, boolean output) {
        for (JsonNode port : list) {
            String name = port.path("name").asText(null);
            add(name, null, output);
            connectOrTell(place(name, output), output, port.path("connect").asText(null));
        }
    }

    private void connectOrTell(int place, boolean output, String other) {
        if (other == null) {
            return;
        }
        try {
            connect(place, output, other);
        } catch (DeskException e) {
            connections[side(output)][place] = other;
            notices.accept("MIDI " + names[side(output)][place] + ": not connected: " + e.getMessage());
        }
    }

    /** Calls the engine's ports, an engine refusal becoming a DeskException with its line. */
    static <T> T engine(Supplier<T> call) {
        try {
            return call.get();
        } catch (EngineException e) {
            throw new DeskException(e.getMessage());
        }
    }

    private static int side(boolean output) {
        return output ? OUTPUTS : INPUTS;
    }
}
