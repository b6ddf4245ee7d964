package desk.engine.io;

/**
 * What {@link WavReader} does with a WAV file whose data chunk ends before its header says it does (a copy
 * cut short, a recording that stopped mid-write): refuse it with a {@link TruncatedWavException}, or read
 * the whole frames that are there.
 * <p>
 * Threads: immutable; any thread.
 */
public enum Truncation {
    /** Refuse a truncated file. */
    REFUSE,
    /** Read a truncated file as far as it goes; {@link AudioFileInfo#truncatedData()} says how short it is. */
    ALLOW
}
