package desk.engine.rt;

import desk.engine.LoopRange;
import desk.engine.RealTime;

/**
 * What the engine tells every node about the span being processed: where the span starts on the sample
 * clock and the interface's capture buffers with the offset of the span inside them.
 * <p>
 * Threads: owned and mutated by the audio thread only; sources read it there.
 */
public final class ProcessContext {
    /** Engine sample position of the first frame of the span. */
    long position;
    /** Capture buffers of the backend, one per port (may be empty). */
    float[][] capture = new float[0][];
    /** Offset of the span inside the backend's buffers. */
    int offset;
    /** The failure of a node during the span, for the engine to record; null when all went well. */
    Throwable failure;
    /** Whether the transport rolls during the span. */
    boolean rolling;
    /** Transport position of the first frame of the span. */
    long transportPosition;
    /** The loop range the transport goes round, or null; a span never crosses its end. */
    LoopRange loop;

    ProcessContext() {
    }

    /** Engine sample position of the first frame of the span. */
    @RealTime
    public long rtPosition() {
        return position;
    }
}
