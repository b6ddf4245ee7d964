package desk.session;

import desk.engine.EngineCommand;
import desk.engine.Parameter;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A clip on a track: a region of a WAV file ({@link #length()} frames from frame {@link #offset()}) that
 * plays from timeline sample {@link #position()} through the track's strip, with a clip gain in dB and
 * linear fades in and out. Moving, trimming and re-gaining a clip changes what the track plays, never the
 * file. Every change is checked by the engine whole: a refused one changes nothing. A clip of a truncated
 * file (opened with {@code truncated: "allow"}) keeps that allowance through every change.
 * <p>
 * Threads: the session's control thread.
 */
public final class Clip {
    private final Track track;
    private final Path file;
    private final String name;
    private final boolean allowTruncated;
    private long offset;
    private long length;
    private long position;
    private double gainDb;
    private long fadeIn;
    private long fadeOut;
    private boolean removed;

    Clip(Track track, Path file, String name, boolean allowTruncated, long offset, long length, long position,
         double gainDb, long fadeIn, long fadeOut) {
        this.track = track;
        this.file = file;
        this.name = name;
        this.allowTruncated = allowTruncated;
        this.offset = offset;
        this.length = length;
        this.position = position;
        this.gainDb = gainDb;
        this.fadeIn = fadeIn;
        this.fadeOut = fadeOut;
    }

    /** The track it is on. */
    public Track track() {
        return track;
    }

    /** Its file. */
    public Path file() {
        return file;
    }

    /** Its file as the session names it: inside the session folder or the working folder. */
    public String name() {
        return name;
    }

    /** First frame of the file it plays. */
    public long offset() {
        return offset;
    }

    /** Frames it plays. */
    public long length() {
        return length;
    }

    /** Timeline sample where it starts. */
    public long position() {
        return position;
    }

    /** Clip gain, dB. */
    public double gain() {
        return gainDb;
    }

    /** Fade-in length, frames. */
    public long fadeIn() {
        return fadeIn;
    }

    /** Fade-out length, frames. */
    public long fadeOut() {
        return fadeOut;
    }

    /** Moves it to timeline sample {@code sample}. */
    public void position(long sample) {
        change(offset, length, sample, gainDb, fadeIn, fadeOut, "position");
    }

    /** Plays the file from frame {@code frame} on (a trim of its start in the file). */
    public void offset(long frame) {
        change(frame, length, position, gainDb, fadeIn, fadeOut, "offset");
    }

    /** Plays {@code frames} frames (a trim of its end). */
    public void length(long frames) {
        change(offset, frames, position, gainDb, fadeIn, fadeOut, "length");
    }

    /** Sets the clip gain, dB: -inf or -144..+18. */
    public void gain(double db) {
        change(offset, length, position, db, fadeIn, fadeOut, "gain");
    }

    /** Sets the fade-in length, frames. */
    public void fadeIn(long frames) {
        change(offset, length, position, gainDb, frames, fadeOut, "fadeIn");
    }

    /** Sets the fade-out length, frames. */
    public void fadeOut(long frames) {
        change(offset, length, position, gainDb, fadeIn, frames, "fadeOut");
    }

    /** Takes it off its track (the file stays). */
    public void remove() {
        if (!removed) {
            track.removeClip(this);
            removed = true;
        }
    }

    /** Whether it was removed. */
    public boolean removed() {
        return removed;
    }

    EngineCommand.Clip command() {
        return new EngineCommand.Clip(file, offset, length, position, gainDb, fadeIn, fadeOut, allowTruncated);
    }

    private void change(long newOffset, long newLength, long newPosition, double newGain, long newFadeIn,
                        long newFadeOut, String member) {
        if (removed) {
            throw new DeskException(label() + "." + member + ": the clip was removed");
        }
        EngineCommand.Clip changed = new EngineCommand.Clip(file, newOffset, newLength, newPosition, newGain,
                newFadeIn, newFadeOut, allowTruncated);
        track.replaceClip(this, changed, label() + "." + member);
        offset = newOffset;
        length = newLength;
        position = newPosition;
        gainDb = newGain;
        fadeIn = newFadeIn;
        fadeOut = newFadeOut;
    }

    private String label() {
        return track.name() + " clip " + name;
    }

    @Override
    public String toString() {
        double rate = track.session.sampleRate();
        return String.format(Locale.ROOT, "Clip %s on %s at %.3f s, %.3f s from %.3f s, gain %s dB", name,
                track.name(), position / rate, length / rate, offset / rate, Parameter.format(gainDb));
    }
}
