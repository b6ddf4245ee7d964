package desk.session;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/**
 * Functions scheduled on transport time: once at a position, or repeatedly on a grid. The control loop asks
 * for the tasks due before a horizon a little ahead of the audio; each runs ahead of its time, and the
 * session stamps every change it makes with the task's exact sample, so the change lands on that sample.
 * Repeating tasks fire on an exact grid (times rounded from exact multiples of the interval, so they never
 * drift). Tasks fire only while the transport rolls.
 * <p>
 * Threads: the session's control thread.
 */
public final class Scheduler {
    /** A scheduled function; {@link #cancel()} stops it. */
    public static final class Task {
        private final long sequence;
        private final double origin;
        private final double interval;
        private final Runnable action;
        private final String description;
        /** How many samples earlier than the others it runs: its changes, stamped, still land on its time. */
        private final long lead;
        private long count;
        private long gridStep;
        private long time;
        private boolean cancelled;

        private Task(long sequence, double origin, double interval, long lead, Runnable action, String description) {
            this.sequence = sequence;
            this.origin = origin;
            this.interval = interval;
            this.lead = lead;
            this.action = action;
            this.description = description;
            this.time = Math.round(origin);
        }

        /** The horizon past which it is due. */
        private long due() {
            return time - lead;
        }

        /** Cancels the task: it will not run again. Cancelling twice is harmless. */
        public void cancel() {
            cancelled = true;
        }

        /** True once cancelled, or once a one-off task has run. */
        public boolean done() {
            return cancelled || (interval == 0 && count > 0);
        }

        /** The transport sample at which it runs next. */
        public long next() {
            return time;
        }

        /** How many times it has run. */
        public long count() {
            return count;
        }

        @Override
        public String toString() {
            return "Task " + description + (done() ? " (done)" : " next at sample " + time) + ", run " + count
                    + " time" + (count == 1 ? "" : "s");
        }

        /** As {@link #toString}, with its next time in transport seconds at {@code sampleRate}, as scripts give it. */
        public String describe(double sampleRate) {
            return "Task " + description + (done() ? " (done)" : ", next at " + seconds(time, sampleRate) + " s")
                    + ", run " + count + " time"
                    + (count == 1 ? "" : "s");
        }
    }

    /** Transport sample {@code sample} in seconds at {@code sampleRate}, to the millisecond, as users read it. */
    public static String seconds(long sample, double sampleRate) {
        return desk.engine.Parameter.format(Math.round(sample / sampleRate * 1000) / 1000.0);
    }

    private final CallbackBudget budget;
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.due() != b.due()
            ? Long.compare(a.due(), b.due()) : Long.compare(a.sequence, b.sequence));
    private long sequence;

    /** A scheduler whose tasks run within {@code budget}. */
    public Scheduler(CallbackBudget budget) {
        this.budget = budget;
    }

    /** Runs {@code action} once at transport sample {@code time} (rounded from an exact value). */
    public Task at(double time, Runnable action, String description) {
        return at(time, 0, action, description);
    }

    /**
     * Runs {@code action} once at transport sample {@code time}, up to {@code lead} samples earlier than the
     * other tasks' look-ahead: for changes that take the engines a while to prepare (a take's files on every
     * node), which still land on {@code time}. The transport must not jump between the two: give no lead with
     * a loop that could take it back.
     */
    public Task at(double time, long lead, Runnable action, String description) {
        return add(new Task(sequence++, time, 0, lead, action, description));
    }

    /** Runs {@code action} at {@code first} and then every {@code interval} samples (exact, above 0). */
    public Task every(double first, double interval, Runnable action, String description) {
        return add(new Task(sequence++, first, interval, 0, action, description));
    }

    /** The tasks still waiting that have never run, earliest first: what the transport never reached. */
    public java.util.List<Task> neverRun() {
        return queue.stream().filter(task -> !task.cancelled && task.count == 0)
                .sorted(queue.comparator()).toList();
    }

    /** True when no task waits to run. */
    public boolean isEmpty() {
        queue.removeIf(task -> task.cancelled);
        return queue.isEmpty();
    }

    /**
     * Runs the earliest task if it is due before transport sample {@code horizon}, handing it its sample
     * through {@code stamp} first (the session stamps the task's changes with it) and calling {@code unstamp}
     * after. Returns false when nothing was due. A task that fails (or overruns the callback budget) is
     * cancelled and its {@link CallbackFailure} rethrown; the other tasks stay scheduled.
     */
    public boolean runNext(long horizon, LongConsumer stamp, Runnable unstamp) {
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        if (queue.isEmpty() || queue.peek().due() >= horizon) {
            return false;
        }
        Task task = queue.poll();
        stamp.accept(task.time);
        try {
            task.count++;
            budget.run(task.description, task.action);
        } catch (RuntimeException failure) {
            task.cancel();
            throw failure;
        } finally {
            unstamp.run();
        }
        if (task.interval > 0 && !task.cancelled) {
            task.gridStep++;
            task.time = Math.round(task.origin + task.gridStep * task.interval);
            queue.add(task);
        }
        return true;
    }

    /**
     * The transport moved to {@code position}: one-off tasks before it are dropped, repeating ones move to
     * their first grid time at or after it (the grid runs both ways from a task's first time, so a jump back
     * round a loop finds the grid times before it).
     */
    public void locate(long position) {
        List<Task> tasks = new ArrayList<>(queue);
        queue.clear();
        for (Task task : tasks) {
            if (task.cancelled) {
                continue;
            }
            if (task.interval > 0) {
                long steps = (long) Math.ceil((position - task.origin) / task.interval - 1e-9);
                task.time = Math.round(task.origin + steps * task.interval);
                task.gridStep = steps;
                queue.add(task);
            } else if (task.time >= position) {
                queue.add(task);
            }
        }
    }

    /**
     * Goes on after a reconnection with the transport at {@code position}, which may be a little before the
     * last time a function ran (the engine that was lost had not reached it): functions already run are not
     * run again; a repeating function due before {@code position} moves on to its next time from there, and a
     * one-off one due before it is dropped, as on a locate.
     */
    public void resume(long position) {
        List<Task> tasks = new ArrayList<>(queue);
        queue.clear();
        for (Task task : tasks) {
            if (task.cancelled) {
                continue;
            }
            if (task.time >= position) {
                queue.add(task);
            } else if (task.interval > 0) {
                long steps = (long) Math.ceil((position - task.origin) / task.interval - 1e-9);
                task.time = Math.round(task.origin + steps * task.interval);
                task.gridStep = steps;
                queue.add(task);
            }
        }
    }

    private Task add(Task task) {
        queue.add(task);
        return task;
    }
}
