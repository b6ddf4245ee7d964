package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.dsp.Kernels;

/**
 * The capture ports of the audio interface as a source: channel {@code c} is capture port {@code c} of the
 * backend, copied in with subnormal values flushed. A channel gets its buffer when a track first takes it
 * ({@link #open}), so an interface with thousands of ports costs memory and time only for the ports in use;
 * ports the backend does not have read as silence.
 * <p>
 * Threads: constructed and {@link #open opened} on the control thread, before the plan or command that
 * makes a strip read the channel is published; rendered on the audio thread only.
 */
public final class CaptureSource extends Source {
    private final float[][] channels;
    /** One past the highest channel opened: the span renders channels below it. */
    private volatile int opened;

    public CaptureSource(int id, int ports) {
        this(id, new float[ports][]);
    }

    private CaptureSource(int id, float[][] channels) {
        super(id, channels);
        this.channels = channels;
    }

    /** Gives channel {@code channel} its buffer, if it has none yet, so the span renders it. Control thread. */
    public void open(int channel) {
        if (channels[channel] == null) {
            channels[channel] = new float[Limits.MAX_BLOCK];
            opened = Math.max(opened, channel + 1);
        }
    }

    @Override
    @RealTime
    int rtRenderedChannels() {
        return opened;
    }

    @Override
    @RealTime
    protected void rtRender(float[][] out, ProcessContext context, int length) {
        float[][] capture = context.capture;
        int count = opened;
        for (int c = 0; c < count; c++) {
            float[] channel = out[c];
            if (channel == null) {
                continue;
            }
            if (c < capture.length && capture[c] != null) {
                Kernels.rtCopyFlushingDenormals(capture[c], context.offset, channel, length);
            } else {
                java.util.Arrays.fill(channel, 0, length, 0f);
            }
        }
    }
}
