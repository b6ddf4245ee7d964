package desk.session;

import desk.engine.io.AudioFileInfo;
import desk.engine.io.TruncatedWavException;
import desk.engine.io.Truncation;
import desk.engine.io.WavReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The audio files scripts open, as clips or file inputs: their headers checked before the engine opens them,
 * and the notice a truncated file opened anyway gets.
 * <p>
 * Threads: any thread; stateless.
 */
final class AudioFiles {
    private AudioFiles() {
    }

    /**
     * The header of {@code file}, which {@code label} opens; refused with one line if it is not a WAV file
     * Desk reads or, unless {@code allowTruncated}, if its data chunk is cut short (the line then says how to
     * open it anyway and how much is there).
     */
    static AudioFileInfo probe(Path file, String label, boolean allowTruncated) {
        try {
            return WavReader.probe(file, allowTruncated ? Truncation.ALLOW : Truncation.REFUSE);
        } catch (TruncatedWavException e) {
            throw new DeskException(label + ": " + e.getMessage() + "; open it with {truncated: \"allow\"}"
                    + " (truncated=\"allow\" in Python) to use the " + e.secondsPresent() + " s there");
        } catch (IOException e) {
            throw new DeskException(label + ": " + e.getMessage());
        }
    }

    /** After {@code label} opened {@code file} with {@code info}: the notice of a truncated file, or null. */
    static String truncationNotice(String label, Path file, AudioFileInfo info) {
        return info.truncatedData() == null ? null : label + ": " + file + " is truncated ("
                + info.truncatedData().describe() + "): it plays the "
                + String.format(Locale.ROOT, "%.1f", info.seconds()) + " s there";
    }
}
