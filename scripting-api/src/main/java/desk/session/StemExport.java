package desk.session;

import desk.engine.Engine;
import desk.engine.EngineException;
import desk.engine.LocalEngineLink;
import desk.engine.Stems;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders the session offline into stems: one 32-bit float WAV file per strip asked for, named after it,
 * holding what its output adds to the bus it feeds (after its inserts, fader, pan and mute; its sends are in
 * the stems of the buses they feed) or, before the fader, its own signal after trim and inserts (on its own
 * channels), and {@code master.wav}, the mix itself. Every file has the same length
 * and starts on the same sample: each stem is delayed by what it runs ahead of the master (the latency of the
 * inserts after it), so that the stems of the strips routed straight to the master sum to the master's
 * input. The render goes on from where the transport is, as a render of the master alone does, with
 * scheduled functions running on their samples, and then, with a {@link Tail}, while the mix rings out.
 * <p>
 * Threads: the session's control thread, which renders.
 */
final class StemExport {
    private static final int BLOCK = 1024;

    private StemExport() {
    }

    /** Renders {@code frames} samples of {@code strips} and the master into {@code folder}; returns the files, master first. */
    static List<Path> export(Session session, Path folder, long frames, List<Strip> strips, boolean preFader,
                             Tail tail) {
        String label = "session.exportStems";
        Engine engine = session.link() instanceof LocalEngineLink local ? local.engine() : null;
        if (engine == null || engine.audioThreadRunning()) {
            throw new DeskException(label + ": stems render offline: run the script with desk run --offline");
        }
        List<Path> files = new ArrayList<>();
        files.add(folder.resolve("master.wav"));
        Set<String> names = new HashSet<>(Set.of("master.wav"));
        int[] ids = new int[strips.size()];
        for (int i = 0; i < ids.length; i++) {
            Strip strip = strips.get(i);
            session.checkOwn(strip, label);
            if (strip == session.master()) {
                throw new DeskException(label + ": the master is the mix itself: it has no stem of its own");
            }
            String name = strip.name().replaceAll("[/\\\\:*?\"<>|]", "_") + ".wav";
            if (!names.add(name)) {
                throw new DeskException(label + ": two stems would be called " + name + ": rename one of the strips");
            }
            files.add(folder.resolve(name));
            ids[i] = strip.id;
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new DeskException(label + ": cannot make the folder " + folder + " (" + e.getMessage() + ")");
        }
        Stems stems;
        try {
            boolean[] before = new boolean[ids.length];
            java.util.Arrays.fill(before, preFader);
            stems = engine.tapStems(ids, before);
        } catch (EngineException e) {
            throw new DeskException(label + ": " + e.getMessage());
        }
        List<WavWriter> writers = new ArrayList<>();
        try {
            int rate = session.sampleRate();
            writers.add(WavWriter.create(files.get(0), rate, 2, SampleFormat.FLOAT_32));
            for (int i = 0; i < ids.length; i++) {
                writers.add(WavWriter.create(files.get(i + 1), rate, stems.channels(i), SampleFormat.FLOAT_32));
            }
            StemLag[] lags = new StemLag[ids.length];
            for (int i = 0; i < ids.length; i++) {
                lags[i] = new StemLag(writers.get(i + 1), stems.channels(i), stems.ahead(i));
            }
            List<float[][]> outputs = new ArrayList<>();
            OfflineRenderer.Sink sink = (master, count) -> {
                writers.get(0).write(master, 0, count);
                outputs.clear();
                outputs.add(master);
                for (int i = 0; i < ids.length; i++) {
                    lags[i].write(stems.block(i), count);
                    outputs.add(stems.block(i));
                }
                stems.rewind();
            };
            OfflineRenderer renderer = new OfflineRenderer(engine);
            renderer.render(frames, BlockSizes.fixed(BLOCK), sink, session::tick);
            ringOut(session, engine, renderer, tail, sink, outputs, session::tick);
        } catch (IOException e) {
            throw new DeskException(label + ": cannot write the stems in " + folder + " (" + e.getMessage() + ")");
        } finally {
            engine.untapStems();
            for (WavWriter writer : writers) {
                try {
                    writer.close();
                } catch (IOException e) {
                    session.notice(label + ": " + e.getMessage());
                }
            }
        }
        return files;
    }

    /**
     * Renders {@code tail} after the range into {@code sink}: stops the transport, then goes on block by block
     * until everything in {@code outputs} (which the sink fills with each block's outputs) is quiet long enough,
     * or the tail's cap; {@code beforeBlock} runs before each block as in the render.
     */
    static void ringOut(Session session, Engine engine, OfflineRenderer renderer, Tail tail, OfflineRenderer.Sink sink,
                        List<float[][]> outputs, java.util.function.LongConsumer beforeBlock) throws IOException {
        long cap = tail.capFrames(engine, session.sampleRate());
        if (cap <= 0) {
            return;
        }
        session.stop();
        Tail.Watch watch = tail.new Watch(session.sampleRate());
        boolean[] silent = {false};
        for (long done = 0; done < cap && !silent[0]; done += BLOCK) {
            renderer.render(Math.min(BLOCK, cap - done), BlockSizes.fixed(BLOCK), (block, count) -> {
                sink.accept(block, count);
                silent[0] = watch.silent(outputs, count);
            }, beforeBlock);
        }
    }

    /**
     * A stem's file behind the master: it starts with {@code ahead} samples of silence, so that each stem sample
     * lands where the master's sample of the same moment does, and holds back the stem's last {@code ahead}
     * samples, which belong after the master's end; the file is always as long as the master.
     */
    private static final class StemLag {
        private final WavWriter writer;
        private final float[][] held;
        private int count;

        StemLag(WavWriter writer, int channels, int ahead) {
            this.writer = writer;
            this.held = new float[channels][ahead + BLOCK];
            this.count = ahead;
        }

        /** Takes the stem's next {@code frames} (a block of the master's length) and writes as many of the oldest. */
        void write(float[][] block, int frames) throws IOException {
            for (int c = 0; c < held.length; c++) {
                System.arraycopy(block[c], 0, held[c], count, frames);
            }
            writer.write(held, 0, frames);
            for (int c = 0; c < held.length; c++) {
                System.arraycopy(held[c], frames, held[c], 0, count);
            }
        }
    }
}
