package desk.engine.clip;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Limits;
import desk.engine.Parameter;
import desk.engine.dsp.Decibels;
import desk.engine.io.AudioFileInfo;
import desk.engine.io.TruncatedWavException;
import desk.engine.io.Truncation;
import desk.engine.io.WavReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A clip as the disk reader plays it: a region of an open WAV stream placed on the timeline, with its gain
 * and linear fades. Frame {@code k} of the clip (0 at its start) is file frame {@code fileOffset + k},
 * scaled by the gain, by {@code k / fadeIn} while {@code k < fadeIn} and by
 * {@code (length - 1 - k) / fadeOut} while {@code k >= length - fadeOut}. A mono file feeds every channel
 * of the track; a file as wide as the track feeds it channel by channel. Immutable.
 * <p>
 * Threads: built on the control thread; read by the disk reader thread.
 */
public final class PlaybackClip {
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

    /**
     * Checks a clip for a track {@code trackId} of {@code channels} channels on an engine at
     * {@code sampleRate} and makes it, opening its file through {@code files} (streams by path, shared by
     * every clip of the file); throws {@link EngineException} with one line if it cannot play.
     */
    public static PlaybackClip check(EngineCommand.Clip clip, int sampleRate, int trackId, int channels,
                              Map<Path, WavReader.Stream> files) {
        if (clip == null || clip.file() == null) {
            throw new EngineException("a clip needs a file");
        }
        WavReader.Stream stream = files.get(clip.file());
        if (stream == null) {
            try {
                stream = WavReader.stream(clip.file(), Truncation.ALLOW);
            } catch (IOException e) {
                throw new EngineException(e.getMessage());
            }
            files.put(clip.file(), stream);
        }
        AudioFileInfo info = stream.info();
        if (info.truncatedData() != null && !clip.allowTruncated()) {
            throw new EngineException(new TruncatedWavException(clip.file(), info).getMessage());
        }
        if (info.sampleRate() != sampleRate) {
            throw new EngineException("clip file " + clip.file() + " is at " + info.sampleRate()
                    + " Hz: the engine runs at " + sampleRate + " Hz (convert it first, e.g. with sox)");
        }
        if (info.channels() != 1 && info.channels() != channels) {
            throw new EngineException("clip file " + clip.file() + " has " + info.channels() + " channels: track "
                    + trackId + " has " + channels + " (a clip is mono or as wide as its track)");
        }
        if (clip.fileOffset() < 0 || clip.length() < 1 || clip.fileOffset() + clip.length() > info.frames()) {
            throw new EngineException("clip region " + clip.fileOffset() + " + " + clip.length() + " frames: "
                    + clip.file().getFileName() + " has " + info.frames() + " frames");
        }
        if (clip.position() < 0 || clip.position() > Limits.MAX_SAMPLE_TIME) {
            throw new EngineException("clip position " + clip.position() + ": must be 0.." + Limits.MAX_SAMPLE_TIME
                    + " samples");
        }
        if (!(clip.gainDb() == Double.NEGATIVE_INFINITY || (clip.gainDb() >= -144 && clip.gainDb() <= 18))) {
            throw new EngineException("clip gain " + Parameter.format(clip.gainDb()) + " dB: must be -inf or -144..18 dB");
        }
        if (clip.fadeIn() < 0 || clip.fadeOut() < 0 || clip.fadeIn() + clip.fadeOut() > clip.length()) {
            throw new EngineException("clip fades " + clip.fadeIn() + " and " + clip.fadeOut()
                    + " frames: each 0 or more, together at most the clip's " + clip.length() + " frames");
        }
        return new PlaybackClip(stream, clip.fileOffset(), clip.length(), clip.position(),
                Decibels.toGain(clip.gainDb()), clip.fadeIn(), clip.fadeOut());
    }

    /** Channels of the clip's file. */
    int fileChannels() {
        return fileChannels;
    }

    /**
     * Adds what the clip plays over timeline frames {@code [from, from + count)} into
     * {@code out[c][0..count)} for the track's {@code channels} channels, through {@code bytes} (a heap buffer of
     * the calling thread, at least {@code count} frames of the file) or, if it is null, through the file's window
     * ({@link WavReader.Stream#openWindow}); a read that meets a fade decodes through {@code scratch} first (one
     * array per file channel, at least {@code count} long).
     */
    void mixInto(long from, int count, float[][] out, int channels, float[][] scratch, ByteBuffer bytes)
            throws IOException {
        long start = Math.max(from, position);
        long end = Math.min(from + count, position + length);
        if (start >= end) {
            return;
        }
        int frames = (int) (end - start);
        int at = (int) (start - from);
        long k0 = start - position;
        int steadyFrom = (int) Math.min(frames, Math.max(0, fadeIn - k0));
        int steadyTo = (int) Math.max(steadyFrom, Math.min(frames, length - fadeOut - k0));
        if (steadyFrom == 0 && steadyTo == frames) {
            stream.mix(fileOffset + k0, frames, out, channels, at, (float) gain, bytes);
            return;
        }
        stream.read(fileOffset + k0, frames, scratch, 0, bytes);
        mixFaded(k0, 0, steadyFrom, out, at, channels, scratch);
        float factor = (float) gain;
        for (int c = 0; c < channels; c++) {
            float[] source = scratch[fileChannels == 1 ? 0 : c];
            float[] target = out[c];
            for (int i = steadyFrom; i < steadyTo; i++) {
                target[at + i] += source[i] * factor;
            }
        }
        mixFaded(k0, steadyTo, frames, out, at, channels, scratch);
    }

    /** Mixes decoded frames {@code [first, last)} of a read that starts at clip frame {@code k0}, fades applied. */
    private void mixFaded(long k0, int first, int last, float[][] out, int at, int channels, float[][] scratch) {
        for (int i = first; i < last; i++) {
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
