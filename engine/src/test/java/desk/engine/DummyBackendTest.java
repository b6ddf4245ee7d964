package desk.engine;

import desk.engine.backend.DummyBackend;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dummy backend runs the engine on its own clocked thread and stops cleanly. */
class DummyBackendTest {
    @Test
    void processesPeriodsOnItsOwnThreadUntilClosed() throws Exception {
        Engine engine = new Engine(48000, 0);
        engine.execute(new EngineCommand.CreateStrip(2, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.CreateGenerator(3, GeneratorSpec.sine(1000, -20)));
        engine.execute(new EngineCommand.SetInput(2, 0, 3, 0));
        DummyBackend backend = new DummyBackend(engine, 128);
        long start = System.nanoTime();
        backend.start();
        long target = 48000 / 4;
        while (engine.position() < target) {
            Thread.onSpinWait();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "the clock thread is running");
        }
        engine.execute(new EngineCommand.SetParameter(2, Parameter.FADER, -6));
        backend.close();
        long elapsed = System.nanoTime() - start;
        long frames = engine.position();
        assertEquals(0, frames % 128, "whole periods only");
        assertEquals(frames / 128, backend.periods());
        assertTrue(frames <= 48000.0 * elapsed / 1e9 + 2 * 128, "never ahead of the wall clock: " + frames + " frames in "
                + elapsed / 1e6 + " ms");
        assertEquals(frames, engine.position(), "stopped: the position stands still");
        assertEquals(0, engine.failures());
    }
}
