package desk.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Graph questions about routing, shared by the session model (which speaks names) and the engine (which
 * speaks ids). Pure functions; any thread.
 */
public final class Routing {
    private Routing() {
    }

    /**
     * The path by which {@code to} already reaches {@code from}, so that a new edge {@code from -> to}
     * would close a loop: the returned list starts with {@code from}, goes through {@code to} and ends
     * with {@code from} again. An empty list when the edge is safe. A node that feeds itself is a loop.
     */
    public static <N> List<N> loopThrough(N from, N to, Function<N, ? extends Collection<N>> feeds) {
        if (from.equals(to)) {
            return List.of(from, from);
        }
        Map<N, N> cameFrom = new HashMap<>();
        Deque<N> queue = new ArrayDeque<>();
        queue.add(to);
        cameFrom.put(to, to);
        while (!queue.isEmpty()) {
            N node = queue.poll();
            for (N next : feeds.apply(node)) {
                if (cameFrom.containsKey(next)) {
                    continue;
                }
                cameFrom.put(next, node);
                if (next.equals(from)) {
                    List<N> path = new ArrayList<>();
                    for (N step = from; !step.equals(to); step = cameFrom.get(step)) {
                        path.add(0, step);
                    }
                    path.add(0, to);
                    path.add(0, from);
                    return path;
                }
                queue.add(next);
            }
        }
        return List.of();
    }
}
