package desk.engine.midi;

import java.util.List;

/**
 * What the engine's MIDI reports held when taken: how many messages it received since the last time, and the
 * events handed over (every one, or only the last value of each binding when coalesced).
 * <p>
 * Threads: any thread (immutable).
 */
public record MidiReport(long received, List<MidiEvent> events) {
    /** No messages. */
    public static final MidiReport NONE = new MidiReport(0, List.of());
}
