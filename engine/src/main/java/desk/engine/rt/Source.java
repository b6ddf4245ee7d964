package desk.engine.rt;

import desk.engine.RealTime;

/**
 * Something that produces audio for tracks to take as input: a generator, a file, or a port of the audio
 * interface. The plan renders every source once per span into its own buffer, before any strip runs, and
 * tracks copy from that buffer.
 * <p>
 * Threads: built and configured on the control thread before it is published; {@code rt} methods on the
 * audio thread only.
 */
public abstract class Source {
    private final int id;
    private final float[][] buffer;
    private boolean bypassed;

    /** A source with engine id {@code id}, {@code channels} channels and room for {@code maxBlock} frames. */
    protected Source(int id, int channels, int maxBlock) {
        this.id = id;
        this.buffer = new float[channels][maxBlock];
    }

    /** The engine id of this source. */
    public final int id() {
        return id;
    }

    /** Number of channels this source produces. */
    public final int channels() {
        return buffer.length;
    }

    /** The samples of channel {@code channel} of the last span rendered. */
    @RealTime
    final float[] rtChannel(int channel) {
        return buffer[channel];
    }

    /** True once the source has failed: it renders no more and reads as silence. */
    @RealTime
    final boolean rtBypassed() {
        return bypassed;
    }

    /** Takes a failed source out of play: its buffer falls silent for good. */
    @RealTime
    final void rtBypass() {
        bypassed = true;
        for (float[] channel : buffer) {
            java.util.Arrays.fill(channel, 0f);
        }
    }

    /** Renders the next {@code length} frames, which start at engine sample {@code position}. */
    @RealTime
    final void rtRender(ProcessContext context, int length) {
        rtRender(buffer, context, length);
    }

    /** Writes the next {@code length} frames into {@code out[c][0..length)}. */
    @RealTime
    protected abstract void rtRender(float[][] out, ProcessContext context, int length);
}
