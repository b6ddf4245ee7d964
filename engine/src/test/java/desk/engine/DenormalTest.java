package desk.engine;

import desk.engine.dsp.Kernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Subnormal numbers never enter the engine: they are flushed where external audio comes in. */
class DenormalTest {
    @Test
    void captureInputFlushesSubnormalsAndKeepsNormalValues() {
        Engine engine = new Engine(48000, 1);
        engine.execute(new EngineCommand.CreateStrip(2, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.SetInput(2, 0, NodeIds.CAPTURE_ID, 0));
        engine.execute(new EngineCommand.SetParameter(2, Parameter.PAN, -1));
        float[] in = {Float.MIN_VALUE, -Float.MIN_NORMAL / 2, 1e-30f, 0.25f, -1e-10f};
        float[][] out = new float[2][in.length];
        engine.rtProcess(new float[][]{in}, out, in.length);
        assertEquals(0f, out[0][0], "smallest subnormal flushed");
        assertEquals(0f, out[0][1], "negative subnormal flushed");
        assertEquals(0f, out[0][2], "1e-30 (below -300 dBFS) flushed");
        assertEquals(0.25f, out[0][3], "normal values pass unchanged");
        assertEquals(-1e-10f, out[0][4], 1e-17, "-200 dBFS passes");
    }

    @Test
    void flushKernelLeavesAudibleValuesBitExact() {
        float[] in = new float[1000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) Math.sin(i) * (float) Math.pow(10, -i % 12);
        }
        float[] out = new float[in.length];
        Kernels.rtCopyFlushingDenormals(in, 0, out, in.length);
        for (int i = 0; i < in.length; i++) {
            if (Math.abs(in[i]) > 1e-10f) {
                assertEquals(in[i], out[i], "sample " + i);
            }
        }
    }
}
