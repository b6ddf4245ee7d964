package desk.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A WAV file refused because its data chunk is cut short ({@link Truncation#REFUSE}). The message is one line
 * naming the file, the declared size, where the data starts and where the file ends; {@link #info()} holds
 * what the file would give if it were read anyway.
 * <p>
 * Threads: immutable; any thread.
 */
public final class TruncatedWavException extends IOException {
    private final transient AudioFileInfo info;

    /** The refusal of {@code file}, whose header and real length are {@code info} (with its truncated data). */
    public TruncatedWavException(Path file, AudioFileInfo info) {
        super(file + ": " + info.truncatedData().describe() + " (truncated)");
        this.info = info;
    }

    /** The file as it would be read with {@link Truncation#ALLOW}: its format and the whole frames present. */
    public AudioFileInfo info() {
        return info;
    }

    /** The seconds of audio present, one decimal, e.g. "5.0". */
    public String secondsPresent() {
        return String.format(Locale.ROOT, "%.1f", info.seconds());
    }
}
