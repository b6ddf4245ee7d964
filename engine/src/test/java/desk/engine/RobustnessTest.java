package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.DummyBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine keeps playing through bad requests, bad buffers, repeated routing and backend restarts. */
class RobustnessTest {
    @Test
    void impulseTimesBeyondTheSampleClockAreRefused() {
        Rig rig = new Rig(48000);
        EngineException refused = assertThrows(EngineException.class,
                () -> rig.generator(GeneratorSpec.impulse(-6, 0, Limits.MAX_SAMPLE_TIME + 1)));
        assertEquals("impulse position 0 and interval " + (Limits.MAX_SAMPLE_TIME + 1) + ": must be 0.."
                + Limits.MAX_SAMPLE_TIME + " samples", refused.getMessage());
        int far = rig.generator(GeneratorSpec.impulse(-6, Limits.MAX_SAMPLE_TIME, Limits.MAX_SAMPLE_TIME));
        int track = rig.track(1);
        rig.feed(track, 1, far);
        rig.render(48000, BlockSizes.fixed(512));
        assertEquals(0, rig.engine.failures(), "the largest allowed times are computed without overflow");
    }

    @Test
    void routingAStripToWhereItAlreadyGoesChangesNothing() {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(100, -6)));
        rig.set(track, Parameter.PAN, -1);
        float[][] before = rig.render(4800, BlockSizes.fixed(480));
        rig.output(track, NodeIds.MASTER_ID);
        float[][] after = rig.render(4800, BlockSizes.fixed(480));
        for (float sample : after[0]) {
            assertEquals(Math.abs(before[0][0]), Math.abs(sample), 1e-6, "no dip when the output is set again");
        }
    }

    @Test
    void aFailureInsideABlockPlaysSilenceAndNeverEscapes() {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(1000, -6)));
        float[][] tooShort = {new float[64], new float[64]};
        rig.engine.rtProcess(new float[0][], tooShort, 128);
        assertEquals(1, rig.engine.failures(), "writing past the playback buffer is caught and counted");
        assertTrue(rig.engine.lastFailure() instanceof ArrayIndexOutOfBoundsException);
        float[][] fine = {new float[128], new float[128]};
        rig.engine.rtProcess(new float[0][], fine, 128);
        assertEquals(1, rig.engine.failures(), "the next block plays");
        assertTrue(Math.abs(fine[0][100]) > 0);
    }

    @Test
    void theDummyBackendStopsAndStartsAgain() throws InterruptedException {
        Engine engine = new Engine(48000, 0);
        DummyBackend backend = new DummyBackend(engine, 64);
        for (int round = 1; round <= 3; round++) {
            backend.start();
            long target = engine.position() + 64 * 10;
            while (engine.position() < target) {
                Thread.onSpinWait();
            }
            backend.close();
            long stoppedAt = engine.position();
            engine.execute(new EngineCommand.CreateStrip(NodeIds.FIRST_FREE_ID + round, StripKind.TRACK, 1));
            assertEquals(stoppedAt, engine.position(), "round " + round + ": closed means stopped");
        }
    }
}
