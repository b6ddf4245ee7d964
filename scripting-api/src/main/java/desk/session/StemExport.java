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
 * scheduled functions running on their samples.
 * <p>
 * Threads: the session's control thread, which renders.
 */
final class StemExport {
    private static final int BLOCK = 1024;

    private StemExport() {
    }

    /** Renders {@code frames} samples of {@code strips} and the master into {@code folder}; returns the files, master first. */
    static List<Path> export(Session session, Path folder, long frames, List<Strip> strips, boolean preFader) {
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
            long[] written = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                written[i] = silence(writers.get(i + 1), stems.channels(i), Math.min(stems.ahead(i), frames));
            }
            new OfflineRenderer(engine).render(frames, BlockSizes.fixed(BLOCK), (master, count) -> {
                writers.get(0).write(master, 0, count);
                for (int i = 0; i < ids.length; i++) {
                    int take = (int) Math.min(count, frames - written[i]);
                    writers.get(i + 1).write(stems.block(i), 0, take);
                    written[i] += take;
                }
                stems.rewind();
            }, session::tick);
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

    /** Writes {@code frames} samples of silence; returns how many. */
    private static long silence(WavWriter writer, int channels, long frames) throws IOException {
        float[][] zeros = new float[channels][BLOCK];
        for (long done = 0; done < frames; ) {
            int count = (int) Math.min(BLOCK, frames - done);
            writer.write(zeros, 0, count);
            done += count;
        }
        return frames;
    }
}
