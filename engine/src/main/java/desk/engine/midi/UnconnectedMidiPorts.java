package desk.engine.midi;

import desk.engine.EngineException;

import java.util.List;

/**
 * The MIDI ports of an interface with no MIDI of its own (the built-in backends, offline renders): the
 * session's ports exist by name, so bindings and scripts work the same, but no other program can connect to
 * them; messages reach them only by injection.
 * <p>
 * Threads: the session's control thread.
 */
public final class UnconnectedMidiPorts implements MidiPorts {
    private final String[][] names = new String[2][MidiBinding.MAX_PORTS];

    @Override
    public String add(int place, String name, boolean output) {
        String[] table = names[output ? 1 : 0];
        if (place < 0 || place >= table.length) {
            throw new EngineException("MIDI port place " + place + ": must be 0.." + (table.length - 1));
        }
        if (table[place] != null) {
            throw new EngineException("MIDI " + (output ? "output" : "input") + " " + place + " exists already");
        }
        table[place] = name;
        return name;
    }

    @Override
    public void remove(int place, boolean output) {
        if (place >= 0 && place < MidiBinding.MAX_PORTS) {
            names[output ? 1 : 0][place] = null;
        }
    }

    @Override
    public List<String> others(boolean senders) {
        return List.of();
    }

    @Override
    public void connect(int place, boolean output, String other) {
        throw new EngineException("MIDI port \"" + other + "\": this interface has no other MIDI ports to connect"
                + " to (MIDI ports connect on JACK)");
    }
}
