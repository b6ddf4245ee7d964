package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Parameter;
import desk.engine.dsp.Decibels;
import desk.engine.dsp.SmoothedGains;
import desk.engine.midi.MidiBinding;
import desk.engine.midi.MidiEvent;
import desk.engine.midi.MidiMessages;
import desk.engine.midi.MidiReportSink;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.MidiMap;
import desk.engine.rt.MidiReportTable;
import desk.engine.rt.MidiRouter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The control side of MIDI: checks the bindings and installs them as a {@link MidiMap} (a binding to a
 * strip's fader gets that fader, unless a lane drives it), passes on the values other sources set, injects and
 * sends messages, and takes the audio thread's reports, noting in the model each fader the audio thread moved
 * so that gains compiled later start from it. Taking the reports allocates nothing: they go to a sink every
 * one, or coalesced to the last value of each binding (what a control storm needs: the engine process then
 * sends the session a few values each time, however many messages came).
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class MidiControl {
    private final MixerModel model;
    private final CommandWriter writer;
    private final MidiRouter router;
    private final Reports reports = new Reports();
    private List<MidiBinding> specs = List.of();

    MidiControl(MixerModel model, AudioGraph graph, CommandWriter writer) {
        this.model = model;
        this.writer = writer;
        this.router = graph.midi();
    }

    void setMap(EngineCommand.SetMidiMap c) {
        List<MidiBinding> given = c.bindings() == null ? List.of() : c.bindings();
        List<SmoothedGains> faders = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        StripState[] targets = new StripState[given.size()];
        for (int i = 0; i < given.size(); i++) {
            MidiBinding spec = given.get(i);
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
                targets[i] = strip;
            }
            faders.add(fader);
        }
        writer.swapMidiMap(new MidiMap(given, faders));
        specs = List.copyOf(given);
        reports.bind(specs, targets);
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

    /**
     * Hands the audio thread's reports since the last call to {@code out}, in the order handled: every one
     * ({@code all}), or only the last value each binding gave, in the order of the bindings' ids. Faders the
     * audio thread moved are noted in the model first. Returns how many messages were received.
     */
    long drain(boolean all, MidiReportSink out) {
        reports.start(all, out);
        long received = router.drain(reports);
        reports.finish();
        return received;
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
        return MidiMessages.pack(status, data1, data2);
    }

    /** The sink the reports pass through: notes moved faders, then forwards or keeps the last per binding. */
    private static final class Reports implements MidiReportSink {
        private int[] ids = new int[0];
        private StripState[] targets = new StripState[0];
        private boolean[] kept = new boolean[0];
        private MidiReportTable keptReports = new MidiReportTable(0);
        private boolean all;
        private MidiReportSink out;

        /** Follows new bindings: {@code targets[i]} is the strip whose fader binding {@code i} sets, or null. */
        void bind(List<MidiBinding> specs, StripState[] byBinding) {
            int count = specs.size();
            Integer[] sorted = new Integer[count];
            for (int i = 0; i < count; i++) {
                sorted[i] = i;
            }
            java.util.Arrays.sort(sorted, java.util.Comparator.comparingInt(i -> specs.get(i).id()));
            ids = new int[count];
            targets = new StripState[count];
            for (int i = 0; i < count; i++) {
                ids[i] = specs.get(sorted[i]).id();
                targets[i] = byBinding[sorted[i]];
            }
            kept = new boolean[count];
            keptReports = new MidiReportTable(count);
        }

        void start(boolean every, MidiReportSink sink) {
            all = every;
            out = sink;
        }

        @Override
        public void report(long sample, int port, int message, int binding, double value, boolean applied) {
            int index = binding == MidiEvent.UNBOUND ? -1 : java.util.Arrays.binarySearch(ids, binding);
            if (applied && index >= 0 && targets[index] != null) {
                StripState strip = targets[index];
                float gain = (float) Decibels.toGain(value);
                strip.faderDb = value;
                if (strip.faderSent != null && strip.faderSent.length == 1) {
                    strip.faderSent[0] = gain;
                } else {
                    strip.faderSent = new float[] {gain};
                }
            }
            if (all) {
                out.report(sample, port, message, binding, value, applied);
            } else if (index >= 0 && !Double.isNaN(value)) {
                kept[index] = true;
                keptReports.rtPut(index, sample, port, message, binding, value, applied);
            }
        }

        /** Hands on what was kept, in the order of the bindings' ids, and forgets it. */
        void finish() {
            if (!all) {
                for (int i = 0; i < ids.length; i++) {
                    if (kept[i]) {
                        kept[i] = false;
                        keptReports.handTo(i, out);
                    }
                }
            }
            out = null;
        }
    }
}
