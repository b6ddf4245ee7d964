package desk.engine.rt;

import desk.engine.RealTime;
import desk.engine.dsp.SmoothedGains;
import desk.engine.midi.MidiBinding;
import desk.engine.midi.MidiControlType;

import java.util.List;

/**
 * The MIDI bindings the audio thread runs, built on the control side and installed whole: each binding with
 * the fader it sets (if any) and its state (the last 14-bit half, soft takeover), and tables that find the
 * binding of a control change or pitch bend in one step. A new map takes over the state of the bindings it
 * shares with the one it replaces, so editing the mappings never makes a held fader jump.
 * <p>
 * Threads: built on the control thread; {@code rt} methods on the audio thread once installed.
 */
public final class MidiMap {
    /** The empty map. */
    public static final MidiMap NONE = new MidiMap(List.of(), List.of());

    private static final int CHANNELS = 16;
    private static final int CONTROLLERS = 128;

    final Binding[] bindings;
    /** Per port, channel and controller: the index plus one of the binding that listens, or 0. */
    private final int[] controllers = new int[MidiBinding.MAX_PORTS * CHANNELS * CONTROLLERS];
    /** Per port and channel: the index plus one of the binding on the pitch bend, or 0. */
    private final int[] bends = new int[MidiBinding.MAX_PORTS * CHANNELS];

    /**
     * A map of {@code specs}, where {@code faders.get(i)} is the fader binding {@code i} sets (null: none).
     * A later binding on the same control replaces an earlier one.
     */
    public MidiMap(List<MidiBinding> specs, List<SmoothedGains> faders) {
        bindings = new Binding[specs.size()];
        for (int i = 0; i < bindings.length; i++) {
            MidiBinding spec = specs.get(i);
            bindings[i] = new Binding(spec, faders.get(i));
            int place = (spec.port() * CHANNELS + spec.channel() - 1);
            switch (spec.type()) {
                case CC -> controllers[place * CONTROLLERS + spec.number()] = i + 1;
                case CC14 -> {
                    controllers[place * CONTROLLERS + spec.number()] = i + 1;
                    controllers[place * CONTROLLERS + spec.number() + 32] = i + 1;
                }
                case PITCH_BEND -> bends[place] = i + 1;
                case NRPN -> {
                }
            }
        }
    }

    /** The binding that takes controller {@code controller} on {@code port} and channel index {@code channel}, or null. */
    @RealTime
    Binding rtController(int port, int channel, int controller) {
        int index = controllers[(port * CHANNELS + channel) * CONTROLLERS + controller];
        return index == 0 ? null : bindings[index - 1];
    }

    /** The binding on the pitch bend of {@code port} and channel index {@code channel}, or null. */
    @RealTime
    Binding rtBend(int port, int channel) {
        int index = bends[port * CHANNELS + channel];
        return index == 0 ? null : bindings[index - 1];
    }

    /** The NRPN binding of parameter {@code number} on {@code port} and channel index {@code channel}, or null. */
    @RealTime
    Binding rtNrpn(int port, int channel, int number) {
        for (Binding binding : bindings) {
            MidiBinding spec = binding.spec;
            if (spec.type() == MidiControlType.NRPN && spec.number() == number && spec.port() == port
                    && spec.channel() == channel + 1) {
                return binding;
            }
        }
        return null;
    }

    /** Takes over the state of the bindings of {@code previous} that have the same id. */
    @RealTime
    void rtTakeStateFrom(MidiMap previous) {
        for (Binding binding : bindings) {
            for (Binding old : previous.bindings) {
                if (old.spec.id() == binding.spec.id()) {
                    binding.rtCopyState(old);
                    break;
                }
            }
        }
    }

    /** The binding with id {@code id}, or null. */
    @RealTime
    Binding rtFind(int id) {
        for (Binding binding : bindings) {
            if (binding.spec.id() == id) {
                return binding;
            }
        }
        return null;
    }

    /** One binding and its audio-thread state. Threads: the audio thread once installed. */
    static final class Binding {
        /** How near, in travel, a held control must come to the parameter to catch it: one 7-bit step. */
        static final double CATCH = 1.0 / 127;

        final MidiBinding spec;
        final SmoothedGains fader;
        /** Where the parameter sits on the control's travel, 0..1, or NaN before anyone said. */
        double current = Double.NaN;
        /** Where the control was last, 0..1, or NaN before it sent anything. */
        double last = Double.NaN;
        /** Whether the control has caught the parameter (always, without soft takeover). */
        boolean caught;
        /** The most significant half of a 14-bit control change, as last sent. */
        int coarse;

        Binding(MidiBinding spec, SmoothedGains fader) {
            this.spec = spec;
            this.fader = fader;
            this.caught = !spec.takeover();
        }

        @RealTime
        void rtCopyState(Binding old) {
            current = old.current;
            last = old.last;
            caught = old.caught || !spec.takeover();
            coarse = old.coarse;
        }

        /**
         * The control moved to {@code position} (0..1): true if the parameter follows, false while soft
         * takeover holds it (the control has neither come within {@link #CATCH} of the parameter's value nor
         * crossed it since something else set it).
         */
        @RealTime
        boolean rtMove(double position) {
            double previous = last;
            last = position;
            if (!caught) {
                caught = Double.isNaN(current) || Math.abs(position - current) <= CATCH
                        || (!Double.isNaN(previous) && (previous - current) * (position - current) <= 0);
            }
            if (caught) {
                current = position;
            }
            return caught;
        }

        /** Something other than the control set the parameter, to {@code position} of the travel. */
        @RealTime
        void rtSetCurrent(double position) {
            current = position;
            if (spec.takeover() && (Double.isNaN(last) || Math.abs(last - position) > CATCH)) {
                caught = false;
            }
        }
    }
}
