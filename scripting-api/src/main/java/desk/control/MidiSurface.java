package desk.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.EngineCommand;
import desk.engine.insert.InsertParameter;
import desk.engine.midi.MidiBinding;
import desk.engine.midi.MidiControlType;
import desk.engine.midi.MidiCurve;
import desk.engine.midi.MidiEvent;
import desk.engine.midi.MidiReport;
import desk.session.DeskException;
import desk.session.Insert;
import desk.session.Session;
import desk.session.SessionPart;
import desk.session.Strip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * MIDI control of the session: input and output ports (JACK MIDI ports live; on the built-in interfaces
 * ports that only injected messages reach), mappings from controls to strip parameters, MIDI learn, script
 * handlers for notes, controls and program changes, and feedback to motorised faders and LEDs.
 * <p>
 * The engine's audio thread runs the mappings ({@link MidiBinding}): it decodes 7- and 14-bit controls, NRPN
 * and pitch bend, applies soft takeover, and sets a mapped fader on the sample of its message. Its reports
 * come here, on the session's control thread, at every turn of its control loop (every message while a
 * learn or a handler waits for them; otherwise only the last value of each mapping, however many came): the last
 * value per mapping is set through the same session methods scripts call (for a fader that is where the
 * audio thread already put it), learn and handlers run, and a parameter that something else changed is told
 * to the engine (so soft takeover knows where it is) and sent to the mapping's output.
 * <p>
 * Threads: every method on the session's control thread, except {@link #close}, any thread.
 */
public final class MidiSurface implements SessionPart, AutoCloseable {
    /** How long without a change ends a gesture's undo group, seconds. */
    public static final double GESTURE_SECONDS = 0.5;
    /** The message kinds script handlers can take. */
    public static final List<String> KINDS = List.of("note", "noteoff", "cc", "program", "pitchbend");
    private static final int CHANNELS = 16;

    private final Session session;
    private final Consumer<String> notices;
    private final OscAddressSpace space;
    private final MidiPortTable ports;
    private final List<MidiMapping> mappings = new ArrayList<>();
    private final Map<String, Consumer<Map<String, Object>>> handlers = new LinkedHashMap<>();
    /** Per input and channel, the NRPN a learn has seen selected, or -1. */
    private final int[] learnNrpn = new int[MidiBinding.MAX_PORTS * CHANNELS];
    private volatile boolean closed;
    private Learn learn;
    private int nextId = 1;
    private long received;
    private long dropped;
    /** The engine sample of the last change a control made, while its undo group is open; -1 when none is. */
    private long gestureSample = -1;

    /** What a learn maps the next control that moves to. */
    private record Learn(Strip strip, String parameter, MappingOptions options, Consumer<MidiMapping> done) {
    }

    /**
     * How a mapping spreads the control's travel: range ends (NaN: the parameter's default), curve (null: the
     * default), soft takeover, and the output for feedback (null: none).
     */
    public record MappingOptions(double min, double max, MidiCurve curve, boolean takeover, String output) {
    }

    /**
     * MIDI control of {@code session}, which takes the engine's reports at every turn of the session's control
     * loop, telling the user through {@code notices}.
     */
    public MidiSurface(Session session, Consumer<String> notices) {
        this.session = session;
        this.notices = notices;
        this.space = new OscAddressSpace(session);
        this.ports = new MidiPortTable(session, notices);
        java.util.Arrays.fill(learnNrpn, -1);
        session.onReplay(this::replay);
        session.attach(this);
        session.onTurn(this::tick);
    }

    /**
     * Makes MIDI input {@code name} (connected from {@code from}, another program's port, unless null) and
     * returns its full port name.
     */
    public String input(String name, String from) {
        return ports.add(name, from, false);
    }

    /** Makes MIDI output {@code name} (connected to {@code to} unless null) and returns its full port name. */
    public String output(String name, String to) {
        return ports.add(name, to, true);
    }

    /** The inputs' names. */
    public List<String> inputs() {
        return ports.names(false);
    }

    /** The outputs' names. */
    public List<String> outputs() {
        return ports.names(true);
    }

    /** Other programs' MIDI ports an input can connect from ({@code senders}) or an output to. */
    public List<String> available(boolean senders) {
        return ports.available(senders);
    }

    /**
     * Maps control {@code type} {@code number} on {@code channel} of input {@code input} to {@code parameter}
     * of {@code strip} (a name of the OSC address space under the strip); a mapping already on that control is
     * replaced. Returns the mapping.
     */
    public MidiMapping map(String input, int channel, MidiControlType type, int number, Strip strip,
                           String parameter, MappingOptions options) {
        String label = "session.midi.map";
        int place = input == null ? -1 : ports.place(input, false);
        if (place < 0) {
            throw new DeskException(label + " input " + show(input) + ": no such MIDI input (inputs: "
                    + (inputs().isEmpty() ? "none; make one with session.midi.input(name)" : String.join(", ", inputs())) + ")");
        }
        if (options.output() != null && ports.place(options.output(), true) < 0) {
            throw new DeskException(label + " feedback " + show(options.output()) + ": no such MIDI output (outputs: "
                    + (outputs().isEmpty() ? "none; make one with session.midi.output(name)" : String.join(", ", outputs())) + ")");
        }
        control(strip, parameter);
        double[] range = defaultRange(strip, parameter);
        double min = Double.isNaN(options.min()) ? range[0] : options.min();
        double max = Double.isNaN(options.max()) ? range[1] : options.max();
        MidiCurve curve = options.curve() != null ? options.curve()
                : parameter.equals("fader") || parameter.endsWith("/level") ? MidiCurve.FADER : MidiCurve.LINEAR;
        boolean isSwitch = MidiMapping.isSwitch(parameter);
        MidiMapping mapping = new MidiMapping(nextId, input, channel, type, number, strip, parameter, min, max, curve,
                options.takeover() && !isSwitch, options.output());
        String problem = mapping.binding(place).problem();
        if (problem != null) {
            throw new DeskException(label + ": " + problem);
        }
        List<MidiMapping> next = new ArrayList<>(mappings);
        next.removeIf(m -> m.input.equals(input) && m.channel == channel && m.type == type && m.number == number);
        next.add(mapping);
        publish(next);
        nextId++;
        return mapping;
    }

    /** Removes {@code mapping}; true if it was there. */
    public boolean unmap(MidiMapping mapping) {
        List<MidiMapping> next = new ArrayList<>(mappings);
        if (!next.remove(mapping)) {
            return false;
        }
        publish(next);
        return true;
    }

    /** The mappings, oldest first. */
    public List<MidiMapping> mappings() {
        return List.copyOf(mappings);
    }

    /**
     * Maps the next control that moves on any input (a control change, an NRPN data entry or a pitch bend) to
     * {@code parameter} of {@code strip}, then calls {@code done} with the mapping. Replaces a learn waiting.
     */
    public void learn(Strip strip, String parameter, MappingOptions options, Consumer<MidiMapping> done) {
        if (inputs().isEmpty()) {
            throw new DeskException("session.midi.learn: no MIDI input to learn from; make one with session.midi.input(name)");
        }
        control(strip, parameter);
        learn = new Learn(strip, parameter, options, done);
    }

    /** Whether a learn waits for a control to move. */
    public boolean learning() {
        return learn != null;
    }

    /** Calls {@code handler} with each message of {@code kind} (one of {@link #KINDS}); replaces the one there. */
    public void on(String kind, Consumer<Map<String, Object>> handler) {
        checkKind(kind);
        handlers.put(kind, handler);
    }

    /** Stops calling the handler of {@code kind}; true when there was one. */
    public boolean off(String kind) {
        checkKind(kind);
        return handlers.remove(kind) != null;
    }

    /** Sends a channel message out of output {@code output}, on engine sample {@code sample} (negative: now). */
    public void send(String output, int status, int data1, int data2, long sample) {
        int place = output == null ? -1 : ports.place(output, true);
        if (place < 0) {
            throw new DeskException("session.midi.send output " + show(output) + ": no such MIDI output");
        }
        execute(timed(new EngineCommand.SendMidi(place, status, data1, data2), sample));
    }

    /**
     * Has input {@code input} receive a channel message as if a controller had sent it, on engine sample
     * {@code sample} (negative: now): how offline renders and tests play a controller.
     */
    public void receive(String input, int status, int data1, int data2, long sample) {
        int place = input == null ? -1 : ports.place(input, false);
        if (place < 0) {
            throw new DeskException("session.midi.receive input " + show(input) + ": no such MIDI input");
        }
        execute(timed(new EngineCommand.ReceiveMidi(place, status, data1, data2), sample));
    }

    /** Messages received so far (as of the last {@link #tick}). */
    public long received() {
        return received;
    }

    /**
     * Messages the engine dropped so far, because more came in one period than it holds (4,096), or the
     * reports waiting for the control thread filled up (16,384).
     */
    public long dropped() {
        return dropped;
    }

    /**
     * Takes the engine's MIDI reports: runs learn and handlers, sets the last value of each mapping through the
     * session, and tells the engine and the outputs of parameters that changed otherwise.
     */
    public void tick() {
        if (closed || mappings.isEmpty() && inputs().isEmpty()) {
            return;
        }
        MidiReport report = session.link().midiEvents(learn != null || !handlers.isEmpty());
        received += report.received();
        dropped = Math.max(dropped, report.dropped());
        Map<MidiMapping, Double> latest = new LinkedHashMap<>();
        for (MidiEvent event : report.events()) {
            if (learn != null && learned(event)) {
                continue;
            }
            MidiMapping mapping = find(event.binding());
            if (mapping != null && !Double.isNaN(event.value())) {
                latest.put(mapping, event.value());
            }
            handle(event);
        }
        for (Map.Entry<MidiMapping, Double> entry : latest.entrySet()) {
            apply(entry.getKey(), entry.getValue());
        }
        follow();
        gesture(!latest.isEmpty());
    }

    /**
     * Ends the undo group of a gesture once no control has changed anything for {@value #GESTURE_SECONDS} s of
     * the engine's samples, so that a fader ride is one {@code session.undo()}, never mixed with a REPL line's.
     */
    private void gesture(boolean changed) {
        if (changed) {
            gestureSample = session.link().position();
        } else if (gestureSample >= 0
                && session.link().position() - gestureSample >= GESTURE_SECONDS * session.sampleRate()) {
            gestureSample = -1;
            session.checkpoint();
        }
    }

    private void apply(MidiMapping mapping, double value) {
        try {
            OscAddressSpace.Control target = control(mapping.strip, mapping.parameter);
            if (MidiMapping.isSwitch(mapping.parameter)) {
                target.set(List.of(value >= (mapping.min + mapping.max) / 2 ? 1 : 0));
            } else {
                target.set(List.of(value));
            }
            mapping.seen = current(target);
        } catch (DeskException e) {
            notices.accept("MIDI " + mapping.control() + ": " + e.getMessage());
        }
    }

    /** Tells the engine and the outputs where each mapped parameter is, when something else moved it. */
    private void follow() {
        List<MidiMapping> gone = new ArrayList<>();
        for (MidiMapping mapping : mappings) {
            double now;
            try {
                now = current(control(mapping.strip, mapping.parameter));
            } catch (DeskException e) {
                gone.add(mapping);
                continue;
            }
            if (Double.compare(now, mapping.seen) == 0) {
                continue;
            }
            mapping.seen = now;
            double position = mapping.curve.position(Math.max(Math.min(now, Math.max(mapping.min, mapping.max)),
                    Math.min(mapping.min, mapping.max)), mapping.min, mapping.max);
            execute(new EngineCommand.SetMidiCurrent(mapping.id, position));
            if (mapping.output != null) {
                feedback(mapping, position);
            }
        }
        if (!gone.isEmpty()) {
            List<MidiMapping> next = new ArrayList<>(mappings);
            next.removeAll(gone);
            publish(next);
            for (MidiMapping mapping : gone) {
                notices.accept("MIDI mapping " + mapping.control() + " removed: its target is gone");
            }
        }
    }

    private void feedback(MidiMapping mapping, double position) {
        int place = ports.place(mapping.output, true);
        int status = mapping.channel - 1;
        int fine = (int) Math.round(position * 16383);
        switch (mapping.type) {
            case CC -> sendNow(place, 0xB0 | status, mapping.number, (int) Math.round(position * 127));
            case CC14 -> {
                sendNow(place, 0xB0 | status, mapping.number, fine >> 7);
                sendNow(place, 0xB0 | status, mapping.number + 32, fine & 0x7F);
            }
            case NRPN -> {
                sendNow(place, 0xB0 | status, 99, mapping.number >> 7);
                sendNow(place, 0xB0 | status, 98, mapping.number & 0x7F);
                sendNow(place, 0xB0 | status, 6, fine >> 7);
                sendNow(place, 0xB0 | status, 38, fine & 0x7F);
            }
            case PITCH_BEND -> sendNow(place, 0xE0 | status, fine & 0x7F, fine >> 7);
        }
    }

    private void sendNow(int place, int status, int data1, int data2) {
        execute(new EngineCommand.SendMidi(place, status, data1, data2));
    }

    private boolean learned(MidiEvent event) {
        int slot = event.port() * CHANNELS + event.channel() - 1;
        MidiControlType type;
        int number;
        if (event.kind() == 0xE0) {
            type = MidiControlType.PITCH_BEND;
            number = 0;
        } else if (event.kind() == 0xB0 && (event.data1() == 99 || event.data1() == 98)) {
            learnNrpn[slot] = event.data1() == 99 ? event.data2() << 7 : Math.max(0, learnNrpn[slot]) & 0x3F80 | event.data2();
            return true;
        } else if (event.kind() == 0xB0 && event.data1() == 6 && learnNrpn[slot] >= 0) {
            type = MidiControlType.NRPN;
            number = learnNrpn[slot];
        } else if (event.kind() == 0xB0) {
            type = MidiControlType.CC;
            number = event.data1();
        } else {
            return false;
        }
        Learn waiting = learn;
        learn = null;
        MidiMapping mapping;
        try {
            mapping = map(ports.name(event.port(), false), event.channel(), type, number, waiting.strip, waiting.parameter,
                    waiting.options);
        } catch (DeskException e) {
            notices.accept("MIDI learn: " + e.getMessage());
            return true;
        }
        notices.accept("MIDI learned: " + mapping);
        if (waiting.done != null) {
            waiting.done.accept(mapping);
        }
        return true;
    }

    private void handle(MidiEvent event) {
        String kind = switch (event.kind()) {
            case 0x90 -> event.data2() == 0 ? "noteoff" : "note";
            case 0x80 -> "noteoff";
            case 0xB0 -> "cc";
            case 0xC0 -> "program";
            case 0xE0 -> "pitchbend";
            default -> null;
        };
        Consumer<Map<String, Object>> handler = kind == null ? null : handlers.get(kind);
        if (handler == null) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", kind);
        fields.put("input", ports.name(event.port(), false));
        fields.put("channel", event.channel());
        if (event.kind() == 0xE0) {
            fields.put("value", event.data2() << 7 | event.data1());
        } else {
            fields.put("number", event.data1());
            fields.put("value", event.kind() == 0xC0 ? 0 : event.data2());
        }
        fields.put("sample", (double) event.sample());
        try {
            handler.accept(fields);
        } catch (RuntimeException e) {
            notices.accept("session.midi.on " + kind + ": " + e.getMessage());
        }
    }

    private MidiMapping find(int id) {
        for (MidiMapping mapping : mappings) {
            if (mapping.id == id) {
                return mapping;
            }
        }
        return null;
    }

    private void publish(List<MidiMapping> next) {
        List<MidiBinding> bindings = new ArrayList<>();
        for (MidiMapping mapping : next) {
            bindings.add(mapping.binding(ports.place(mapping.input, false)));
        }
        execute(new EngineCommand.SetMidiMap(bindings));
        mappings.clear();
        mappings.addAll(next);
        for (MidiMapping mapping : mappings) {
            mapping.seen = Double.NaN;
        }
        follow();
    }

    @Override
    public String key() {
        return "midi";
    }

    @Override
    public JsonNode document() {
        if (inputs().isEmpty() && outputs().isEmpty()) {
            return null;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("inputs", ports.document(false));
        root.set("outputs", ports.document(true));
        ArrayNode list = root.putArray("mappings");
        for (MidiMapping mapping : mappings) {
            ObjectNode node = list.addObject();
            node.put("input", mapping.input).put("channel", mapping.channel).put("type", mapping.type.scriptName())
                    .put("number", mapping.number).put("strip", mapping.strip.name()).put("parameter", mapping.parameter);
            node.putArray("range").add(mapping.min).add(mapping.max);
            node.put("curve", mapping.curve.scriptName()).put("takeover", mapping.takeover);
            if (mapping.output != null) {
                node.put("feedback", mapping.output);
            }
        }
        return root;
    }

    /**
     * Makes the saved ports (see {@link MidiPortTable#restore}) and the saved mappings; a mapping of a strip the
     * session does not have is refused with its name.
     */
    @Override
    public void restore(JsonNode node) {
        ports.restore(node.path("inputs"), false);
        ports.restore(node.path("outputs"), true);
        for (JsonNode m : node.path("mappings")) {
            String stripName = m.path("strip").asText();
            Strip strip = session.find(stripName);
            if (strip == null) {
                throw new DeskException("MIDI mapping of " + stripName + ": no strip called \"" + stripName + "\"");
            }
            MidiControlType type = MidiControlType.ofScriptName(m.path("type").asText());
            if (type == null) {
                throw new DeskException("MIDI mapping type " + m.path("type") + ": must be cc, cc14, nrpn or pitchbend");
            }
            MidiCurve curve = MidiCurve.ofScriptName(m.path("curve").asText("linear"));
            map(m.path("input").asText(), m.path("channel").asInt(1), type, m.path("number").asInt(), strip,
                    m.path("parameter").asText(), new MappingOptions(m.path("range").path(0).asDouble(Double.NaN),
                            m.path("range").path(1).asDouble(Double.NaN), curve, m.path("takeover").asBoolean(true),
                            m.path("feedback").asText(null)));
        }
    }

    /** Makes the ports (connected as they were) and the mappings again in a fresh engine. */
    private void replay() {
        ports.replay();
        if (!mappings.isEmpty()) {
            publish(new ArrayList<>(mappings));
        }
    }

    private OscAddressSpace.Control control(Strip strip, String parameter) {
        if (strip == null || session.find(strip.name()) != strip) {
            throw new DeskException("MIDI target " + (strip == null ? "null" : strip.name()) + ": not a strip of the session");
        }
        OscAddressSpace.Control target;
        try {
            target = space.resolve(OscAddressSpace.PREFIX + "strip/" + OscNames.escape(strip.name()) + "/" + parameter);
        } catch (DeskException e) {
            String why = e.getMessage();
            throw new DeskException("MIDI target " + strip.name() + " " + parameter + ": "
                    + why.substring(why.indexOf(": ") + 2));
        }
        if (target.get() == null) {
            throw new DeskException("MIDI target " + strip.name() + " " + parameter + ": not a parameter");
        }
        return target;
    }

    private static double current(OscAddressSpace.Control target) {
        Object value = target.get();
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    /** The range a parameter's control spreads over unless told: levels -60..+6 dB, the rest their whole range. */
    private static double[] defaultRange(Strip strip, String parameter) {
        if (parameter.equals("fader") || parameter.endsWith("/level")) {
            return new double[] {-60, 6};
        }
        if (parameter.equals("trim")) {
            return new double[] {-24, 24};
        }
        if (parameter.equals("pan") || parameter.equals("balance")) {
            return new double[] {-1, 1};
        }
        String[] parts = parameter.split("/");
        if (parts.length == 3 && parts[0].equals("insert") && !parts[2].equals("bypass")) {
            Insert insert = strip.inserts().get(Integer.parseInt(parts[1]));
            InsertParameter p = insert.parameter(parts[2]);
            return p.choices().isEmpty() ? new double[] {p.min(), p.max()} : new double[] {0, p.choices().size() - 1};
        }
        return new double[] {0, 1};
    }

    private static EngineCommand timed(EngineCommand command, long sample) {
        return sample < 0 ? command : new EngineCommand.At(sample, command);
    }

    private void execute(EngineCommand command) {
        session.execute(command);
    }

    private void checkKind(String kind) {
        if (!KINDS.contains(kind)) {
            throw new DeskException("session.midi.on " + show(kind) + ": must be one of " + String.join(", ", KINDS));
        }
    }

    private static String show(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    /** Stops following the engine: the ports go with it. Any thread. */
    @Override
    public void close() {
        closed = true;
    }
}
