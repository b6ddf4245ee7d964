package desk.engine.midi;

/**
 * Takes the engine's reports of the MIDI messages it received, one call each, without objects: the engine
 * sample, the input port, the message ({@link MidiMessages packed}), the binding that took it
 * ({@link MidiEvent#UNBOUND} if none), the value it gave (NaN if none or held) and whether the audio thread
 * applied it.
 * <p>
 * Threads: called on the thread that drains the reports, under the engine's lock.
 */
@FunctionalInterface
public interface MidiReportSink {
    /** One report. */
    void report(long sample, int port, int message, int binding, double value, boolean applied);
}
