package desk.session;

import desk.engine.meter.MeterPoint;

import java.util.Locale;
import java.util.function.DoubleConsumer;

/**
 * A watch on one reading of a strip's meter: calls its callback with the reading when the reading crosses
 * the threshold in the watched direction (the edge, not every poll while past it). A watch starts outside
 * its condition, so a reading already past the threshold fires at the first poll. Readings the point does
 * not measure (loudness elsewhere) and removed strips change nothing.
 * <p>
 * Threads: the session's control thread (see {@link Session#pollMeterWatches()}).
 */
public final class MeterWatch {
    private final Strip strip;
    private final MeterPoint point;
    private final MeterQuantity quantity;
    private final double threshold;
    private final boolean above;
    private final DoubleConsumer callback;
    private boolean past;
    private boolean active = true;

    MeterWatch(Strip strip, MeterPoint point, MeterQuantity quantity, double threshold, boolean above,
               DoubleConsumer callback) {
        this.strip = strip;
        this.point = point;
        this.quantity = quantity;
        this.threshold = threshold;
        this.above = above;
        this.callback = callback;
    }

    /** Stops the watch; its callback is not called again. */
    public void cancel() {
        active = false;
    }

    /** True until cancelled or its strip is removed. */
    public boolean active() {
        return active && !strip.removed;
    }

    Strip strip() {
        return strip;
    }

    MeterPoint point() {
        return point;
    }

    /**
     * Takes the latest reading; returns true when it has just crossed into the condition. NaN (not
     * measured) leaves the state as it was.
     */
    boolean crossed(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        boolean now = above ? value > threshold : value < threshold;
        boolean crossed = now && !past;
        past = now;
        return crossed;
    }

    void fire(double value) {
        callback.accept(value);
    }

    MeterQuantity quantity() {
        return quantity;
    }

    @Override
    public String toString() {
        return "Watch " + strip.name() + ".meter" + MeterSnapshot.pointSuffix(point) + "." + quantity.scriptName()
                + (above ? " above " : " below ") + String.format(Locale.ROOT, "%s", desk.engine.Parameter.format(threshold))
                + " " + quantity.unit() + (active() ? "" : " (cancelled)");
    }
}
