package desk.engine.backend;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import desk.engine.EngineException;
import desk.engine.RealTime;
import desk.engine.midi.MidiBinding;
import desk.engine.midi.MidiMessages;
import desk.engine.midi.MidiOutgoing;
import desk.engine.midi.MidiPorts;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The JACK client's MIDI ports: each period the audio thread reads every input port's events (channel
 * messages only; system messages are skipped) into the engine, stamped with their frame, and writes the
 * engine's outgoing messages into the output ports on theirs. libjack is called directly, on preallocated
 * native memory, so neither direction allocates.
 * <p>
 * Threads: the {@link MidiPorts} methods on the control thread; {@link #rtRead} and {@link #rtWrite} on
 * JACK's audio thread.
 */
final class JackMidi implements MidiPorts {
    private static final String MIDI_TYPE = "8 bit raw midi";
    /** jack_midi_event_t: frame (uint32), then size (size_t) at 8, then the data pointer at 16. */
    private static final int EVENT_SIZE_OFFSET = 8;
    private static final int EVENT_BUFFER_OFFSET = 16;

    private final Jack jack;
    private final JackClient client;
    private final long clientPointer;
    private final Runnable awaitCycle;
    private volatile long[] inputs = new long[MidiBinding.MAX_PORTS];
    private volatile long[] outputs = new long[MidiBinding.MAX_PORTS];
    /** Native room for one jack_midi_event_t, and for one outgoing message; kept for the client's life. */
    private final Memory event = new Memory(24);
    private final long eventAddress = Pointer.nativeValue(event);
    private final Memory message = new Memory(4);
    private final long messageAddress = Pointer.nativeValue(message);
    private final JackNative.MovablePointer pointer = new JackNative.MovablePointer();

    JackMidi(Jack jack, JackClient client, long clientPointer, Runnable awaitCycle) {
        this.jack = jack;
        this.client = client;
        this.clientPointer = clientPointer;
        this.awaitCycle = awaitCycle;
    }

    @Override
    public String add(int place, String name, boolean output) {
        long[] table = (output ? outputs : inputs).clone();
        checkPlace(place);
        if (table[place] != 0) {
            throw new EngineException("MIDI " + (output ? "output" : "input") + " " + place + " exists already");
        }
        long port = JackNative.jack_port_register(clientPointer, name, MIDI_TYPE,
                output ? JackNative.PORT_IS_OUTPUT : JackNative.PORT_IS_INPUT, 0);
        if (port == 0) {
            throw new EngineException("JACK refused MIDI port " + client.getName() + ":" + name
                    + " (is the name taken?)");
        }
        table[place] = port;
        publish(table, output);
        return client.getName() + ":" + name;
    }

    @Override
    public void remove(int place, boolean output) {
        long[] table = (output ? outputs : inputs).clone();
        checkPlace(place);
        long port = table[place];
        if (port == 0) {
            return;
        }
        table[place] = 0;
        publish(table, output);
        awaitCycle.run();
        JackNative.jack_port_unregister(clientPointer, port);
    }

    @Override
    public List<String> others(boolean senders) {
        String own = client.getName() + ":";
        try {
            List<String> names = new ArrayList<>();
            for (String name : jack.getPorts(client, null, JackPortType.MIDI,
                    EnumSet.of(senders ? JackPortFlags.JackPortIsOutput : JackPortFlags.JackPortIsInput))) {
                if (!name.startsWith(own)) {
                    names.add(name);
                }
            }
            return names;
        } catch (JackException e) {
            throw new EngineException("JACK: cannot list the server's MIDI ports");
        }
    }

    @Override
    public void connect(int place, boolean output, String other) {
        checkPlace(place);
        long port = (output ? outputs : inputs)[place];
        if (port == 0) {
            throw new EngineException("MIDI " + (output ? "output " : "input ") + place + " does not exist");
        }
        List<String> candidates = others(!output);
        if (!candidates.contains(other)) {
            throw new EngineException("MIDI port \"" + other + "\": the JACK server has no such "
                    + (output ? "receiving" : "sending") + " port" + (candidates.isEmpty() ? " (it has none)"
                    : "; it has " + String.join(", ", candidates)));
        }
        String own = JackNative.jack_port_name(port);
        int result = output ? JackNative.jack_connect(clientPointer, own, other)
                : JackNative.jack_connect(clientPointer, other, own);
        if (result != 0 && result != JackNative.ALREADY_CONNECTED) {
            throw new EngineException("JACK refused to connect " + other + (output ? " from " : " to ") + own);
        }
    }

    private void publish(long[] table, boolean output) {
        if (output) {
            outputs = table;
        } else {
            inputs = table;
        }
    }

    private static void checkPlace(int place) {
        if (place < 0 || place >= MidiBinding.MAX_PORTS) {
            throw new EngineException("MIDI port place " + place + ": must be 0.." + (MidiBinding.MAX_PORTS - 1));
        }
    }

    /** Hands every channel message of this period's input ports to {@code engine}, with its frame. */
    @RealTime
    void rtRead(AudioCallback engine, int frames) {
        long[] ports = inputs;
        for (int place = 0; place < ports.length; place++) {
            if (ports[place] == 0) {
                continue;
            }
            long buffer = JackNative.jack_port_get_buffer(ports[place], frames);
            int count = JackNative.jack_midi_get_event_count(buffer);
            for (int i = 0; i < count; i++) {
                if (JackNative.jack_midi_event_get(eventAddress, buffer, i) != 0) {
                    continue;
                }
                pointer.moveTo(eventAddress);
                int frame = pointer.rtInt(0);
                long size = pointer.rtLong(EVENT_SIZE_OFFSET);
                pointer.moveTo(pointer.rtLong(EVENT_BUFFER_OFFSET));
                int status = size > 0 ? pointer.rtByte(0) : 0;
                if (status < 0x80 || status > 0xEF || size < 2) {
                    continue;
                }
                int data2 = size > 2 ? pointer.rtByte(2) : 0;
                engine.rtMidiIn(place, frame, MidiMessages.pack(status, pointer.rtByte(1), data2));
            }
        }
    }

    /**
     * Clears this period's output port buffers and writes the engine's outgoing messages into them, each on
     * its frame counted from {@code periodStart} (the engine sample the period began on), then clears them.
     */
    @RealTime
    void rtWrite(MidiOutgoing outgoing, long periodStart, int frames) {
        long[] ports = outputs;
        for (long port : ports) {
            if (port != 0) {
                JackNative.jack_midi_clear_buffer(JackNative.jack_port_get_buffer(port, frames));
            }
        }
        int count = outgoing.rtOutgoing();
        for (int i = 0; i < count; i++) {
            int place = outgoing.rtOutgoingPort(i);
            if (place < 0 || place >= ports.length || ports[place] == 0) {
                continue;
            }
            int message = outgoing.rtOutgoingMessage(i);
            int status = MidiMessages.status(message);
            pointer.moveTo(messageAddress);
            pointer.rtSetByte(0, status);
            pointer.rtSetByte(1, MidiMessages.data1(message));
            pointer.rtSetByte(2, MidiMessages.data2(message));
            long frame = Math.max(0, Math.min(frames - 1, outgoing.rtOutgoingTime(i) - periodStart));
            int size = (status & 0xF0) == 0xC0 || (status & 0xF0) == 0xD0 ? 2 : 3;
            JackNative.jack_midi_event_write(JackNative.jack_port_get_buffer(ports[place], frames), (int) frame,
                    messageAddress, size);
        }
        outgoing.rtClearOutgoing();
    }
}
