package desk.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine clock's measured rate: believed after two seconds, within 20 % of nominal, and only moving on. */
class EngineClockTest {
    private static final long HALF_SECOND = 500_000_000L;

    @Test
    void aClockRunningThreePercentSlowIsMeasuredOnceTwoSecondsAreSeen() {
        EngineClock clock = new EngineClock();
        for (int i = 0; i <= 3; i++) {
            clock.reading(i * HALF_SECOND, Math.round(i * 0.5 * 46_560));
        }
        assertFalse(clock.moving(48_000), "1.5 s seen");
        assertEquals(48_000, clock.samplesPerSecond(48_000));
        clock.reading(4 * HALF_SECOND, 2 * 46_560);
        assertTrue(clock.moving(48_000));
        assertEquals(46_560, clock.samplesPerSecond(48_000), 1e-6);
    }

    @Test
    void anEngineThatDoesNotMoveWithTheWallClockIsTakenAtItsNominalRate() {
        EngineClock offline = new EngineClock();
        for (int i = 0; i <= 10; i++) {
            offline.reading(i * HALF_SECOND, 0);
        }
        assertFalse(offline.moving(48_000));
        assertEquals(48_000, offline.samplesPerSecond(48_000));
        EngineClock rendering = new EngineClock();
        for (int i = 0; i <= 10; i++) {
            rendering.reading(i * HALF_SECOND, i * 1_000_000L);
        }
        assertEquals(48_000, rendering.samplesPerSecond(48_000), "a render far faster than real time");
    }

    @Test
    void aPositionThatGoesBackStartsTheMeasureAgain() {
        EngineClock clock = new EngineClock();
        for (int i = 0; i <= 4; i++) {
            clock.reading(i * HALF_SECOND, i * 24_000L);
        }
        assertTrue(clock.moving(48_000));
        clock.reading(5 * HALF_SECOND, 100);
        assertFalse(clock.moving(48_000), "a new engine starts again from its own position");
    }
}
