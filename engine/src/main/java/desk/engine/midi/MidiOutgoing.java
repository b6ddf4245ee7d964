package desk.engine.midi;

import desk.engine.RealTime;

/**
 * The MIDI messages an engine has queued for its output ports in the period just processed, as a backend
 * reads them to write into its ports (and then clears them); each is {@link MidiMessages packed} and due on an
 * engine sample.
 * <p>
 * Threads: the audio thread only.
 */
public interface MidiOutgoing {
    /** How many messages wait to go out. */
    @RealTime
    int rtOutgoing();

    /** The output port (place) of message {@code i}. */
    @RealTime
    int rtOutgoingPort(int i);

    /** The engine sample message {@code i} is due on. */
    @RealTime
    long rtOutgoingTime(int i);

    /** Message {@code i}, packed. */
    @RealTime
    int rtOutgoingMessage(int i);

    /** Forgets the messages: written, or with no ports to go to. */
    @RealTime
    void rtClearOutgoing();
}
