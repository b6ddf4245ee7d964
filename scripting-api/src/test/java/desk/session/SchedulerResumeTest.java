package desk.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * After a reconnection the transport may resume a little before the last function that ran (the lost engine
 * had not reached it): resuming runs nothing twice, where a locate to the same place goes back to the grid.
 */
class SchedulerResumeTest {
    @Test
    void aResumeBeforeTheLastRunTimeRunsNothingTwiceWhereALocateWould() {
        for (boolean resume : new boolean[]{true, false}) {
            Scheduler scheduler = new Scheduler(new CallbackBudget());
            List<Long> ran = new ArrayList<>();
            long[] now = new long[1];
            Scheduler.Task beat = scheduler.every(0, 1000, () -> ran.add(now[0]), "beat");
            while (scheduler.runNext(3001, time -> now[0] = time, () -> { })) {
                continue;
            }
            assertEquals(List.of(0L, 1000L, 2000L, 3000L), ran);
            if (resume) {
                scheduler.resume(2950);
            } else {
                scheduler.locate(2950);
            }
            assertEquals(resume ? 4000 : 3000, beat.next(), resume ? "resume: the beat at 3000 already ran"
                    : "locate: the grid from where the transport is");
            ran.clear();
            while (scheduler.runNext(5001, time -> now[0] = time, () -> { })) {
                continue;
            }
            assertEquals(resume ? List.of(4000L, 5000L) : List.of(3000L, 4000L, 5000L), ran);
        }
    }

    @Test
    void aResumeAfterMissedTimesMovesOnToTheNextGridTime() {
        Scheduler scheduler = new Scheduler(new CallbackBudget());
        Scheduler.Task beat = scheduler.every(0, 1000, () -> { }, "beat");
        Scheduler.Task once = scheduler.at(500, () -> { }, "once");
        scheduler.resume(2500);
        assertEquals(3000, beat.next());
        assertEquals(false, scheduler.runNext(2999, t -> { }, () -> { }), "nothing due before the next beat");
        assertEquals(true, scheduler.runNext(3001, t -> { }, () -> { }));
        assertEquals(0, once.count(), "the one-off due before the resume point was dropped, not run late");
        assertEquals(false, scheduler.runNext(3001, t -> { }, () -> { }));
    }
}
