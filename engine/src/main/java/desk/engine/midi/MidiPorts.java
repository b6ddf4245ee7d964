package desk.engine.midi;

import java.util.List;

/**
 * The MIDI ports of an audio interface: the session's input and output ports, each in a numbered place
 * (0..{@link MidiBinding#MAX_PORTS} less one, inputs and outputs counted apart) that bindings and messages
 * name, and their connections to other programs' ports. On JACK each is a port of the client; on the built-in
 * interfaces the ports exist for the session but nothing can connect to them (offline renders play a
 * controller by injecting messages instead).
 * <p>
 * Refusals are one-line {@code EngineException}s; a refused call changes nothing. Threads: the session's
 * control thread.
 */
public interface MidiPorts {
    /** Makes input ({@code output} false) or output port {@code place}, called {@code name}; returns its full name. */
    String add(int place, String name, boolean output);

    /** Removes input or output port {@code place}. */
    void remove(int place, boolean output);

    /** Other programs' MIDI ports: those that send ({@code senders}) or those that receive. */
    List<String> others(boolean senders);

    /**
     * Connects input port {@code place} from other port {@code other}, or output port {@code place} to it
     * ({@code output}); connecting twice is no error.
     */
    void connect(int place, boolean output, String other);
}
