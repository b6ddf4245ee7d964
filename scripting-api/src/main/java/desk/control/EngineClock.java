package desk.control;

/**
 * How fast the engine's sample clock runs against the wall clock, for placing time-tagged OSC bundles: the
 * engine's position read every half second over the last ten seconds. A sound card's clock is off by a few
 * parts per million, but JACK's dummy driver, or a card whose clock drifts, can run percents slow; a bundle
 * tagged two seconds ahead is placed by the rate measured, not the nominal one. Until two seconds have been
 * measured, or when the measure is implausible (offline, where the position moves only as the render goes,
 * or after a jump), the nominal rate serves.
 * <p>
 * Threads: the session's control thread.
 */
final class EngineClock {
    /** How many readings are kept: ten seconds at two a second. */
    static final int READINGS = 21;
    /** The least span measured before the measure is used, ns. */
    static final long LEAST_SPAN_NANOS = 2_000_000_000L;
    /** How far from nominal a measured rate may be and still be believed. */
    static final double PLAUSIBLE = 0.2;

    private final long[] nanos = new long[READINGS];
    private final long[] positions = new long[READINGS];
    private int count;
    private int next;

    /** Notes that the engine was at {@code position} at {@code now} (System.nanoTime). */
    void reading(long now, long position) {
        if (count > 0) {
            int last = (next - 1 + READINGS) % READINGS;
            if (position < positions[last] || now <= nanos[last]) {
                count = 0;
            }
        }
        nanos[next] = now;
        positions[next] = position;
        next = (next + 1) % READINGS;
        count = Math.min(count + 1, READINGS);
    }

    /**
     * True when the engine has been seen moving with the wall clock, within {@value #PLAUSIBLE} of
     * {@code nominal} samples a second, for at least two seconds: it plays live.
     */
    boolean moving(double nominal) {
        if (count < 2) {
            return false;
        }
        int newest = (next - 1 + READINGS) % READINGS;
        int oldest = (next - count + READINGS) % READINGS;
        long span = nanos[newest] - nanos[oldest];
        return span >= LEAST_SPAN_NANOS && Math.abs(rate(newest, oldest, span) / nominal - 1) <= PLAUSIBLE;
    }

    /** Engine samples per wall-clock second: measured while {@link #moving}, else {@code nominal}. */
    double samplesPerSecond(double nominal) {
        if (!moving(nominal)) {
            return nominal;
        }
        int newest = (next - 1 + READINGS) % READINGS;
        int oldest = (next - count + READINGS) % READINGS;
        return rate(newest, oldest, nanos[newest] - nanos[oldest]);
    }

    private double rate(int newest, int oldest, long span) {
        return (positions[newest] - positions[oldest]) * 1e9 / span;
    }
}
