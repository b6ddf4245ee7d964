package desk.engine.insert;

import desk.engine.RealTime;

/**
 * Runs the processors of several strips together: while a span is processed, each strip offers the
 * processors it is about to run, in the order of its chain; those the batch takes run at {@link #rtFlush},
 * side by side, before any of those strips' next inserts. A batch gives every processor the samples it would
 * give alone.
 * <p>
 * Threads: made on the control thread; {@code rt} methods on the audio thread only.
 */
public interface ProcessorBatch {
    /** A batch that takes nothing: every processor runs on its own. */
    ProcessorBatch NONE = new ProcessorBatch() {
        @Override
        public boolean rtOffer(Processor processor, float[][] io) {
            return false;
        }

        @Override
        public void rtFlush(int frames) {
        }
    };

    /**
     * Takes {@code processor} to run in place over {@code io} at the next {@link #rtFlush}; false if it does not
     * (the strip then runs it now).
     */
    @RealTime
    boolean rtOffer(Processor processor, float[][] io);

    /** Runs every processor taken since the last flush over its first {@code frames} frames. */
    @RealTime
    void rtFlush(int frames);
}
