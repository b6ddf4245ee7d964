package desk.session;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The texts of the lanes a session file is about to write, made in file order on the common pool's threads
 * while the writer writes what comes before them; the writer, when it reaches a lane whose text is not made
 * yet, makes the next ones itself rather than wait. So formatting numbers and writing bytes overlap, and
 * every core formats.
 * <p>
 * Threads: made and awaited by the writing thread; the pool's threads make texts.
 */
final class LaneTexts {
    private final List<Map.Entry<LanePoints, Integer>> lanes;
    private final Map<LanePoints, Integer> places = new IdentityHashMap<>();
    private final CompletableFuture<?>[] made;
    private final AtomicInteger next = new AtomicInteger();

    /** Starts making the texts of {@code lanes} (each with the indentation it is written at), in this order. */
    LaneTexts(List<Map.Entry<LanePoints, Integer>> lanes) {
        this.lanes = lanes;
        this.made = new CompletableFuture<?>[lanes.size()];
        for (int i = 0; i < made.length; i++) {
            made[i] = new CompletableFuture<>();
            places.putIfAbsent(lanes.get(i).getKey(), i);
        }
        int helpers = Math.min(ForkJoinPool.getCommonPoolParallelism(), made.length - 1);
        for (int i = 0; i < helpers; i++) {
            ForkJoinPool.commonPool().execute(this::makeAll);
        }
    }

    /** Returns once the text of {@code points} is made, if it is one of these lanes, making texts meanwhile. */
    void await(LanePoints points) {
        Integer place = places.get(points);
        if (place == null) {
            return;
        }
        while (!made[place].isDone() && makeNext()) {
            // The lanes before it, and then it, are being made or were made by this thread.
        }
        try {
            made[place].join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private void makeAll() {
        while (makeNext()) {
            // Each turn makes one lane's text.
        }
    }

    /** Makes the text of the next lane nobody has taken; false when none is left. */
    private boolean makeNext() {
        int i = next.getAndIncrement();
        if (i >= made.length) {
            return false;
        }
        try {
            lanes.get(i).getKey().json(lanes.get(i).getValue());
            made[i].complete(null);
        } catch (RuntimeException | Error e) {
            made[i].completeExceptionally(e);
        }
        return true;
    }
}
