package desk.engine.midi;

/**
 * One MIDI message the engine received, stamped with the engine sample it arrived on: its status and data
 * bytes, and, when a binding took it, the binding's id and the value it gave ({@code NaN} while soft takeover
 * held the parameter); {@code applied} says the audio thread set the value itself (a fader) on that sample.
 * <p>
 * Threads: any thread (immutable).
 */
public record MidiEvent(long sample, int port, int status, int data1, int data2, int binding, double value,
                        boolean applied) {
    /** Binding id of a message no binding took. */
    public static final int UNBOUND = -1;

    /** The channel, 1..16. */
    public int channel() {
        return (status & 0x0F) + 1;
    }

    /** The message kind: the status byte's high half ({@code 0x90} note on, {@code 0xB0} control change ...). */
    public int kind() {
        return status & 0xF0;
    }
}
