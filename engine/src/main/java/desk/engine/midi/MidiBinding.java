package desk.engine.midi;

import desk.engine.Parameter;
import desk.engine.RealTime;

/**
 * One control mapped to one parameter, as the engine runs it: the audio thread decodes the control's messages
 * on input port {@code port} (0 up to {@link #MAX_PORTS} less one), channel {@code channel} (1..16), scales the
 * travel onto {@code min..max} along {@code curve} and, with {@code takeover}, holds the parameter until the
 * control crosses its value. A strip's fader ({@code parameter} {@link Parameter#FADER} on strip
 * {@code targetId}) is set by the audio thread on the message's own sample; for any other target
 * ({@code parameter} null or another) the engine only reports the value, and the session sets it.
 * <p>
 * Threads: any thread (immutable).
 */
public record MidiBinding(int id, int port, int channel, MidiControlType type, int number, int targetId,
                          Parameter parameter, double min, double max, MidiCurve curve, boolean takeover) {
    /** How many MIDI input ports bindings can name. */
    public static final int MAX_PORTS = 16;

    /** Says what is wrong with the binding in one line, or null if nothing is. */
    public String problem() {
        if (port < 0 || port >= MAX_PORTS) {
            return "MIDI port " + port + ": must be 0.." + (MAX_PORTS - 1);
        }
        if (channel < 1 || channel > 16) {
            return "MIDI channel " + channel + ": must be 1..16";
        }
        if (type == null || curve == null) {
            return "a MIDI mapping needs a control type and a curve";
        }
        if (number < 0 || number > type.highestNumber()) {
            return type.scriptName() + " " + number + ": must be 0.." + type.highestNumber();
        }
        if (!Double.isFinite(min) || !Double.isFinite(max) || min == max) {
            return "MIDI range " + min + ".." + max + ": needs two different finite ends";
        }
        return null;
    }

    /** Whether the audio thread sets the target itself: a strip's fader. */
    public boolean setsFader() {
        return parameter == Parameter.FADER;
    }

    /** The parameter value at {@code position} (0..1) of the control's travel. */
    @RealTime
    public double value(double position) {
        return curve.value(position, min, max);
    }

    /** Where {@code value} sits on the control's travel, 0..1. */
    public double position(double value) {
        return curve.position(value, min, max);
    }
}
