package desk.engine;

import desk.engine.io.WavReader;

import java.io.IOException;

/**
 * A clip as the disk reader plays it: a region of an open WAV stream placed on the timeline, with its gain
 * and linear fades. Frame {@code k} of the clip (0 at its start) is file frame {@code fileOffset + k},
 * scaled by the gain, by {@code k / fadeIn} while {@code k < fadeIn} and by
 * {@code (length - 1 - k) / fadeOut} while {@code k >= length - fadeOut}. A mono file feeds every channel
 * of the track; a file as wide as the track feeds it channel by channel. Immutable.
 * <p>
 * Threads: built on the control thread; read by the disk reader thread.
 */
final class PlaybackClip {
    private final WavReader.Stream stream;
    private final int fileChannels;
    private final long fileOffset;
    private final long length;
    private final long position;
    private final double gain;
    private final long fadeIn;
    private final long fadeOut;

    PlaybackClip(WavReader.Stream stream, long fileOffset, long length, long position, double gain, long fadeIn,
                 long fadeOut) {
        this.stream = stream;
        this.fileChannels = stream.info().channels();
        this.fileOffset = fileOffset;
        this.length = length;
        this.position = position;
        this.gain = gain;
        this.fadeIn = fadeIn;
        this.fadeOut = fadeOut;
    }

    /** Channels of the clip's file. */
    int fileChannels() {
        return fileChannels;
    }

    /**
     * Adds what the clip plays over timeline frames {@code [from, from + count)} into
     * {@code out[c][0..count)} for the track's {@code channels} channels, decoding through {@code scratch}
     * (one array per file channel, at least {@code count} long).
     */
    void mixInto(long from, int count, float[][] out, int channels, float[][] scratch) throws IOException {
        long start = Math.max(from, position);
        long end = Math.min(from + count, position + length);
        if (start >= end) {
            return;
        }
        int frames = (int) (end - start);
        int at = (int) (start - from);
        long k0 = start - position;
        stream.read(fileOffset + k0, frames, scratch, 0);
        for (int i = 0; i < frames; i++) {
            long k = k0 + i;
            double g = gain;
            if (k < fadeIn) {
                g *= (double) k / fadeIn;
            }
            if (k >= length - fadeOut) {
                g *= (double) (length - 1 - k) / fadeOut;
            }
            float factor = (float) g;
            for (int c = 0; c < channels; c++) {
                out[c][at + i] += scratch[fileChannels == 1 ? 0 : c][i] * factor;
            }
        }
    }
}
