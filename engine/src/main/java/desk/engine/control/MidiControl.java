package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Parameter;
import desk.engine.dsp.Decibels;
import desk.engine.dsp.SmoothedGains;
import desk.engine.midi.MidiBinding;
import desk.engine.midi.MidiEvent;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.MidiMap;
import desk.engine.rt.MidiRouter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The control side of MIDI: checks the bindings and installs them as a {@link MidiMap} (a binding to a
 * strip's fader gets that fader, unless a lane drives it), passes on the values other sources set, injects and
 * sends messages, and takes the audio thread's reports, noting in the model each fader the audio thread moved
 * so that gains compiled later start from it.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class MidiControl {
    private final MixerModel model;
    private final CommandWriter writer;
    private final MidiRouter router;
    private Map<Integer, MidiBinding> bindings = Map.of();
    private List<MidiBinding> specs = List.of();

    MidiControl(MixerModel model, AudioGraph graph, CommandWriter writer) {
        this.model = model;
        this.writer = writer;
        this.router = graph.midi();
    }

    void setMap(EngineCommand.SetMidiMap c) {
        List<MidiBinding> specs = c.bindings() == null ? List.of() : c.bindings();
        List<SmoothedGains> faders = new ArrayList<>();
        Map<Integer, MidiBinding> byId = new HashMap<>();
        Set<Integer> ids = new HashSet<>();
        for (MidiBinding spec : specs) {
            String problem = spec == null ? "a MIDI binding is missing" : spec.problem();
            if (problem != null) {
                throw new EngineException(problem);
            }
            if (!ids.add(spec.id())) {
                throw new EngineException("MIDI binding " + spec.id() + " is given twice");
            }
            SmoothedGains fader = null;
            if (spec.setsFader()) {
                StripState strip = model.strip(spec.targetId(), "strip");
                fader = strip.lanes.containsKey(Parameter.FADER) ? null : strip.node.fader();
            }
            faders.add(fader);
            byId.put(spec.id(), spec);
        }
        writer.swapMidiMap(new MidiMap(specs, faders));
        bindings = byId;
        this.specs = List.copyOf(specs);
    }

    /** Installs the bindings again after a lane came or went: a fader a lane drives is left to the lane. */
    void lanesChanged() {
        if (!specs.isEmpty()) {
            setMap(new EngineCommand.SetMidiMap(specs));
        }
    }

    void setCurrent(EngineCommand.SetMidiCurrent c) {
        if (!(c.position() >= 0 && c.position() <= 1)) {
            throw new EngineException("MIDI position " + c.position() + ": must be 0..1");
        }
        writer.setMidiCurrent(c.binding(), c.position());
    }

    void receive(EngineCommand.ReceiveMidi c) {
        writer.midi(true, checkedPort(c.port()), message(c.status(), c.data1(), c.data2()));
    }

    void send(EngineCommand.SendMidi c) {
        writer.midi(false, checkedPort(c.port()), message(c.status(), c.data1(), c.data2()));
    }

    /** The audio thread's reports since the last call, oldest first; faders it moved are noted in the model. */
    List<MidiEvent> drain() {
        List<MidiEvent> events = new ArrayList<>();
        router.drain(event -> {
            if (event.applied()) {
                MidiBinding binding = bindings.get(event.binding());
                StripState strip = binding == null ? null : model.find(binding.targetId());
                if (strip != null) {
                    strip.faderDb = event.value();
                    strip.faderSent = new float[] {(float) Decibels.toGain(event.value())};
                }
            }
            events.add(event);
        });
        return events;
    }

    private static int checkedPort(int port) {
        if (port < 0 || port >= MidiBinding.MAX_PORTS) {
            throw new EngineException("MIDI port " + port + ": must be 0.." + (MidiBinding.MAX_PORTS - 1));
        }
        return port;
    }

    private static int message(int status, int data1, int data2) {
        if (status < 0x80 || status > 0xEF) {
            throw new EngineException("MIDI status " + status + ": must be a channel message, 128..239");
        }
        if (data1 < 0 || data1 > 127 || data2 < 0 || data2 > 127) {
            throw new EngineException("MIDI data " + data1 + " " + data2 + ": must be 0..127");
        }
        return MidiRouter.pack(status, data1, data2);
    }
}
