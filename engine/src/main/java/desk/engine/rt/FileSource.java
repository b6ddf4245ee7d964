package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.io.AudioFile;

/**
 * A WAV file held in memory, played from engine sample {@code start}, once or looped. The samples were
 * loaded and checked off the audio thread (subnormals flushed by the reader).
 * <p>
 * Threads: constructed on the control thread; rendered on the audio thread only.
 */
public final class FileSource extends Source {
    private final float[][] samples;
    private final int frames;
    private final long start;
    private final boolean loop;

    public FileSource(int id, AudioFile file, long start, boolean loop) {
        super(id, file.channels(), Limits.MAX_BLOCK);
        this.samples = file.samples();
        this.frames = file.frames();
        this.start = start;
        this.loop = loop;
    }

    @Override
    @RealTime
    protected void rtRender(float[][] out, ProcessContext context, int length) {
        for (int c = 0; c < out.length; c++) {
            float[] channel = out[c];
            float[] data = samples[c];
            int i = 0;
            while (i < length) {
                long offset = context.position + i - start;
                if (offset < 0) {
                    int silent = (int) Math.min(length - i, -offset);
                    java.util.Arrays.fill(channel, i, i + silent, 0f);
                    i += silent;
                    continue;
                }
                if (frames == 0 || (!loop && offset >= frames)) {
                    java.util.Arrays.fill(channel, i, length, 0f);
                    break;
                }
                int from = (int) (loop ? offset % frames : offset);
                int run = Math.min(length - i, frames - from);
                System.arraycopy(data, from, channel, i, run);
                i += run;
            }
        }
    }
}
