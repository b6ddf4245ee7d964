package desk.script;

import desk.control.MidiMapping;
import desk.control.MidiSurface;
import desk.engine.midi.MidiControlType;
import desk.engine.midi.MidiCurve;
import desk.session.CallbackFailure;
import desk.session.DeskException;
import desk.session.Session;
import desk.session.Strip;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The script API of MIDI, {@code session.midi}: ports, mappings, learn, handlers, and messages out and in.
 * Every member first takes the engine's reports, so what a script reads is current.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class MidiApi {
    private static final Set<String> MAPPING_OPTIONS = Set.of("range", "curve", "takeover", "feedback");

    private MidiApi() {
    }

    /** Adds {@code midi} to the session type. */
    static ApiType<Session> sessionMembers(ApiType<Session> type, MidiSurface midi) {
        return type.property("midi", "MIDI: input and output ports, mappings to strip parameters, learn, handlers"
                + " (see Midi).", s -> {
                    midi.tick();
                    return midi;
                });
    }

    /** The {@code Midi} type. */
    static ApiType<MidiSurface> midiType(Session session) {
        return new ApiType<>("Midi", MidiSurface.class, "Desk's MIDI ports, the mappings of controls to strip"
                + " parameters, learn and handlers.", m -> "session.midi")
                .method("input", "input(name, {connect})", "Makes MIDI input name (a JACK MIDI port of Desk's), connected"
                        + " from another program's port connect if given; returns its full name.", Set.of("connect"),
                        (m, a) -> port(m, a, false))
                .method("output", "output(name, {connect})", "Makes MIDI output name, for feedback to motorised faders and"
                        + " LEDs, connected to port connect if given; returns its full name.", Set.of("connect"),
                        (m, a) -> port(m, a, true))
                .property("inputs", "The inputs' names.", MidiSurface::inputs)
                .property("outputs", "The outputs' names.", MidiSurface::outputs)
                .property("available", "Other programs' MIDI ports: {senders: [...] (inputs connect from them),"
                        + " receivers: [...] (outputs connect to them)}.", m -> {
                    Map<String, Object> ports = new LinkedHashMap<>();
                    ports.put("senders", m.available(true));
                    ports.put("receivers", m.available(false));
                    return ports;
                })
                .method("map", "map(control, strip, parameter, {range, curve, takeover, feedback})", "Maps a control"
                        + " ({cc: 7} or {cc14: 1}, {nrpn: 300}, {pitchbend: true}; with channel 1..16, default 1, and"
                        + " input, default the first) to parameter of strip: fader, trim, pan, balance, mute, solo,"
                        + " send/{bus}/level, insert/{n}/{parameter} or insert/{n}/bypass. range [min, max] (default"
                        + " -60..6 dB for levels, else the parameter's), curve \"fader\" (levels' default) or"
                        + " \"linear\", takeover (default true) holds the parameter until the control reaches it,"
                        + " feedback names an output that follows the parameter. A fader moves on the sample of the"
                        + " message. Returns the mapping.", MAPPING_OPTIONS, (m, a) -> {
                        a.check(3, MAPPING_OPTIONS);
                        String label = a.method();
                        Value control = a.required(0, "a control");
                        Strip strip = Convert.api(a.required(1, "a strip"), Strip.class, label + " strip", "a track or bus");
                        String parameter = Convert.text(a.required(2, "a parameter"), label + " parameter");
                        return controlled(m, control, label, strip, parameter, options(a, label));
                    })
                .method("unmap", "unmap(mapping)", "Removes a mapping; true when it was there.", Set.of(), (m, a) -> {
                    a.check(1, Set.of());
                    return m.unmap(Convert.api(a.required(0, "a mapping"), MidiMapping.class, a.method() + " mapping",
                            "a MIDI mapping"));
                })
                .property("mappings", "The mappings, oldest first.", MidiSurface::mappings)
                .method("learn", "learn(strip, parameter, {range, curve, takeover, feedback})", "Maps the next"
                        + " control that moves on any input (a control change, an NRPN or a pitch bend) to parameter of"
                        + " strip, with the options of map; a notice says what it learned.", MAPPING_OPTIONS, (m, a) -> {
                        a.check(2, MAPPING_OPTIONS);
                        String label = a.method();
                        Strip strip = Convert.api(a.required(0, "a strip"), Strip.class, label + " strip", "a track or bus");
                        m.learn(strip, Convert.text(a.required(1, "a parameter"), label + " parameter"), options(a, label),
                                null);
                        return ApiType.NOTHING;
                    })
                .property("learning", "True while a learn waits for a control to move.", MidiSurface::learning)
                .method("on", "on(kind, fn)", "Calls fn with each message of kind (" + String.join(", ", MidiSurface.KINDS)
                        + ") on the script thread: an object with type, input, channel, number (not for pitchbend),"
                        + " value and sample. Replaces the function there.", Set.of(), (m, a) -> {
                        a.check(2, Set.of());
                        String label = a.method();
                        String kind = Convert.text(a.required(0, "a kind"), label + " kind");
                        Value fn = a.required(1, "a function");
                        if (!fn.canExecute()) {
                            throw new DeskException(label + " fn " + Convert.show(fn) + ": must be a function");
                        }
                        m.on(kind, event -> {
                            try {
                                session.callbackBudget().run("session.midi.on " + kind, () -> fn.executeVoid(ProxyObject.fromMap(event)));
                            } catch (CallbackFailure failure) {
                                throw new DeskException(ScriptError.oneLine(failure));
                            }
                        });
                        return ApiType.NOTHING;
                    })
                .method("off", "off(kind)", "Stops calling the function of kind; true when there was one.", Set.of(),
                        (m, a) -> {
                        a.check(1, Set.of());
                        return m.off(Convert.text(a.required(0, "a kind"), a.method() + " kind"));
                    })
                .method("send", "send(output, [status, data1, data2])", "Sends a channel message (status 128..239) out"
                        + " of output now, or on the exact sample inside session.at and friends.", Set.of(), (m, a) -> {
                        a.check(2, Set.of());
                        String label = a.method();
                        int[] bytes = message(a.required(1, "a message"), label);
                        m.send(Convert.text(a.required(0, "an output"), label + " output"), bytes[0], bytes[1], bytes[2], -1);
                        return ApiType.NOTHING;
                    })
                .method("receive", "receive(input, [status, data1, data2])", "Has input receive a channel message as"
                        + " if a controller sent it (on the exact sample inside session.at): how offline renders and"
                        + " tests play a controller.", Set.of(), (m, a) -> {
                        a.check(2, Set.of());
                        String label = a.method();
                        int[] bytes = message(a.required(1, "a message"), label);
                        m.receive(Convert.text(a.required(0, "an input"), label + " input"), bytes[0], bytes[1], bytes[2], -1);
                        return ApiType.NOTHING;
                    })
                .property("received", "Messages received so far.", m -> (double) m.received())
                .property("dropped", "Messages the engine dropped: more than 4,096 in one period, or 16,384 waiting"
                        + " for the control thread.", m -> (double) m.dropped());
    }

    /** The {@code MidiMapping} type. */
    static ApiType<MidiMapping> mappingType() {
        return new ApiType<>("MidiMapping", MidiMapping.class, "A MIDI control mapped to a strip parameter.",
                MidiMapping::toString)
                .property("control", "The control, in words: \"cc 7, channel 1, input nano\".", MidiMapping::control)
                .property("target", "The parameter, in words: \"vox fader\".", MidiMapping::target)
                .property("range", "[min, max] the control's travel spreads over.", m -> List.of(m.range()[0], m.range()[1]))
                .property("takeover", "Whether soft takeover holds the parameter until the control reaches it.",
                        MidiMapping::takeover);
    }

    private static Object port(MidiSurface midi, Arguments a, boolean output) {
        a.check(1, Set.of("connect"));
        String label = a.method();
        String name = Convert.text(a.required(0, "a name"), label + " name");
        Value other = a.option("connect");
        String connect = other == null ? null : Convert.text(other, label + " connect");
        return output ? midi.output(name, connect) : midi.input(name, connect);
    }

    private static MidiMapping controlled(MidiSurface midi, Value control, String label, Strip strip, String parameter,
                                          MidiSurface.MappingOptions options) {
        if (control == null || !(control.hasMembers() || control.hasHashEntries()) || control.isProxyObject()) {
            throw new DeskException(label + " control " + Convert.show(control) + ": must be an object such as {cc: 7,"
                    + " channel: 1}");
        }
        MidiControlType type = null;
        int number = 0;
        for (MidiControlType candidate : MidiControlType.values()) {
            Value given = member(control, candidate.scriptName());
            if (given == null || given.isNull()) {
                continue;
            }
            if (type != null) {
                throw new DeskException(label + " control " + Convert.show(control) + ": one of cc, cc14, nrpn, pitchbend");
            }
            type = candidate;
            number = candidate == MidiControlType.PITCH_BEND ? 0
                    : Convert.integer(given, label + " " + candidate.scriptName(), 0, candidate.highestNumber());
        }
        if (type == null) {
            throw new DeskException(label + " control " + Convert.show(control) + ": needs cc, cc14, nrpn or pitchbend");
        }
        Value channel = member(control, "channel");
        Value input = member(control, "input");
        List<String> inputs = midi.inputs();
        String inputName = input == null || input.isNull() ? (inputs.isEmpty() ? null : inputs.get(0))
                : Convert.text(input, label + " input");
        return midi.map(inputName, channel == null || channel.isNull() ? 1 : Convert.integer(channel, label + " channel", 1, 16),
                type, number, strip, parameter, options);
    }

    /** A field of a JavaScript object or a Python dict, or null. */
    private static Value member(Value object, String key) {
        if (object.hasHashEntries()) {
            return object.hasHashEntry(key) ? object.getHashValue(key) : null;
        }
        return object.getMember(key);
    }

    private static MidiSurface.MappingOptions options(Arguments a, String label) {
        double min = Double.NaN;
        double max = Double.NaN;
        Value range = a.option("range");
        if (range != null) {
            if (!range.hasArrayElements() || range.getArraySize() != 2) {
                throw new DeskException(label + " range " + Convert.show(range) + ": must be [min, max]");
            }
            min = Convert.number(range.getArrayElement(0), label + " range", "a number");
            max = Convert.number(range.getArrayElement(1), label + " range", "a number");
        }
        Value curveName = a.option("curve");
        MidiCurve curve = null;
        if (curveName != null) {
            curve = MidiCurve.ofScriptName(Convert.text(curveName, label + " curve"));
            if (curve == null) {
                throw new DeskException(label + " curve " + Convert.show(curveName) + ": must be \"fader\" or \"linear\"");
            }
        }
        Value takeover = a.option("takeover");
        Value feedback = a.option("feedback");
        return new MidiSurface.MappingOptions(min, max, curve,
                takeover == null || Convert.bool(takeover, label + " takeover"),
                feedback == null ? null : Convert.text(feedback, label + " feedback"));
    }

    private static int[] message(Value value, String label) {
        if (value == null || !value.hasArrayElements() || value.getArraySize() < 2 || value.getArraySize() > 3) {
            throw new DeskException(label + " message " + Convert.show(value) + ": must be [status, data1, data2]");
        }
        int[] bytes = new int[3];
        bytes[0] = Convert.integer(value.getArrayElement(0), label + " status", 0x80, 0xEF);
        for (int i = 1; i < value.getArraySize(); i++) {
            bytes[i] = Convert.integer(value.getArrayElement(i), label + " data", 0, 127);
        }
        return bytes;
    }
}
