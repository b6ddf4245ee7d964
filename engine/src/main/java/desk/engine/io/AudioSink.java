package desk.engine.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * An audio file being written, block by block: a {@link WavWriter} or a {@link FlacWriter}.
 * <p>
 * Threads: not for the audio thread (it blocks on disk); one thread at a time per instance.
 */
public interface AudioSink extends Closeable {
    /**
     * Appends {@code frames} frames: sample {@code i} of channel {@code c} is {@code channels[c][offset + i]}.
     *
     * @throws IOException if the disk write fails or the file is closed
     */
    void write(float[][] channels, int offset, int frames) throws IOException;

    /** Frames written so far. */
    long framesWritten();
}
