package desk.engine.io;

import java.util.Objects;

/**
 * A whole audio file decoded into memory by {@link WavReader#read}: one float array per channel, nominal
 * range -1..1, with subnormals already replaced by zero. A float file's NaN and infinite samples are kept:
 * the strip they reach counts them and plays silence instead.
 * <p>
 * Threads: built on a control or disk thread. The arrays are plain arrays: hand the record to other threads
 * (including the audio thread) through a safe publication such as a volatile field or a concurrent queue,
 * and never modify the samples afterwards.
 *
 * @param sampleRate    frames per second
 * @param channels      number of channels, equal to {@code samples.length}
 * @param sourceFormat  the Desk format that holds the file's samples without loss, or null when none does
 *                      (8-bit or 32-bit integer, 64-bit float)
 * @param bitsPerSample significant bits per sample in the file (for WAVE_FORMAT_EXTENSIBLE files, the
 *                      valid bits)
 * @param samples       {@code samples[channel][frame]}; all channels have the same length
 */
public record AudioFile(int sampleRate, int channels, SampleFormat sourceFormat, int bitsPerSample,
                        float[][] samples) {

    /** Checks that the channel arrays agree with {@code channels} and with each other. */
    public AudioFile {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " must be at least 1");
        }
        if (channels < 1 || samples.length != channels) {
            throw new IllegalArgumentException(
                    "channels " + channels + " must be at least 1 and match samples.length " + samples.length);
        }
        for (int c = 0; c < channels; c++) {
            Objects.requireNonNull(samples[c], "samples[" + c + "]");
            if (samples[c].length != samples[0].length) {
                throw new IllegalArgumentException("samples[" + c + "] has " + samples[c].length
                        + " frames but samples[0] has " + samples[0].length);
            }
        }
    }

    /** Frames per channel. */
    public int frames() {
        return samples[0].length;
    }

    /** Duration in seconds. */
    public double seconds() {
        return frames() / (double) sampleRate;
    }
}
