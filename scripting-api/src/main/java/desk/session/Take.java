package desk.session;

import java.nio.file.Path;

/**
 * A recorded take: one file in the session folder's {@code takes/} folder, the track it was recorded on
 * (by name), where its first frame sits on the timeline (the file's Broadcast Wave time reference), its
 * length and channels. Takes recorded before a restart are found the same way. Immutable; any thread.
 *
 * @param track      the name of the track it was recorded on, as its file name spells it
 * @param file       the file
 * @param name       the file's path inside the session folder, e.g. "takes/Vox-001.wav"
 * @param sample     timeline position of the first frame, samples
 * @param frames     length, frames
 * @param channels   channels
 * @param sampleRate the file's sample rate, Hz
 */
public record Take(String track, Path file, String name, long sample, long frames, int channels, int sampleRate) {
    /** Timeline position of the first frame, seconds. */
    public double position() {
        return (double) sample / sampleRate;
    }

    /** Length, seconds. */
    public double seconds() {
        return (double) frames / sampleRate;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Take %s (%s) at %.3f s, %.3f s, %d channel%s", name, track,
                position(), seconds(), channels, channels == 1 ? "" : "s");
    }
}
