package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.Stems;

import java.util.Arrays;

/**
 * The engine's side of {@link Stems}: a tap on each strip's output path, or on its signal before the fader,
 * and the block each fills span by span. A strip routed nowhere gives silence after its fader.
 * <p>
 * Threads: made on the control thread and installed through the command ring; filled span by span by the
 * render's thread; read, between blocks, on that thread ({@link #block}, {@link #frames}, {@link #rewind}).
 */
public final class StemTaps implements Stems {
    private final StemTap[] taps;
    private final StripNode[] signals;
    private final int[] ahead;
    private final int[] channels;
    private final float[][][] blocks;
    private int filled;

    /**
     * Stems of the strips {@code signals} before their faders where given, else of the paths {@code outputs} (a
     * null path: a strip routed nowhere, {@code silentChannels} wide), each {@code ahead[i]} samples ahead of
     * the master.
     */
    public StemTaps(Connection[] outputs, StripNode[] signals, int[] ahead, int silentChannels) {
        this.taps = new StemTap[outputs.length];
        this.signals = signals.clone();
        this.ahead = ahead.clone();
        this.channels = new int[outputs.length];
        this.blocks = new float[outputs.length][][];
        for (int i = 0; i < outputs.length; i++) {
            taps[i] = outputs[i] == null ? null : new StemTap(outputs[i]);
            channels[i] = signals[i] != null ? signals[i].channels()
                    : taps[i] == null ? silentChannels : taps[i].channels();
            blocks[i] = new float[channels[i]][Limits.MAX_BLOCK];
        }
    }

    @Override
    public int channels(int index) {
        return channels[index];
    }

    @Override
    public int ahead(int index) {
        return ahead[index];
    }

    @Override
    public float[][] block(int index) {
        return blocks[index];
    }

    @Override
    public int frames() {
        return filled;
    }

    @Override
    public void rewind() {
        filled = 0;
    }

    @RealTime
    void rtAttach() {
        for (StemTap tap : taps) {
            if (tap != null) {
                tap.rtAttach();
            }
        }
    }

    @RealTime
    void rtDetach() {
        for (StemTap tap : taps) {
            if (tap != null) {
                tap.rtDetach();
            }
        }
    }

    /** Takes the span just run from every tap; a block holds at most {@link Limits#MAX_BLOCK} samples. */
    @RealTime
    void rtSpan(int span) {
        int length = Math.min(span, Limits.MAX_BLOCK - filled);
        for (int i = 0; i < taps.length; i++) {
            if (signals[i] != null) {
                signals[i].rtCopyPreFader(blocks[i], filled, length);
            } else if (taps[i] != null) {
                taps[i].rtTake(blocks[i], filled, length);
            } else {
                for (float[] channel : blocks[i]) {
                    Arrays.fill(channel, filled, filled + length, 0f);
                }
            }
        }
        filled += length;
    }
}
