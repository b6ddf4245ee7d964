package desk.engine.io;

import desk.engine.RealTime;

import java.util.Locale;

/**
 * The sample encodings Desk writes to WAV files: 16- and 24-bit integer PCM and 32-bit IEEE float.
 * <p>
 * Threads: immutable; any thread may use it.
 */
public enum SampleFormat {
    /** 16-bit signed integer PCM. */
    PCM_16(16, AudioFileInfo.WAVE_FORMAT_PCM),
    /** 24-bit signed integer PCM. */
    PCM_24(24, AudioFileInfo.WAVE_FORMAT_PCM),
    /** 32-bit IEEE 754 float, nominal range -1..1. */
    FLOAT_32(32, AudioFileInfo.WAVE_FORMAT_IEEE_FLOAT);

    private final int bitsPerSample;
    private final int wavFormatTag;

    SampleFormat(int bitsPerSample, int wavFormatTag) {
        this.bitsPerSample = bitsPerSample;
        this.wavFormatTag = wavFormatTag;
    }

    /** Bits in one sample: 16, 24 or 32. */
    @RealTime
    public int bitsPerSample() {
        return bitsPerSample;
    }

    /** Bytes in one sample of one channel: 2, 3 or 4. */
    @RealTime
    public int bytesPerSample() {
        return bitsPerSample / 8;
    }

    /** The WAV {@code fmt } chunk encoding tag: WAVE_FORMAT_PCM (1) or WAVE_FORMAT_IEEE_FLOAT (3). */
    public int wavFormatTag() {
        return wavFormatTag;
    }

    /** True for the floating-point format, false for integer PCM. */
    public boolean isFloat() {
        return wavFormatTag == AudioFileInfo.WAVE_FORMAT_IEEE_FLOAT;
    }

    /**
     * Parses a user-facing format name: "16", "24", "32f" or "float" (case-insensitive, surrounding blanks
     * ignored).
     *
     * @throws IllegalArgumentException with a one-line message listing the accepted names
     */
    public static SampleFormat parse(String text) {
        String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "16" -> PCM_16;
            case "24" -> PCM_24;
            case "32f", "float" -> FLOAT_32;
            default -> throw new IllegalArgumentException(
                    "sample format \"" + text + "\": use 16, 24 or 32f");
        };
    }
}
