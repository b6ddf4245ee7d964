package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorBatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chain on its own: latency kept through bypass, fades, removal handed back, a full chain. */
class InsertChainTest {
    private static final int FADE = 480;

    /** Doubles the signal and delays it by {@code latency} samples. */
    private static final class DelayedDoubler implements Processor {
        private final int latency;
        private final float[] line = new float[1 << 16];
        private int position;
        private int resets;

        DelayedDoubler(int latency) {
            this.latency = latency;
        }

        @Override
        public void prepare(int sampleRate, int channels) {
        }

        @Override
        public int latency() {
            return latency;
        }

        @Override
        public double tailSeconds() {
            return 0;
        }

        @Override
        public void rtSet(int index, double value) {
        }

        @Override
        public void rtReset() {
            java.util.Arrays.fill(line, 0f);
            resets++;
        }

        @Override
        public void rtProcess(float[][] io, int frames, float[][] key) {
            float[] x = io[0];
            for (int i = 0; i < frames; i++) {
                line[(position + i) & (line.length - 1)] = x[i];
                x[i] = 2 * line[(position + i - latency) & (line.length - 1)];
            }
            position += frames;
        }
    }

    private static float input(int i) {
        return (float) Math.sin(i * 0.01);
    }

    /**
     * Runs {@code frames} samples of the test input, from sample {@code start}, through the chain in 100-frame
     * blocks, place by place as a plan runs it.
     */
    private static float[] run(InsertChain chain, int start, int frames) {
        float[] out = new float[frames];
        float[][] io = new float[1][Limits.MAX_BLOCK];
        for (int done = 0; done < frames; done += 100) {
            for (int i = 0; i < 100; i++) {
                io[0][i] = input(start + done + i);
            }
            for (int place = 0; place < chain.rtCount(); place++) {
                chain.rtProcess(place, io, 100, ProcessorBatch.NONE);
            }
            chain.rtSettle();
            System.arraycopy(io[0], 0, out, done, 100);
        }
        return out;
    }

    @Test
    void aBypassedInsertKeepsItsLatencySoNothingMovesInTime() {
        int latency = 37;
        InsertChain chain = new InsertChain(new ReturnRing(8));
        InsertSlot slot = new InsertSlot(5, new DelayedDoubler(latency), 1, FADE, false, false);
        chain.rtAdd(slot, null, false);
        float[] processed = run(chain, 0, 2000);
        assertEquals(2 * input(1000 - latency), processed[1000], 1e-6);
        slot.rtBypass(true);
        float[] fading = run(chain, 2000, 2000);
        for (int i = 0; i < fading.length; i++) {
            float delayed = input(2000 + i - latency);
            double mix = Math.max(0, 1 - (i + 1.0) / FADE);
            assertEquals(delayed * (1 + mix), fading[i], 1e-5, "sample " + i + ": the delayed dry signal, fading");
        }
        slot.rtBypass(false);
        float[] back = run(chain, 4000, 2000);
        assertEquals(2 * input(5999 - latency), back[1999], 1e-6, "processed again, on the same samples");
    }

    @Test
    void aZeroLatencyInsertIsResetWhenItComesBackFromBypass() {
        DelayedDoubler doubler = new DelayedDoubler(0);
        InsertChain chain = new InsertChain(new ReturnRing(8));
        InsertSlot slot = new InsertSlot(5, doubler, 1, FADE, true, false);
        chain.rtAdd(slot, null, false);
        float[] bypassed = run(chain, 0, 1000);
        assertEquals(input(500), bypassed[500], 0f, "bypassed from the start: dry");
        slot.rtBypass(false);
        run(chain, 1000, 1000);
        assertEquals(1, doubler.resets, "reset once on engaging");
    }

    @Test
    void aRemovedInsertFadesOutLeavesTheChainAndGoesBack() {
        ReturnRing returns = new ReturnRing(8);
        InsertChain chain = new InsertChain(returns);
        InsertSlot slot = new InsertSlot(5, new DelayedDoubler(0), 1, FADE, false, false);
        chain.rtAdd(slot, null, true);
        run(chain, 0, 1000);
        slot.rtRemove();
        assertTrue(chain.rtActive());
        assertNull(returns.poll());
        float[] out = run(chain, 1000, 1000);
        assertEquals(input(1999), out[999], 0f, "dry once faded out");
        assertSame(slot, returns.poll());
        assertTrue(!chain.rtActive());
    }

    @Test
    void aFullChainHandsANewInsertStraightBack() {
        ReturnRing returns = new ReturnRing(64);
        InsertChain chain = new InsertChain(returns);
        for (int i = 0; i < InsertChain.CAPACITY; i++) {
            chain.rtAdd(new InsertSlot(i, new DelayedDoubler(0), 1, FADE, false, false), null, false);
        }
        InsertSlot extra = new InsertSlot(99, new DelayedDoubler(0), 1, FADE, false, false);
        chain.rtAdd(extra, null, false);
        assertSame(extra, returns.poll());
    }
}
