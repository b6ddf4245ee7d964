package desk.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A task given a lead (a punch point, whose takes take the engines a while to prepare) runs that much earlier
 * than the others' look-ahead, in order of when it falls due, and is still stamped with its own time.
 */
class SchedulerLeadTest {
    @Test
    void aTaskWithALeadRunsEarlyStampedWithItsOwnTime() {
        Scheduler scheduler = new Scheduler(new CallbackBudget());
        List<String> ran = new ArrayList<>();
        long[] stamp = new long[1];
        scheduler.every(0, 1000, () -> ran.add("beat " + stamp[0]), "beat");
        Scheduler.Task punch = scheduler.at(10_000, 2_500, () -> ran.add("punch " + stamp[0]), "punch in");
        Scheduler.Task plain = scheduler.at(10_000, () -> ran.add("plain " + stamp[0]), "plain");

        while (scheduler.runNext(7_600, time -> stamp[0] = time, () -> { })) {
            continue;
        }

        assertEquals(List.of("beat 0", "beat 1000", "beat 2000", "beat 3000", "beat 4000", "beat 5000", "beat 6000",
                "beat 7000", "punch 10000"), ran, "due at 7500, after the beat due at 7000 and before the next");
        assertEquals(1, punch.count());
        assertEquals(0, plain.count(), "the same time without a lead waits for its look-ahead");
    }
}
