package desk.engine.midi;

import java.util.List;

/**
 * What the engine's MIDI reports held when taken: how many messages it received since the last time, how many
 * it has dropped since it started (a period's inbox or outbox, or the reports, full), and the events handed
 * over (every one, or only the last value of each binding when coalesced).
 * <p>
 * Threads: any thread (immutable).
 */
public record MidiReport(long received, long dropped, List<MidiEvent> events) {
    /** No messages. */
    public static final MidiReport NONE = new MidiReport(0, 0, List.of());
}
