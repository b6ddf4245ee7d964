package desk.engine.record;

import desk.engine.RealTime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer ring of interleaved audio frames: the audio thread writes the
 * frames of a take, the disk thread reads them. Nothing is allocated after construction; neither side waits.
 * <p>
 * Threads: {@code rt} methods by the one producer (the audio thread); {@link #read} by the one consumer;
 * {@link #frames()} and {@link #capacity()} on any thread.
 */
public final class SampleRing {
    private final int channels;
    private final int capacity;
    private final float[] data;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong read = new AtomicLong();

    /** A ring of {@code capacity} frames of {@code channels} channels. */
    public SampleRing(int channels, int capacity) {
        if (channels < 1 || capacity < 1 || (long) channels * capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ring of " + capacity + " frames of " + channels + " channels");
        }
        this.channels = channels;
        this.capacity = capacity;
        this.data = new float[channels * capacity];
    }

    /** Frames the ring holds at most. */
    @RealTime
    public int capacity() {
        return capacity;
    }

    /** Frames written and not yet read. */
    @RealTime
    public int frames() {
        return (int) (written.get() - read.get());
    }

    /**
     * Appends {@code frames} frames, sample {@code i} of channel {@code c} from {@code in[c][offset + i]};
     * returns false and writes nothing when they do not fit.
     */
    @RealTime
    public boolean rtWrite(float[][] in, int offset, int frames) {
        long w = written.getPlain();
        if (w + frames - read.getAcquire() > capacity) {
            return false;
        }
        int start = (int) (w % capacity);
        int first = Math.min(frames, capacity - start);
        rtInterleave(in, offset, start, first);
        rtInterleave(in, offset + first, 0, frames - first);
        written.setRelease(w + frames);
        return true;
    }

    @RealTime
    private void rtInterleave(float[][] in, int offset, int toFrame, int frames) {
        for (int c = 0; c < channels; c++) {
            float[] channel = in[c];
            int index = toFrame * channels + c;
            for (int i = 0; i < frames; i++, index += channels) {
                data[index] = channel[offset + i];
            }
        }
    }

    /** Moves up to {@code maxFrames} frames, interleaved, into {@code out}; returns how many. */
    public int read(float[] out, int maxFrames) {
        long r = read.getPlain();
        int count = (int) Math.min(maxFrames, written.getAcquire() - r);
        int start = (int) (r % capacity);
        int first = Math.min(count, capacity - start);
        System.arraycopy(data, start * channels, out, 0, first * channels);
        System.arraycopy(data, 0, out, first * channels, (count - first) * channels);
        read.setRelease(r + count);
        return count;
    }
}
