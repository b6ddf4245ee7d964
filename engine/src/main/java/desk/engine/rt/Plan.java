package desk.engine.rt;

import desk.engine.RealTime;
import desk.engine.insert.ProcessorBatch;

/**
 * An immutable processing plan: the sources to render, the strips in dependency order (every strip after
 * all that feed it, the master last) cut into waves of strips that do not feed one another, each strip's
 * outgoing connections, and the buffers of the buses' direct outs with the playback channels each goes to.
 * The strips of a wave run stage by stage: all their inputs, then their inserts place by place (so that a
 * {@link ProcessorBatch} can run the processors of one place side by side), then their faders, meters and
 * connections. The control thread compiles a
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
    /** For the first strip of each wave, the index after its last; 0 elsewhere. */
    private final int[] waveEnd;
    /** The chain each strip of the wave running now has to run (null: none), between its stages. */
    private final InsertChain[] chains;

    /**
     * A plan running {@code order}, cut into waves before each index in {@code waveStarts} (ascending, from 0):
     * no strip of a wave may feed another of it, through a connection or as a side chain's key.
     */
    public Plan(Source[] sources, StripNode[] order, int[] waveStarts, Connection[][] outgoing, StripNode[] summing,
                StripNode playback, StripNode[] directOuts, int[][] directOutChannels) {
        this.sources = sources;
        this.order = order;
        this.waveEnd = new int[order.length];
        for (int w = 0; w < waveStarts.length; w++) {
            waveEnd[waveStarts[w]] = w + 1 < waveStarts.length ? waveStarts[w + 1] : order.length;
        }
        this.chains = new InsertChain[order.length];
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
    void rtRun(ProcessContext context, int length, float[] faderGains, float[] scratch, boolean metering,
               ProcessorBatch batch) {
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
        for (int start = 0; start < order.length; start = waveEnd[start]) {
            rtRunWave(start, waveEnd[start], context, length, faderGains, scratch, metering, batch);
        }
    }

    /** Runs the strips {@code [from, to)}, a wave, stage by stage; a strip that throws is bypassed. */
    @RealTime
    private void rtRunWave(int from, int to, ProcessContext context, int length, float[] faderGains,
                           float[] scratch, boolean metering, ProcessorBatch batch) {
        int places = 0;
        for (int i = from; i < to; i++) {
            StripNode strip = order[i];
            if (strip.rtBypassed()) {
                continue;
            }
            try {
                chains[i] = strip.rtProcessInput(length, scratch);
                places = chains[i] == null ? places : Math.max(places, chains[i].rtCount());
            } catch (Throwable failure) {
                rtFail(i, failure, context);
            }
        }
        for (int place = 0; place < places; place++) {
            for (int i = from; i < to; i++) {
                InsertChain chain = chains[i];
                if (chain == null || place >= chain.rtCount()) {
                    continue;
                }
                try {
                    chain.rtProcess(place, order[i].rtChainSignal(), length, batch);
                } catch (Throwable failure) {
                    rtFail(i, failure, context);
                }
            }
            try {
                batch.rtFlush(length);
            } catch (Throwable failure) {
                context.failure = failure;
            }
        }
        for (int i = from; i < to; i++) {
            StripNode strip = order[i];
            if (strip.rtBypassed()) {
                chains[i] = null;
                continue;
            }
            try {
                if (chains[i] != null) {
                    chains[i].rtSettle();
                    chains[i] = null;
                }
                float fader = strip.rtProcessOutput(length, faderGains, scratch, metering);
                for (Connection connection : outgoing[i]) {
                    connection.rtMix(length, fader, faderGains, scratch);
                }
            } catch (Throwable failure) {
                rtFail(i, failure, context);
            }
        }
    }

    /** Bypasses strip {@code i} from now on (it feeds nothing) and leaves its failure in the context. */
    @RealTime
    private void rtFail(int i, Throwable failure, ProcessContext context) {
        order[i].rtBypass();
        chains[i] = null;
        context.failure = failure;
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
