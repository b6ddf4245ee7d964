package desk.engine.delivery;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The file formats Desk delivers: plain WAV, Broadcast Wave (WAV with a {@code bext} chunk) and FLAC.
 * <p>
 * Threads: immutable; any thread.
 */
public enum Container {
    /** RIFF/WAVE: 16- or 24-bit PCM or 32-bit float. */
    WAV,
    /** Broadcast Wave: WAV with a bext chunk saying what the file is, where it starts, and its loudness. */
    BWF,
    /** FLAC, lossless and compressed: 16 or 24 bits. */
    FLAC;

    /** Its name as the user types it: wav, bwf, flac. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format a file's name asks for: flac for .flac, bwf for .bwf, wav for .wav, .wave or no extension.
     *
     * @throws IllegalArgumentException with a one-line message for any other extension (say, .mp3), which Desk
     *                                  would otherwise write as a WAV file under a name that says something else
     */
    public static Container forFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "flac" -> FLAC;
            case "bwf" -> BWF;
            case "wav", "wave", "" -> WAV;
            default -> throw new IllegalArgumentException(name + ": Desk writes .wav, .bwf and .flac files; name it"
                    + " so, or give the format (wav, bwf or flac)");
        };
    }

    /**
     * Parses a user-facing name: wav, bwf or flac (case-insensitive).
     *
     * @throws IllegalArgumentException with a one-line message naming the accepted names
     */
    public static Container parse(String text) {
        String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "wav" -> WAV;
            case "bwf" -> BWF;
            case "flac" -> FLAC;
            default -> throw new IllegalArgumentException("format \"" + text + "\": use wav, bwf or flac"
                    + (name.matches("16|24|32f?|float") ? " (the sample format is set by bits: 16, 24 or 32f)" : ""));
        };
    }
}
