package desk.engine.control;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Solo in place: works out which strips are soloed, fed by a soloed strip, or feed one, and from those
 * flags whether a path sounds. The flags change only with solo settings and routing; a change of routing
 * marks them stale until the next full refresh of the gains.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class SoloResolver {
    private final MixerModel model;
    private boolean anySoloed;
    private boolean stale = true;

    SoloResolver(MixerModel model) {
        this.model = model;
    }

    /** Whether the routing changed after the flags were last worked out. */
    boolean stale() {
        return stale;
    }

    /** Marks the flags out of date: the routing changed. */
    void markStale() {
        stale = true;
    }

    /** Works the solo flags of every strip out again. */
    void update() {
        Set<Integer> soloed = new HashSet<>();
        for (StripState entry : model.strips.values()) {
            if (entry.solo && entry != model.master && entry.removingUntil < 0) {
                soloed.add(entry.id());
            }
        }
        Map<Integer, List<Integer>> feeds = model.feedsAll();
        Map<Integer, List<Integer>> fedBy = model.fedByAll();
        Set<Integer> downstream = reachable(soloed, id -> feeds.getOrDefault(id, List.of()));
        Set<Integer> upstream = reachable(soloed, id -> fedBy.getOrDefault(id, List.of()));
        for (StripState entry : model.strips.values()) {
            int id = entry.id();
            entry.soloed = soloed.contains(id);
            entry.fedBySolo = downstream.contains(id);
            entry.feedsSolo = upstream.contains(id);
        }
        anySoloed = !soloed.isEmpty();
        stale = false;
    }

    /**
     * Whether a path from {@code from} into {@code to} sounds. Mute closes it. While anything is soloed, it
     * stays open if {@code from} is soloed, fed by a soloed strip, solo-safe or the master, or if it leads
     * into a soloed strip or towards one (other than through the master); otherwise it is muted by solo.
     */
    boolean passes(StripState from, StripState to) {
        if (from.mute) {
            return false;
        }
        if (!anySoloed) {
            return true;
        }
        if (from.soloed || from.fedBySolo || from.soloSafe || from == model.master) {
            return true;
        }
        return to != model.master && (to.soloed || to.feedsSolo);
    }

    private static Set<Integer> reachable(Set<Integer> start, IntFunction<List<Integer>> next) {
        Set<Integer> seen = new HashSet<>();
        Deque<Integer> queue = new ArrayDeque<>(start);
        while (!queue.isEmpty()) {
            for (int n : next.apply(queue.poll())) {
                if (seen.add(n)) {
                    queue.add(n);
                }
            }
        }
        return seen;
    }
}
