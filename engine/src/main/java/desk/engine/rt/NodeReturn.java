package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;

import java.util.Arrays;

/**
 * What a node returns over the network (see {@link NodeClock}), as a source placed on the timeline by the
 * node's clock rather than by when it arrived. Each block the lead engine's clock reads the node's echo, which
 * says the engine position the node rendered the block for; the block's samples on the return's capture
 * channels go into a ring at that position. The source plays the ring {@code latency} samples behind the
 * present and clears what it played: so a return that arrives a period earlier or later from one block to the
 * next (netjack2 running before or after this engine in a JACK cycle, which changes with the server's graph)
 * still lands on its sample, and a block that never arrived plays as silence.
 * <p>
 * Threads: constructed on the control thread; {@link #rtStore} and rendering on the audio thread only.
 */
public final class NodeReturn extends Source {
    /** The ring's length, frames: the latency may reach it less one block. */
    public static final int RING_FRAMES = 1 << 16;
    /** The largest latency a return plays at, samples. */
    public static final int MAX_LATENCY = RING_FRAMES - Limits.MAX_BLOCK;
    private static final int MASK = RING_FRAMES - 1;

    private final int[] captureChannels;
    private final int latency;
    private final float[][] ring;
    private volatile long lateBlocks;

    /** A return read from capture channels {@code captureChannels}, played {@code latency} samples late. */
    public NodeReturn(int id, int[] captureChannels, int latency) {
        super(id, captureChannels.length, Limits.MAX_BLOCK);
        this.captureChannels = captureChannels.clone();
        this.latency = latency;
        this.ring = new float[captureChannels.length][RING_FRAMES];
    }

    /** The samples it plays late by. */
    public int latency() {
        return latency;
    }

    /** How many blocks arrived after some of their samples had played: those samples played as silence. */
    public long lateBlocks() {
        return lateBlocks;
    }

    /**
     * Keeps the block of {@code frames} from {@code offset} of the capture buffers, which the node rendered for
     * engine position {@code position}, {@code now} being the engine position of the block being processed:
     * samples whose time to play has passed are dropped (and the block counted late), so they never play a
     * ring's length later.
     */
    @RealTime
    void rtStore(float[][] capture, int offset, int frames, long position, long now) {
        long passed = now - latency - position;
        int skip = (int) Math.max(0, Math.min(frames, passed));
        if (skip > 0) {
            lateBlocks = lateBlocks + 1;
        }
        long from = position + skip;
        int length = frames - skip;
        int start = (int) (from & MASK);
        int first = Math.min(length, RING_FRAMES - start);
        for (int c = 0; c < captureChannels.length; c++) {
            int channel = captureChannels[c];
            float[] target = ring[c];
            if (channel >= capture.length || capture[channel] == null) {
                continue;
            }
            System.arraycopy(capture[channel], offset + skip, target, start, first);
            System.arraycopy(capture[channel], offset + skip + first, target, 0, length - first);
        }
    }

    @Override
    @RealTime
    protected void rtRender(float[][] out, ProcessContext context, int length) {
        int start = (int) ((context.position - latency) & MASK);
        int first = Math.min(length, RING_FRAMES - start);
        for (int c = 0; c < ring.length; c++) {
            float[] source = ring[c];
            System.arraycopy(source, start, out[c], 0, first);
            System.arraycopy(source, 0, out[c], first, length - first);
            Arrays.fill(source, start, start + first, 0f);
            Arrays.fill(source, 0, length - first, 0f);
        }
    }
}
