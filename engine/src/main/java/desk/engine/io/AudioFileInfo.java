package desk.engine.io;

/**
 * The header of a WAV file, as returned by {@link WavReader#probe}: what {@link WavReader#read} would load,
 * without loading the samples.
 * <p>
 * Threads: immutable; any thread may use it.
 *
 * @param sampleRate    frames per second
 * @param channels      interleaved channels per frame
 * @param bitsPerSample significant bits per sample (for WAVE_FORMAT_EXTENSIBLE files, the valid bits)
 * @param formatTag     the encoding: {@link #WAVE_FORMAT_PCM} or {@link #WAVE_FORMAT_IEEE_FLOAT}; for
 *                      WAVE_FORMAT_EXTENSIBLE files this is the tag of the subformat
 * @param frames        whole frames present in the file (fewer than declared if the file is truncated)
 * @param truncatedData where the data chunk is cut short, or null when the file holds all it declares
 */
public record AudioFileInfo(int sampleRate, int channels, int bitsPerSample, int formatTag, long frames,
                            TruncatedData truncatedData) {
    /** WAV encoding tag of integer PCM. */
    public static final int WAVE_FORMAT_PCM = 0x0001;
    /** WAV encoding tag of IEEE 754 floating point. */
    public static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
    /** WAV encoding tag meaning "see the subformat GUID in the extended fmt chunk". */
    public static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

    /** Duration in seconds. */
    public double seconds() {
        return frames / (double) sampleRate;
    }
}
