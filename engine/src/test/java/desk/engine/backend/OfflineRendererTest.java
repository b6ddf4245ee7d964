package desk.engine.backend;

import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.GeneratorSpec;
import desk.engine.StripKind;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An offline render lets the engine release what has faded out every 4,096 frames, as a live engine's control
 * loop does, so a strip removed before a long render stops costing once faded; the output is the same.
 */
class OfflineRendererTest {
    @Test
    void anOfflineRenderMaintainsTheEngineEvery4096FramesAndSoundsTheSame() throws Exception {
        Engine engine = session();
        AtomicInteger maintained = new AtomicInteger();
        AudioCallback counted = (AudioCallback) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AudioCallback.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("maintain")) {
                        maintained.incrementAndGet();
                    }
                    try {
                        return method.invoke(engine, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        float[][] maintainedRender = new OfflineRenderer(counted).renderToMemory(48_000, BlockSizes.random(3, 1, 700));

        assertTrue(maintained.get() >= 48_000 / (4096 + 700) && maintained.get() <= 48_000 / 4096,
                "once per 4,096 frames or so (blocks of up to 700): " + maintained.get());
        Engine unmaintained = session();
        float[][] plain = new float[2][48_000];
        for (int done = 0; done < 48_000; done += 1000) {
            float[][] block = {new float[1000], new float[1000]};
            unmaintained.renderOffline();
            unmaintained.rtProcess(new float[0][], block, 1000);
            System.arraycopy(block[0], 0, plain[0], done, 1000);
            System.arraycopy(block[1], 0, plain[1], done, 1000);
        }
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(plain[c], maintainedRender[c], "channel " + c + ": releasing changes no sample");
        }
        engine.close();
        unmaintained.close();
    }

    /** Two tracks of a sine, one of them removed before the render: it fades out in its first 10 ms. */
    private static Engine session() {
        Engine engine = new Engine(48_000, 0);
        engine.execute(new EngineCommand.CreateGenerator(2, GeneratorSpec.sine(1000, -12)));
        for (int track = 3; track <= 4; track++) {
            engine.execute(new EngineCommand.CreateStrip(track, StripKind.TRACK, 1));
            engine.execute(new EngineCommand.SetInput(track, 0, 2, 0));
        }
        engine.execute(new EngineCommand.RemoveStrip(4));
        return engine;
    }
}
