package desk.control;

import desk.engine.Parameter;
import desk.engine.midi.MidiBinding;
import desk.engine.midi.MidiControlType;
import desk.engine.midi.MidiCurve;
import desk.session.Strip;

/**
 * One MIDI control mapped to one parameter of a strip: which control (input, channel, type, number), which
 * parameter (as the OSC address space names it under the strip: {@code fader}, {@code pan},
 * {@code send/Reverb/level}, {@code insert/0/gain} ...), the range and curve the control's travel spreads
 * over, soft takeover, and the output its feedback goes to (null: none).
 * <p>
 * Threads: the session's control thread. Immutable but for the value last seen, which the surface keeps.
 */
public final class MidiMapping {
    final int id;
    final String input;
    final int channel;
    final MidiControlType type;
    final int number;
    final Strip strip;
    final String parameter;
    final double min;
    final double max;
    final MidiCurve curve;
    final boolean takeover;
    final String output;
    /** The parameter's value as the surface last saw or set it, NaN before. */
    double seen = Double.NaN;

    MidiMapping(int id, String input, int channel, MidiControlType type, int number, Strip strip, String parameter,
                double min, double max, MidiCurve curve, boolean takeover, String output) {
        this.id = id;
        this.input = input;
        this.channel = channel;
        this.type = type;
        this.number = number;
        this.strip = strip;
        this.parameter = parameter;
        this.min = min;
        this.max = max;
        this.curve = curve;
        this.takeover = takeover;
        this.output = output;
    }

    /** The control, in words: {@code cc 7, channel 1, input nano}. */
    public String control() {
        return type.scriptName() + (type == MidiControlType.PITCH_BEND ? "" : " " + number) + ", channel " + channel
                + ", input " + input;
    }

    /** The parameter, in words: {@code vox fader}. */
    public String target() {
        return strip.name() + " " + parameter;
    }

    /** The ends of the range the control's travel spreads over. */
    public double[] range() {
        return new double[] {min, max};
    }

    /** Whether soft takeover holds the parameter until the control reaches it. */
    public boolean takeover() {
        return takeover;
    }

    /**
     * Whether {@code parameter} is an on/off switch (mute, solo, bypass): on from half the travel up, and never
     * held by soft takeover (a button has no travel to catch up with).
     */
    static boolean isSwitch(String parameter) {
        return parameter.equals("mute") || parameter.equals("solo") || parameter.endsWith("/bypass");
    }

    /** The binding the engine runs, with the input in place {@code place}. */
    MidiBinding binding(int place) {
        return new MidiBinding(id, place, channel, type, number, strip.nodeId(),
                parameter.equals("fader") ? Parameter.FADER : null, min, max, curve, takeover);
    }

    @Override
    public String toString() {
        return control() + " -> " + target() + " (" + Parameter.format(min) + ".." + Parameter.format(max) + ", "
                + curve.scriptName() + (takeover ? ", soft takeover" : "") + (output == null ? "" : ", feedback to "
                + output) + ")";
    }
}
