package desk.engine.rt;

import desk.engine.GeneratorSpec;
import desk.engine.Limits;

import java.util.Arrays;

/** Renders a generator on its own, span by span as the engine does, for tests to compare the engine's output with. */
public final class GeneratorRender {
    private GeneratorRender() {
    }

    /**
     * What generator {@code spec}, run from engine sample 0 as in the engine, produces over engine samples
     * {@code [from, from + frames)}.
     */
    public static float[] expected(GeneratorSpec spec, int sampleRate, long from, int frames) {
        Generator generator = new Generator(99, spec, sampleRate);
        ProcessContext context = new ProcessContext();
        int total = (int) from + frames;
        float[] out = new float[total];
        int done = 0;
        while (done < total) {
            int span = Math.min(Limits.MAX_BLOCK, total - done);
            context.position = done;
            generator.rtRender(context, span);
            System.arraycopy(generator.rtChannel(0), 0, out, done, span);
            done += span;
        }
        return Arrays.copyOfRange(out, (int) from, total);
    }
}
