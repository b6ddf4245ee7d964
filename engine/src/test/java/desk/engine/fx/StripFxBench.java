package desk.engine.fx;

import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorBatch;
import desk.engine.insert.ProcessorType;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark, not a test: nanoseconds per stereo frame of the channel-strip processors (a four-band EQ, the
 * compressor, both; the EQs also side by side in an {@link EqBatch}, as strips run them) for 64 instances fed
 * noise in blocks of 64 frames (or as many as the argument says) at 48 kHz, after a warm-up. Run with
 * {@code java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes
 * desk.engine.fx.StripFxBench [FRAMES]}.
 */
public final class StripFxBench {
    private static final int RATE = 48_000;
    private static final int INSTANCES = 64;
    private static int block = 64;

    private StripFxBench() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        if (arguments.length > 0) {
            block = Integer.parseInt(arguments[0]);
        }
        Object[] bands = {"b1_freq", 300, "b1_gain", -2.5, "b1_q", 1.41, "b2_freq", 1000, "b2_gain", 2, "b2_q", 1.41,
            "b3_freq", 3000, "b3_gain", 2.5, "b3_q", 1.41, "b4_freq", 8000, "b4_gain", 1.5, "b4_q", 1.41};
        Object[] compressor = {"threshold", -20, "ratio", 3, "attack", 10, "release", 120, "makeup", 3};
        EqBatch batch = EqBatch.create();
        boolean batched = EqBatch.awaitTaking(60, TimeUnit.SECONDS);
        for (int round = 0; round < 3; round++) {
            report("eq, 4 bands", measure(new ProcessorType[]{Eq.TYPE}, new Object[][]{bands}, ProcessorBatch.NONE));
            if (batched) {
                report("eq, side by side", measure(new ProcessorType[]{Eq.TYPE}, new Object[][]{bands}, batch));
            }
            report("compressor", measure(new ProcessorType[]{Compressor.TYPE}, new Object[][]{compressor},
                    ProcessorBatch.NONE));
            report("eq + compressor", measure(new ProcessorType[]{Eq.TYPE, Compressor.TYPE},
                    new Object[][]{bands, compressor}, batched ? batch : ProcessorBatch.NONE));
        }
    }

    private static void report(String what, double nanosPerFrame) {
        System.out.printf(Locale.ROOT, "%-16s %6.2f ns per stereo frame, %6.1f us per track-second%n", what,
                nanosPerFrame, nanosPerFrame * RATE / 1000);
    }

    /**
     * Runs the chains over blocks, place by place as a wave of strips runs them: each processor offered
     * to {@code batch} first, the batch flushed after each place.
     */
    private static double measure(ProcessorType[] types, Object[][] settings, ProcessorBatch batch) {
        Processor[][] chains = new Processor[INSTANCES][types.length];
        for (int i = 0; i < INSTANCES; i++) {
            for (int t = 0; t < types.length; t++) {
                chains[i][t] = ProcessorRun.create(types[t], RATE, 2, settings[t]);
            }
        }
        float[][][] buffers = new float[INSTANCES][2][block];
        SplittableRandom random = new SplittableRandom(1);
        float[] noise = new float[RATE + block];
        for (int s = 0; s < noise.length; s++) {
            noise[s] = (float) (random.nextDouble() - 0.5) * 0.25f;
        }
        long frames = 0;
        long elapsed = 0;
        for (int pass = 0; pass < 2; pass++) {
            long start = System.nanoTime();
            int blocks = pass == 0 ? 5 * RATE / block : 10 * RATE / block;
            for (int b = 0; b < blocks; b++) {
                for (int i = 0; i < INSTANCES; i++) {
                    float[][] io = buffers[i];
                    int from = (b * block + i * 997) % RATE;
                    System.arraycopy(noise, from, io[0], 0, block);
                    System.arraycopy(noise, from + 1, io[1], 0, block - 1);
                }
                for (int place = 0; place < types.length; place++) {
                    for (int i = 0; i < INSTANCES; i++) {
                        if (!batch.rtOffer(chains[i][place], buffers[i])) {
                            chains[i][place].rtProcess(buffers[i], block, null);
                        }
                    }
                    batch.rtFlush(block);
                }
            }
            if (pass == 1) {
                elapsed = System.nanoTime() - start;
                frames = (long) blocks * block * INSTANCES;
            }
        }
        return (double) elapsed / frames;
    }
}
