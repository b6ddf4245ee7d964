package desk.engine;

/**
 * A loop range on the transport, in samples: from {@code start} (the first sample of a pass) to {@code end}
 * (the first sample after it). A rolling transport that reaches {@code end} from before it is at {@code start}
 * on that very sample; a transport already at or past {@code end} rolls on. Immutable; any thread.
 *
 * @param start the first sample of a pass, 0 or more
 * @param end   the sample the transport jumps back from, after {@code start}
 */
public record LoopRange(long start, long end) {
    /** Checks the range: 0 &lt;= start &lt; end. */
    public LoopRange {
        if (start < 0 || end <= start) {
            throw new EngineException("loop range " + start + ".." + end + " samples: the start must be 0 or more"
                    + " and the end after it");
        }
    }

    /** Samples in one pass. */
    @RealTime
    public long length() {
        return end - start;
    }

    /** Where a transport at {@code position} is {@code frames} (0 or more) samples of rolling later. */
    @RealTime
    public long advance(long position, long frames) {
        if (position >= end || position + frames < end) {
            return position + frames;
        }
        return start + (position + frames - end) % length();
    }

    /**
     * Samples a transport at {@code from} rolls until it is at {@code to} for the first time, going round the
     * loop; -1 if it never gets there (behind it with no loop to bring it back, or past the end while inside).
     */
    @RealTime
    public long distance(long from, long to) {
        if (from >= end) {
            return to >= from ? to - from : -1;
        }
        if (to >= from && to < end) {
            return to - from;
        }
        if (to >= start && to < from) {
            return end - from + to - start;
        }
        return -1;
    }
}
