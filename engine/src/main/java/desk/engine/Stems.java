package desk.engine;

/**
 * The stems of an offline render ({@link Engine#tapStems}): for each strip asked for, what its output adds to
 * the bus it feeds (after its inserts, fader, pan and mute), or, taken before the fader, its own signal after
 * trim and inserts (on its own channels); block by block, with how many samples it runs ahead of the master's
 * output (the master's latency less the strip's), so that a writer can line it up with the master.
 * <p>
 * Threads: read between blocks on the thread that renders (in the render's sink).
 */
public interface Stems {
    /** Channels of stem {@code index}: those of the bus it feeds, or the strip's own before the fader. */
    int channels(int index);

    /** How many samples stem {@code index} runs ahead of the master's output. */
    int ahead(int index);

    /** Stem {@code index} of the block just rendered: {@link #frames} samples per channel from 0. */
    float[][] block(int index);

    /** Samples of the block rendered since the last {@link #rewind}. */
    int frames();

    /** Starts the next block. */
    void rewind();
}
