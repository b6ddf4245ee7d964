package desk.engine.backend;

import desk.engine.io.WavWriter;

import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * Renders an engine faster than real time: runs blocks of the given sizes and hands the master's output to
 * a sink (a WAV file, or a test's own buffer). The capture ports read silence. The calling thread acts as
 * the engine's audio thread for the duration of a render. While a take records, each block waits until the
 * take's disk thread has made room for it, clip playback reads its files on the calling thread and plugins
 * wait for their background work, so a render never outruns the disk and never depends on timing. Every 4,096
 * frames it lets the engine release what has faded out, as a live engine's control loop does.
 * <p>
 * Threads: one thread at a time; commands may be sent to the engine from other threads meanwhile.
 */
public final class OfflineRenderer {
    /** Receives each rendered block: {@code master[c][0..frames)}. */
    @FunctionalInterface
    public interface Sink {
        /** Takes one block of output. */
        void accept(float[][] master, int frames) throws IOException;
    }

    /** Frames rendered between two calls of {@link AudioCallback#maintain}. */
    private static final int MAINTAIN_EVERY = 4096;

    private final AudioCallback engine;
    private final float[][] capture = new float[0][];

    /** A renderer for {@code engine}. */
    public OfflineRenderer(AudioCallback engine) {
        this.engine = engine;
        engine.renderOffline();
    }

    /** Renders {@code frames} frames in blocks from {@code blocks} into {@code sink}. */
    public void render(long frames, BlockSizes blocks, Sink sink) throws IOException {
        render(frames, blocks, sink, horizon -> { });
    }

    /**
     * As {@link #render(long, BlockSizes, Sink)}, calling {@code beforeBlock} before each block with the
     * engine sample at which the block will end: the control side's moment to send the changes due within
     * it (stamped with their samples), while no block is being processed.
     */
    public void render(long frames, BlockSizes blocks, Sink sink, LongConsumer beforeBlock) throws IOException {
        float[][] master = new float[2][blocks.max()];
        long done = 0;
        long sinceMaintained = 0;
        while (done < frames) {
            if (sinceMaintained >= MAINTAIN_EVERY) {
                engine.maintain();
                sinceMaintained = 0;
            }
            int block = (int) Math.min(blocks.next(), frames - done);
            beforeBlock.accept(engine.position() + block);
            engine.awaitRecorderRoom(block);
            engine.setAudioThreadRunning(true);
            try {
                engine.rtProcess(capture, master, block);
                engine.rtMidiOut().rtClearOutgoing();
            } finally {
                engine.setAudioThreadRunning(false);
            }
            sink.accept(master, block);
            done += block;
            sinceMaintained += block;
        }
    }

    /** Renders {@code frames} frames into a WAV writer. */
    public void render(long frames, BlockSizes blocks, WavWriter out) throws IOException {
        render(frames, blocks, (master, count) -> out.write(master, 0, count));
    }

    /** Renders {@code frames} frames and returns the master as {@code [channel][frame]}. */
    public float[][] renderToMemory(int frames, BlockSizes blocks) throws IOException {
        float[][] result = new float[2][frames];
        int[] position = {0};
        render(frames, blocks, (master, count) -> {
            for (int c = 0; c < 2; c++) {
                System.arraycopy(master[c], 0, result[c], position[0], count);
            }
            position[0] += count;
        });
        return result;
    }
}
