package desk.engine.fx;

import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

/**
 * Benchmark, run by hand (not a test): the cost of one instance of each time and dynamics insert on a
 * stereo strip at 48 kHz in 64-frame blocks, in nanoseconds per frame, on pink noise the limiter has to turn
 * down. Each processor is warmed up, then timed over several rounds; the best round is printed.
 */
public final class TimeFxBench {
    private static final int RATE = 48_000;
    private static final int BLOCK = 64;
    private static final int SECONDS = 10;
    private static final int ROUNDS = 5;

    private TimeFxBench() {
    }

    /** Prints one line per processor. */
    public static void main(String[] arguments) {
        float[][] noise = FxSignals.pinkNoise(2, RATE * SECONDS, 1, 1);
        Object[][] cases = {
            {Limiter.TYPE, new Object[]{"input_gain", 6}},
            {Delay.TYPE, new Object[]{"pingpong", 1}},
            {Reverb.TYPE, new Object[]{}},
            {Saturation.TYPE, new Object[]{"drive", 12}},
        };
        for (Object[] benchCase : cases) {
            ProcessorType type = (ProcessorType) benchCase[0];
            Processor processor = ProcessorRun.create(type, RATE, 2, (Object[]) benchCase[1]);
            double best = Double.MAX_VALUE;
            for (int round = -2; round < ROUNDS; round++) {
                double nanosPerFrame = run(processor, noise);
                if (round >= 0) {
                    best = Math.min(best, nanosPerFrame);
                }
            }
            System.out.printf("%-10s %7.1f ns per stereo frame (%.2f %% of one core at 48 kHz)%n", type.name(), best,
                    best * RATE / 1e7);
        }
    }

    private static double run(Processor processor, float[][] noise) {
        float[][] block = new float[2][BLOCK];
        int frames = noise[0].length / BLOCK * BLOCK;
        long start = System.nanoTime();
        for (int done = 0; done < frames; done += BLOCK) {
            System.arraycopy(noise[0], done, block[0], 0, BLOCK);
            System.arraycopy(noise[1], done, block[1], 0, BLOCK);
            processor.rtProcess(block, BLOCK, null);
        }
        return (double) (System.nanoTime() - start) / frames;
    }
}
