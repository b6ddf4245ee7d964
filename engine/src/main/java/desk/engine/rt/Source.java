package desk.engine.rt;

import desk.engine.RealTime;
import desk.engine.dsp.Kernels;

/**
 * Something that produces audio for tracks to take as input: a generator, a file, or a port of the audio
 * interface. The plan renders every source once per span into its own buffer, before any strip runs, and
 * tracks copy from that buffer. NaN and infinite samples (a capture port or a float file may bring them) are
 * replaced by silence there and counted per channel, for the meters of the tracks that take them.
 * <p>
 * Threads: built and configured on the control thread before it is published; {@code rt} methods on the
 * audio thread only.
 */
public abstract class Source {
    private final int id;
    private final float[][] buffer;
    private final int[] nonFinite;
    private boolean bypassed;

    /** A source with engine id {@code id}, {@code channels} channels and room for {@code maxBlock} frames. */
    protected Source(int id, int channels, int maxBlock) {
        this(id, new float[channels][maxBlock]);
    }

    /**
     * A source with engine id {@code id} whose channels are {@code buffer}; a null channel has no room yet and
     * is neither rendered nor read until the subclass gives it some.
     */
    Source(int id, float[][] buffer) {
        this.id = id;
        this.buffer = buffer;
        this.nonFinite = new int[buffer.length];
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

    /** How many NaN or infinite samples channel {@code channel} of the last span had (now silence). */
    @RealTime
    final int rtNonFinite(int channel) {
        return nonFinite[channel];
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
            if (channel != null) {
                java.util.Arrays.fill(channel, 0f);
            }
        }
        java.util.Arrays.fill(nonFinite, 0);
    }

    /** Renders the next {@code length} frames, which start at engine sample {@code position}. */
    @RealTime
    final void rtRender(ProcessContext context, int length) {
        rtRender(buffer, context, length);
        int channels = rtRenderedChannels();
        for (int c = 0; c < channels; c++) {
            if (buffer[c] != null) {
                nonFinite[c] = Kernels.rtReplaceNonFinite(buffer[c], length);
            }
        }
    }

    /** How many channels, from the first, a span renders: all of them unless a subclass opens them as used. */
    @RealTime
    int rtRenderedChannels() {
        return buffer.length;
    }

    /** Writes the next {@code length} frames into {@code out[c][0..length)} (null channels are skipped). */
    @RealTime
    protected abstract void rtRender(float[][] out, ProcessContext context, int length);
}
