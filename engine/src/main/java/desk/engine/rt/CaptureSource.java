package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.dsp.Kernels;

/**
 * The capture ports of the audio interface as a source: channel {@code c} is capture port {@code c} of the
 * backend, copied in with subnormal values flushed. Ports the backend does not have read as silence.
 * <p>
 * Threads: constructed on the control thread; rendered on the audio thread only.
 */
public final class CaptureSource extends Source {
    public CaptureSource(int id, int ports) {
        super(id, ports, Limits.MAX_BLOCK);
    }

    @Override
    @RealTime
    protected void rtRender(float[][] out, ProcessContext context, int length) {
        float[][] capture = context.capture;
        for (int c = 0; c < out.length; c++) {
            if (c < capture.length && capture[c] != null) {
                Kernels.rtCopyFlushingDenormals(capture[c], context.offset, out[c], length);
            } else {
                java.util.Arrays.fill(out[c], 0, length, 0f);
            }
        }
    }
}
