package desk.engine.rt;

import desk.engine.RealTime;

/**
 * An immutable processing plan: the sources to render, the strips in dependency order (every strip after
 * all that feed it, the master last), each strip's outgoing connections, and the buffers of the buses'
 * direct outs with the playback channels each goes to. The control thread compiles a
 * new plan for every change of structure and publishes it through the command ring; the nodes themselves
 * are shared from plan to plan, so their state (ramps, meters, phases) carries over without a click.
 * <p>
 * Threads: built on the control thread; {@link #rtRun} on the audio thread only.
 */
public final class Plan {
    private final Source[] sources;
    private final StripNode[] order;
    private final Connection[][] outgoing;
    private final StripNode[] summing;
    private final StripNode playback;
    private final StripNode[] directOuts;
    private final int[][] directOutChannels;

    public Plan(Source[] sources, StripNode[] order, Connection[][] outgoing, StripNode[] summing, StripNode playback,
         StripNode[] directOuts, int[][] directOutChannels) {
        this.sources = sources;
        this.order = order;
        this.outgoing = outgoing;
        this.summing = summing;
        this.playback = playback;
        this.directOuts = directOuts;
        this.directOutChannels = directOutChannels;
    }

    /** The strips in the order they run (for tests and diagnostics). */
    public int[] order() {
        int[] ids = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            ids[i] = order[i].id();
        }
        return ids;
    }

    /**
     * Processes one span of {@code length} frames into the playback strip's buffer. A source or strip that
     * throws is bypassed from then on (a source reads as silence, a strip feeds nothing) and the failure is
     * left in {@link ProcessContext#failure}; the other nodes play on.
     */
    @RealTime
    void rtRun(ProcessContext context, int length, float[] faderGains, float[] scratch, boolean metering) {
        for (StripNode strip : summing) {
            strip.rtClear(length);
        }
        playback.rtClear(length);
        for (StripNode directOut : directOuts) {
            directOut.rtClear(length);
        }
        for (Source source : sources) {
            if (source.rtBypassed()) {
                continue;
            }
            try {
                source.rtRender(context, length);
            } catch (Throwable failure) {
                source.rtBypass();
                context.failure = failure;
            }
        }
        for (StripNode strip : order) {
            strip.rtRenderPlayback(context, length);
        }
        for (int i = 0; i < order.length; i++) {
            StripNode strip = order[i];
            if (strip.rtBypassed()) {
                continue;
            }
            try {
                float fader = strip.rtProcess(length, faderGains, scratch, metering);
                for (Connection connection : outgoing[i]) {
                    connection.rtMix(length, fader, faderGains, scratch);
                }
            } catch (Throwable failure) {
                strip.rtBypass();
                context.failure = failure;
            }
        }
    }

    /**
     * Adds the span just run of every direct out onto its playback channels, from {@code offset}; channels
     * the backend does not have (beyond the array, or null) are skipped.
     */
    @RealTime
    void rtWriteDirectOuts(float[][] playbackChannels, int offset, int length) {
        for (int i = 0; i < directOuts.length; i++) {
            float[][] from = directOuts[i].rtBuffer();
            int[] to = directOutChannels[i];
            for (int c = 0; c < to.length; c++) {
                float[] out = to[c] < playbackChannels.length ? playbackChannels[to[c]] : null;
                if (out == null) {
                    continue;
                }
                float[] in = from[c];
                for (int j = 0; j < length; j++) {
                    out[offset + j] += in[j];
                }
            }
        }
    }
}
