package desk.engine.server;

import desk.engine.EngineException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The operations of the engine server's protocol, each with its name on the wire: the one list both ends
 * use. The link builds its requests from these constants, the server dispatches on them (a switch that
 * must name every one), and the allocation-free path matches a name in the request's bytes without making
 * a string.
 * <p>
 * Threads: any thread.
 */
enum Operation {
    /** Executes an engine command. */
    EXECUTE("execute"),
    /** A strip's meter at a point. */
    METER("meter"),
    /** A strip's latency. */
    STRIP_LATENCY("stripLatency"),
    /** What the engine's shared clock says. */
    CLOCK("clock"),
    /** What an insert reports. */
    INSERT("insert"),
    /** What an insert keeps beyond its parameters (a plugin's state). */
    INSERT_STATE("insertState"),
    /** The engine's sample position. */
    POSITION("position"),
    /** The transport's state. */
    TRANSPORT("transport"),
    /** What the disk side has done. */
    DISK("disk"),
    /** How many failures there were inside DSP. */
    FAILURES("failures"),
    /** The last failure inside DSP. */
    LAST_FAILURE("lastFailure"),
    /** The engine's sample rate. */
    SAMPLE_RATE("sampleRate"),
    /** The interface's capture ports. */
    CAPTURE_PORTS("capturePorts"),
    /** One line about the backend. */
    DESCRIBE("describe"),
    /** The ports a track's input can be connected to. */
    INPUTS("inputs"),
    /** The ports the master and direct outs can feed. */
    OUTPUTS("outputs"),
    /** What a bus's output ports feed. */
    CONNECTIONS("connections"),
    /** Registers a track's input ports. */
    ADD_TRACK("addTrack"),
    /** Renames a track's input ports. */
    RENAME_TRACK("renameTrack"),
    /** Takes a track's input ports away. */
    REMOVE_TRACK("removeTrack"),
    /** Checks a port a track's input could be connected to. */
    CHECK_INPUT("checkInput"),
    /** Connects a port to a track's input channel. */
    CONNECT_INPUT("connectInput"),
    /** The backend's latency figures. */
    LATENCY("latency"),
    /** The xruns counted so far. */
    XRUNS("xruns"),
    /** A bus's output ports. */
    BUS_PORTS("busPorts"),
    /** Registers a bus's direct out ports. */
    ADD_DIRECT_OUT("addDirectOut"),
    /** Renames a bus's direct out ports. */
    RENAME_DIRECT_OUT("renameDirectOut"),
    /** Takes a bus's direct out ports away. */
    REMOVE_DIRECT_OUT("removeDirectOut"),
    /** Checks a port the master or a direct out could feed. */
    CHECK_OUTPUT("checkOutput"),
    /** Connects a bus's output port to another client's input. */
    CONNECT_OUTPUT("connectOutput"),
    /** Disconnects a bus's output port. */
    DISCONNECT_OUTPUT("disconnectOutput"),
    /** What the engine process has allocated (answered by the allocation-free path alone). */
    ALLOCATION("allocation"),
    /** Every MIDI message received since the last request, with what its binding made of it. */
    MIDI_EVENTS("midiEvents"),
    /** How many MIDI messages were received since the last request, and the last value of each binding. */
    MIDI_LATEST("midiLatest"),
    /** Makes a MIDI input or output port in a place. */
    ADD_MIDI_PORT("addMidiPort"),
    /** Removes a MIDI port. */
    REMOVE_MIDI_PORT("removeMidiPort"),
    /** Other programs' MIDI ports that send, or that receive. */
    MIDI_OTHERS("midiOthers"),
    /** Connects a MIDI port to another program's. */
    CONNECT_MIDI("connectMidi"),
    /** The first request on a connection to an engine on the network: the token, and who asks. */
    HELLO("hello"),
    /** Leaves one chunk of the session's state with an engine on the network ({@link KeptState}). */
    KEEP("keep"),
    /** One chunk of the session's state an engine on the network keeps. */
    KEPT("kept");

    private static final Map<String, Operation> BY_NAME = new HashMap<>();

    static {
        for (Operation operation : values()) {
            BY_NAME.put(operation.wireName, operation);
        }
    }

    private final String wireName;
    private final byte[] ascii;

    Operation(String wireName) {
        this.wireName = wireName;
        this.ascii = wireName.getBytes(StandardCharsets.US_ASCII);
    }

    /** The operation's name on the wire. */
    String wireName() {
        return wireName;
    }

    /** The operation named {@code name} on the wire; refuses an unknown name, listing the known ones. */
    static Operation named(String name) {
        Operation operation = BY_NAME.get(name);
        if (operation == null) {
            throw new EngineException("unknown request \"" + name + "\": the engine answers "
                    + String.join(", ", Arrays.stream(values()).map(Operation::wireName).toList()));
        }
        return operation;
    }

    /** Whether bytes {@code [start, end)} of {@code line} are this operation's name; allocates nothing. */
    boolean isNamedBy(byte[] line, int start, int end) {
        return Arrays.equals(line, start, end, ascii, 0, ascii.length);
    }
}
