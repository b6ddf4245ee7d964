package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.insert.Processor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EQs run side by side in a batch give, channel for channel, the samples they give alone, bit for bit: mono
 * and stereo, every kind of section, four peaking bands or not, blocks of random length, and settings that
 * glide (an EQ gliding runs alone that block) while the others stay in the batch.
 */
class EqBatchTest {
    private static final String[] BANDS = {"b1_gain", "b2_gain", "b3_gain", "b4_gain"};

    @BeforeAll
    static void theVectorLoopsAreCompiled() throws InterruptedException {
        EqBatch.create();
        assertTrue(EqBatch.awaitTaking(60, TimeUnit.SECONDS),
                "the tests run with the vector API (--add-modules jdk.incubator.vector) and its loops compile");
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void eqsInABatchGiveTheSamplesEachGivesAlone(int rate) {
        SplittableRandom random = new SplittableRandom(rate);
        int count = 23;
        Processor[] alone = new Processor[count];
        Processor[] batched = new Processor[count];
        for (int e = 0; e < count; e++) {
            Object[] settings = settings(random, e);
            int channels = e % 3 == 0 ? 1 : 2;
            alone[e] = ProcessorRun.create(Eq.TYPE, rate, channels, settings);
            batched[e] = ProcessorRun.create(Eq.TYPE, rate, channels, settings);
        }
        EqBatch batch = EqBatch.create();
        long lanesBefore = EqBatch.lanesRun();
        float[][][] aloneBlocks = new float[count][][];
        float[][][] batchedBlocks = new float[count][][];
        for (int e = 0; e < count; e++) {
            aloneBlocks[e] = new float[((Eq) alone[e]).channels()][Limits.MAX_BLOCK];
            batchedBlocks[e] = new float[((Eq) alone[e]).channels()][Limits.MAX_BLOCK];
        }
        int taken = 0;
        for (int block = 0; block < 60; block++) {
            int frames = 1 + random.nextInt(random.nextBoolean() ? 128 : Limits.MAX_BLOCK);
            if (block % 7 == 3) {
                int e = random.nextInt(count);
                int index = Eq.TYPE.indexOf(BANDS[random.nextInt(BANDS.length)]);
                double gain = random.nextDouble(-12, 12);
                alone[e].rtSet(index, gain);
                batched[e].rtSet(index, gain);
            }
            for (int e = 0; e < count; e++) {
                for (int c = 0; c < aloneBlocks[e].length; c++) {
                    for (int i = 0; i < frames; i++) {
                        float x = (float) random.nextDouble(-0.5, 0.5);
                        aloneBlocks[e][c][i] = x;
                        batchedBlocks[e][c][i] = x;
                    }
                }
                alone[e].rtProcess(aloneBlocks[e], frames, null);
                if (batch.rtOffer(batched[e], batchedBlocks[e])) {
                    taken++;
                } else {
                    batched[e].rtProcess(batchedBlocks[e], frames, null);
                }
            }
            batch.rtFlush(frames);
            for (int e = 0; e < count; e++) {
                for (int c = 0; c < aloneBlocks[e].length; c++) {
                    float[] expected = java.util.Arrays.copyOf(aloneBlocks[e][c], frames);
                    float[] actual = java.util.Arrays.copyOf(batchedBlocks[e][c], frames);
                    assertArrayEquals(expected, actual, "EQ " + e + ", channel " + c + ", block " + block);
                }
            }
        }
        assertTrue(taken > 40 * count, "most EQs ran in the batch: " + taken + " of " + 60 * count);
        long lanes = EqBatch.lanesRun() - lanesBefore;
        assertTrue(lanes > 0, "the batch ran its vector loops");
        assertEquals(0, lanes % EqBatch.width(), "whole groups of lanes");
    }

    /** Settings of EQ {@code e}: every fourth has four peaking bands alone; the others mix in filters and shelves. */
    private static Object[] settings(SplittableRandom random, int e) {
        java.util.List<Object> settings = new java.util.ArrayList<>();
        for (int b = 1; b <= 4; b++) {
            settings.add("b" + b + "_freq");
            settings.add(Math.exp(random.nextDouble(Math.log(40), Math.log(16000))));
            settings.add("b" + b + "_gain");
            settings.add(random.nextDouble(-12, 12));
            settings.add("b" + b + "_q");
            settings.add(random.nextDouble(0.3, 8));
        }
        if (e % 4 != 0) {
            if (random.nextBoolean()) {
                settings.addAll(java.util.List.of("hpf", random.nextDouble(30, 200), "hpf_slope", random.nextInt(2)));
            }
            if (random.nextBoolean()) {
                settings.addAll(java.util.List.of("lpf", random.nextDouble(4000, 18000)));
            }
            if (random.nextBoolean()) {
                settings.addAll(java.util.List.of("low_gain", random.nextDouble(-6, 6), "high_gain",
                        random.nextDouble(-6, 6)));
            }
        }
        return settings.toArray();
    }
}
