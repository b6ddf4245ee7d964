package desk.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * A session's meter watches: made by {@code meter.when(...)}, polled by the control loop, each calling back
 * when its reading crosses its threshold, within the session's callback budget.
 * <p>
 * Threads: the session's control (script) thread.
 */
final class MeterWatches {
    private final CallbackBudget budget;
    private final List<MeterWatch> watches = new ArrayList<>();

    MeterWatches(CallbackBudget budget) {
        this.budget = budget;
    }

    /**
     * Invokes callbacks for crossings since the last poll. Each watch compares the latest reading with the one
     * its previous poll saw. Every due callback runs; one that throws or overruns the callback budget is
     * cancelled, and the first failure is rethrown afterwards (with the others suppressed).
     */
    void poll() {
        watches.removeIf(watch -> !watch.active());
        Map<String, MeterSnapshot> read = new HashMap<>();
        RuntimeException failure = null;
        for (MeterWatch watch : List.copyOf(watches)) {
            if (!watch.active()) {
                continue;
            }
            MeterSnapshot snapshot = read.computeIfAbsent(watch.strip().id + "/" + watch.point(),
                    key -> watch.strip().snapshot(watch.point()));
            double value = snapshot.value(watch.quantity());
            if (watch.crossed(value)) {
                try {
                    budget.run(watch.toString(), () -> watch.fire(value));
                } catch (RuntimeException e) {
                    watch.cancel();
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The watches that are active, in the order they were made. */
    List<MeterWatch> active() {
        return watches.stream().filter(MeterWatch::active).toList();
    }

    /**
     * A new watch of {@code meter}'s {@code quantity}, calling {@code callback} when it rises above (or falls
     * below) {@code threshold}; refused when the strip does not measure that quantity there.
     */
    MeterWatch add(MeterSnapshot meter, MeterQuantity quantity, double threshold, boolean above,
                   DoubleConsumer callback) {
        Strip strip = meter.strip();
        strip.checkLive();
        String label = meter.label() + ".when(\"" + quantity.scriptName() + "\")";
        if (quantity.needsLoudness() && strip.loudnessPoint() != meter.point()) {
            throw new DeskException(label + ": " + strip.name() + " measures loudness "
                    + (strip.loudnessPoint() == null ? "nowhere" : "at " + Strip.pointName(strip.loudnessPoint()))
                    + "; set " + strip.name() + ".loudness = \"" + Strip.pointName(meter.point()) + "\" first");
        }
        if (Double.isNaN(threshold)) {
            throw new DeskException(label + " threshold NaN: must be a number");
        }
        MeterWatch watch = new MeterWatch(strip, meter.point(), quantity, threshold, above, callback);
        watches.add(watch);
        return watch;
    }
}
