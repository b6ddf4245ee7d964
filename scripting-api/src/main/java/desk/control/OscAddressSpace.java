package desk.control;

import desk.engine.insert.InsertParameter;
import desk.session.Bus;
import desk.session.DeskException;
import desk.session.Insert;
import desk.session.MeterSnapshot;
import desk.session.Send;
import desk.session.Session;
import desk.session.Strip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Desk's OSC address space, which mirrors the script API: what each address reads and sets on the session.
 * <pre>
 * /desk/strip/{name}/fader|trim|pan|balance f     dB, dB, -1..1, -1..1
 * /desk/strip/{name}/mute|solo i                  1 on, 0 off
 * /desk/strip/{name}/send/{bus}/level f           dB
 * /desk/strip/{name}/insert/{n}/{parameter} f     n from 0, as in strip.inserts[n]; "bypass" i
 * /desk/transport/play, /desk/transport/stop      (no arguments)
 * /desk/transport/locate f                        seconds
 * /desk/transport/rolling                         read only: 1 while playing
 * /desk/scene/recall s [f]                        a scene, and a fade in seconds
 * </pre>
 * Names are escaped as {@link OscNames} says; "master" is the master. The same address without arguments
 * reads the value.
 * <p>
 * Threads: the session's control thread.
 */
final class OscAddressSpace {
    /** What every Desk address starts with. */
    static final String PREFIX = "/desk/";
    /** The meter frame of a strip: peak, RMS (dBFS) and momentary loudness (LUFS), at least this floor. */
    static final double METER_FLOOR = -120;

    /** What an address names: a value to read and set, or an action. */
    interface Control {
        /** The value now, for queries and feedback; null for an action. */
        Object get();

        /** Sets it from the message's arguments (the token taken off), or runs the action. */
        void set(List<Object> arguments);
    }

    private final Session session;

    OscAddressSpace(Session session) {
        this.session = session;
    }

    /** The control {@code address} names; a DeskException with one line when it names nothing. */
    Control resolve(String address) {
        if (!address.startsWith(PREFIX)) {
            throw new DeskException("OSC " + address + ": Desk's addresses start with " + PREFIX);
        }
        String[] parts = address.substring(PREFIX.length()).split("/", -1);
        switch (parts[0]) {
            case "strip" -> {
                if (parts.length >= 3) {
                    return strip(address, strip(address, parts[1]), parts);
                }
            }
            case "transport" -> {
                if (parts.length == 2) {
                    return transport(address, parts[1]);
                }
            }
            case "scene" -> {
                if (parts.length == 2 && parts[1].equals("recall")) {
                    return action(arguments -> {
                        String name = text(address, arguments, 0, "a scene's name");
                        double fade = arguments.size() > 1 ? number(address, arguments, 1, "a fade in seconds") : 0;
                        if (!(fade >= 0 && fade <= 60)) {
                            throw new DeskException("OSC " + address + " fade " + fade + ": must be 0..60 seconds");
                        }
                        session.recall(name, null, Math.round(fade * session.sampleRate()));
                    });
                }
            }
            default -> {
            }
        }
        throw new DeskException("OSC " + address + ": no such address (see " + PREFIX + "strip/{name}/fader,"
                + " /desk/transport/play, /desk/scene/recall)");
    }

    private Strip strip(String address, String part) {
        String name = OscNames.unescape(part);
        Strip strip = name == null ? null : session.find(name);
        if (strip == null) {
            throw new DeskException("OSC " + address + ": no strip called " + (name == null ? part : "\"" + name + "\""));
        }
        return strip;
    }

    private Control strip(String address, Strip strip, String[] parts) {
        if (parts.length == 3) {
            return switch (parts[2]) {
                case "fader" -> value(strip::fader, arguments -> strip.fader(number(address, arguments, 0, "dB")));
                case "trim" -> value(strip::trim, arguments -> strip.trim(number(address, arguments, 0, "dB")));
                case "pan" -> value(strip::pan, arguments -> strip.pan(number(address, arguments, 0, "-1..1")));
                case "balance" -> value(strip::balance, arguments -> strip.balance(number(address, arguments, 0, "-1..1")));
                case "mute" -> value(() -> strip.mute() ? 1 : 0, arguments -> strip.mute(on(address, arguments)));
                case "solo" -> value(() -> strip.solo() ? 1 : 0, arguments -> strip.solo(on(address, arguments)));
                default -> throw new DeskException("OSC " + address + ": " + parts[2] + " is not a strip parameter"
                        + " (fader, trim, pan, balance, mute, solo, send/{bus}/level, insert/{n}/{parameter})");
            };
        }
        if (parts.length == 5 && parts[2].equals("send") && parts[4].equals("level")) {
            Send send = send(address, strip, parts[3]);
            return value(send::level, arguments -> send.level(number(address, arguments, 0, "dB")));
        }
        if (parts.length == 5 && parts[2].equals("insert")) {
            Insert insert = insert(address, strip, parts[3]);
            if (parts[4].equals("bypass")) {
                return value(() -> insert.bypass() ? 1 : 0, arguments -> insert.bypass(on(address, arguments)));
            }
            InsertParameter parameter = insert.parameter(parts[4]);
            return value(() -> insert.get(parameter.name()), arguments -> {
                Object value = arguments.isEmpty() ? null : arguments.get(0);
                if (value instanceof CharSequence choice && parameter.choices().contains(choice.toString())) {
                    insert.set(parameter.name(), parameter.choices().indexOf(choice.toString()));
                } else {
                    insert.set(parameter.name(), number(address, arguments, 0, parameter.choices().isEmpty()
                            ? parameter.min() + ".." + parameter.max() + " " + parameter.unit()
                            : String.join(", ", parameter.choices()) + ", or its index"));
                }
            });
        }
        throw new DeskException("OSC " + address + ": no such address under " + PREFIX + "strip/"
                + OscNames.escape(strip.name()));
    }

    private Send send(String address, Strip strip, String part) {
        String name = OscNames.unescape(part);
        for (Send send : strip.sends()) {
            if (send.destination().name().equals(name)) {
                return send;
            }
        }
        throw new DeskException("OSC " + address + ": " + strip.name() + " has no send to " + (name == null ? part : name));
    }

    private static Insert insert(String address, Strip strip, String part) {
        List<Insert> inserts = strip.inserts();
        int index;
        try {
            index = Integer.parseInt(part);
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0 || index >= inserts.size()) {
            throw new DeskException("OSC " + address + ": insert " + part + " must be 0.." + (inserts.size() - 1)
                    + " (" + strip.name() + " has " + inserts.size() + " inserts)");
        }
        return inserts.get(index);
    }

    private Control transport(String address, String what) {
        return switch (what) {
            case "play" -> action(arguments -> session.play());
            case "stop" -> action(arguments -> session.stop());
            case "locate" -> value(session::transportSeconds,
                    arguments -> session.locate(number(address, arguments, 0, "seconds")));
            case "rolling" -> value(() -> session.transportRolling() ? 1 : 0, arguments -> {
                throw new DeskException("OSC " + address + " is read only: use /desk/transport/play or stop");
            });
            default -> throw new DeskException("OSC " + address + ": no such address (play, stop, locate, rolling)");
        };
    }

    /**
     * Every value a subscribed client is kept up to date with, by address, in the order strips appear:
     * levels, pans, mutes, solos, send levels, insert parameters and bypass, and whether the transport rolls.
     */
    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        for (Strip strip : strips()) {
            String base = PREFIX + "strip/" + OscNames.escape(strip.name()) + "/";
            state.put(base + "fader", (float) strip.fader());
            state.put(base + "trim", (float) strip.trim());
            state.put(base + (strip.channels() == 1 ? "pan" : "balance"),
                    (float) (strip.channels() == 1 ? strip.pan() : strip.balance()));
            state.put(base + "mute", strip.mute() ? 1 : 0);
            if (strip != session.master()) {
                state.put(base + "solo", strip.solo() ? 1 : 0);
            }
            for (Send send : strip.sends()) {
                state.put(base + "send/" + OscNames.escape(send.destination().name()) + "/level", (float) send.level());
            }
            List<Insert> inserts = strip.inserts();
            for (int i = 0; i < inserts.size(); i++) {
                Insert insert = inserts.get(i);
                for (InsertParameter parameter : insert.parameters()) {
                    state.put(base + "insert/" + i + "/" + parameter.name(), (float) insert.get(parameter.name()));
                }
                state.put(base + "insert/" + i + "/bypass", insert.bypass() ? 1 : 0);
            }
        }
        state.put(PREFIX + "transport/rolling", session.transportRolling() ? 1 : 0);
        return state;
    }

    /** The meter frames, one per strip: {@code /desk/strip/{name}/meter} with peak, RMS and momentary loudness. */
    Map<String, List<Object>> meters() {
        Map<String, List<Object>> frames = new LinkedHashMap<>();
        for (Strip strip : strips()) {
            MeterSnapshot meters = strip.meters();
            double momentary = meters.reading().loudness() == null ? Double.NEGATIVE_INFINITY
                    : meters.reading().loudness().momentary();
            frames.put(PREFIX + "strip/" + OscNames.escape(strip.name()) + "/meter",
                    List.of(floored(meters.peak()), floored(meters.rms()), floored(momentary)));
        }
        return frames;
    }

    private List<Strip> strips() {
        List<Strip> strips = new ArrayList<>();
        strips.add(session.master());
        strips.addAll(session.tracks());
        for (Bus bus : session.buses()) {
            strips.add(bus);
        }
        return strips;
    }

    private static float floored(double db) {
        return (float) (db >= METER_FLOOR ? db : METER_FLOOR);
    }

    private static Control value(java.util.function.Supplier<Object> get, java.util.function.Consumer<List<Object>> set) {
        return new Control() {
            @Override
            public Object get() {
                return get.get();
            }

            @Override
            public void set(List<Object> arguments) {
                set.accept(arguments);
            }
        };
    }

    private static Control action(java.util.function.Consumer<List<Object>> run) {
        return value(() -> null, run);
    }

    private static double number(String address, List<Object> arguments, int index, String unit) {
        Object value = arguments.size() > index ? arguments.get(index) : null;
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return number.doubleValue();
        }
        throw new DeskException("OSC " + address + " " + show(value) + ": must be a number (" + unit + ")");
    }

    private static boolean on(String address, List<Object> arguments) {
        Object value = arguments.isEmpty() ? null : arguments.get(0);
        if (value instanceof Boolean on) {
            return on;
        }
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return number.doubleValue() != 0;
        }
        throw new DeskException("OSC " + address + " " + show(value) + ": must be 1 (on) or 0 (off)");
    }

    private static String text(String address, List<Object> arguments, int index, String what) {
        Object value = arguments.size() > index ? arguments.get(index) : null;
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        throw new DeskException("OSC " + address + " " + show(value) + ": must be " + what);
    }

    private static String show(Object value) {
        return value == null ? "with no value" : value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
    }
}
