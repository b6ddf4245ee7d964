package desk.engine.backend;

import java.util.SplittableRandom;

/**
 * The sequence of block sizes an offline render uses: one fixed size, or seeded random sizes within a range
 * (the same seed gives the same sequence). Threads: one thread at a time.
 */
public final class BlockSizes {
    private final int min;
    private final int max;
    private final SplittableRandom random;

    private BlockSizes(int min, int max, SplittableRandom random) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("block sizes " + min + ".." + max + ": must be 1 or more, min <= max");
        }
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /** Every block has {@code frames} frames. */
    public static BlockSizes fixed(int frames) {
        return new BlockSizes(frames, frames, null);
    }

    /** Blocks of random sizes from {@code min} to {@code max} frames, drawn from {@code seed}. */
    public static BlockSizes random(long seed, int min, int max) {
        return new BlockSizes(min, max, new SplittableRandom(seed));
    }

    /** The largest block this sequence gives. */
    public int max() {
        return max;
    }

    /** The size of the next block. */
    public int next() {
        return random == null ? min : random.nextInt(min, max + 1);
    }

    @Override
    public String toString() {
        return random == null ? Integer.toString(min) : "random " + min + ".." + max;
    }
}
