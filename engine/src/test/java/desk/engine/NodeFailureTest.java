package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.rt.ProcessContext;
import desk.engine.rt.Source;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node that throws inside DSP is bypassed; the rest of the mix plays on and the failure is recorded once. */
class NodeFailureTest {
    /** A source that fails on its third block, as a faulty plug-in or file reader might. */
    private static final class FailingSource extends Source {
        private int blocks;

        FailingSource(int id) {
            super(id, 1, Limits.MAX_BLOCK);
        }

        @Override
        protected void rtRender(float[][] out, ProcessContext context, int length) {
            if (++blocks == 3) {
                throw new IllegalStateException("source broke");
            }
            java.util.Arrays.fill(out[0], 0, length, 0.5f);
        }
    }

    @Test
    void aFailingSourceIsBypassedAndTheOtherTracksPlayOn() throws Exception {
        Engine engine = new Engine(48000, 0);
        engine.execute(new EngineCommand.CreateStrip(2, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.CreateStrip(3, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.CreateGenerator(4, GeneratorSpec.square(100, -6)));
        engine.execute(new EngineCommand.SetInput(2, 0, 4, 0));
        insert(engine, new FailingSource(5));
        engine.execute(new EngineCommand.SetInput(3, 0, 5, 0));
        engine.execute(new EngineCommand.SetParameter(3, Parameter.PAN, 1));
        engine.execute(new EngineCommand.SetParameter(2, Parameter.PAN, -1));

        float[][] master = new OfflineRenderer(engine).renderToMemory(64 * 10, BlockSizes.fixed(64));
        assertEquals(1, engine.failures(), "the failure is recorded once; the bypassed source is not run again");
        assertEquals("source broke", engine.lastFailure().getMessage());
        assertTrue(Math.abs(master[1][64 + 10]) > 0.4, "the failing source played before it failed");
        for (int i = 64 * 2; i < master[1].length; i++) {
            assertEquals(0f, master[1][i], "the failed source reads as silence from its failing block on: frame " + i);
        }
        float loudest = 0;
        for (int i = 64 * 2; i < master[0].length; i++) {
            loudest = Math.max(loudest, Math.abs(master[0][i]));
        }
        assertEquals(0.5, loudest, 0.01, "the other track plays on, unbroken");
    }

    /** Adds a source the commands cannot make, and has the engine compile a plan with it. */
    @SuppressWarnings("unchecked")
    private static void insert(Engine engine, Source source) throws ReflectiveOperationException {
        Object mixer = field(Engine.class, "mixer").get(engine);
        Object model = field(mixer.getClass(), "model").get(mixer);
        synchronized (engine) {
            ((Map<Integer, Source>) field(model.getClass(), "sources").get(model)).put(source.id(), source);
        }
        engine.execute(new EngineCommand.CreateGenerator(source.id() + 100, GeneratorSpec.silence()));
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
