package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.delivery.Delivery;
import desk.engine.delivery.DeliveryReport;
import desk.engine.delivery.DeliverySpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Renders the master offline into a delivered file: WAV, Broadcast Wave or FLAC, dithered, at a loudness target
 * under a true-peak ceiling when asked (see {@link Delivery}). The render goes on from where the transport is,
 * with scheduled functions running on their samples; a Broadcast Wave file's time reference is that position.
 * <p>
 * Threads: the session's control thread, which renders.
 */
public final class MasterRender {
    private MasterRender() {
    }

    /** Reports how far a render has come: frames rendered of the total. */
    @FunctionalInterface
    public interface Progress {
        /** Called after each block with the frames rendered so far and the frames to render in all. */
        void rendered(long done, long total);
    }

    /**
     * Renders {@code frames} frames of the master and then {@code tail} into {@code file} as {@code spec} says
     * (its time reference is replaced by the transport's position), calling {@code beforeBlock} before each block with the sample the
     * block ends on (the control side's moment to send what is due in it) and {@code progress} after it.
     *
     * @throws DeskException in one line, naming {@code label}, when the desk plays live, the file cannot be
     *                       written, or a loudness target is asked of a silent mix
     */
    public static DeliveryReport render(Session session, String label, Path file, long frames, int block,
                                        DeliverySpec spec, Tail tail, LongConsumer beforeBlock, Progress progress) {
        Engine engine = session.link() instanceof LocalEngineLink local ? local.engine() : null;
        if (engine == null || engine.audioThreadRunning()) {
            throw new DeskException(label + ": renders offline: run the script with desk run --offline");
        }
        DeliverySpec placed = spec.at(Math.max(0, session.transportSample()));
        Path folder = file.toAbsolutePath().getParent();
        try {
            if (folder != null) {
                Files.createDirectories(folder);
            }
            OfflineRenderer renderer = new OfflineRenderer(engine);
            long[] done = {0};
            return Delivery.deliver(file, session.sampleRate(), 2, placed,
                    blocks -> {
                        renderer.render(frames, BlockSizes.fixed(block), (master, count) -> {
                            blocks.accept(master, count);
                            done[0] += count;
                            progress.rendered(done[0], frames);
                        }, beforeBlock);
                        List<float[][]> outputs = new ArrayList<>();
                        StemExport.ringOut(session, engine, renderer, tail, (master, count) -> {
                            outputs.clear();
                            outputs.add(master);
                            blocks.accept(master, count);
                        }, outputs, beforeBlock);
                    }, Delivery.originationInstant());
        } catch (IOException e) {
            throw new DeskException(label + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new DeskException(label + ": " + e.getMessage());
        }
    }
}
