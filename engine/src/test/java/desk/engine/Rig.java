package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.dsp.Decibels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A test rig: an engine with a handful of helpers for building graphs by id and rendering offline. */
final class Rig {
    static final int[] SAMPLE_RATES = {44100, 48000, 96000};

    final Engine engine;
    private int nextId = NodeIds.FIRST_FREE_ID;

    Rig(int sampleRate) {
        engine = new Engine(sampleRate, 0);
    }

    /** A rig whose engine is handed {@code playbackChannels} playback channels (the master's, then direct outs'). */
    Rig(int sampleRate, int playbackChannels) {
        engine = new Engine(sampleRate, 0, playbackChannels);
    }

    /** A rig whose engine has {@code capturePorts} capture ports and {@code playbackChannels} playback channels. */
    Rig(int sampleRate, int capturePorts, int playbackChannels) {
        engine = new Engine(sampleRate, capturePorts, playbackChannels);
    }

    /** Block-size cases: 1, a few awkward and round sizes, 4096, and seeded random sizes. */
    static List<BlockSizes> blockSizes() {
        List<BlockSizes> cases = new ArrayList<>();
        for (int size : new int[]{1, 7, 64, 333, 1024, 4096}) {
            cases.add(BlockSizes.fixed(size));
        }
        cases.add(BlockSizes.random(1234, 1, 4096));
        cases.add(BlockSizes.random(99, 1, 64));
        return cases;
    }

    /** Every sample rate with every block-size case, as JUnit arguments (rate, blocks). */
    static Stream<org.junit.jupiter.params.provider.Arguments> ratesAndBlocks() {
        List<org.junit.jupiter.params.provider.Arguments> all = new ArrayList<>();
        for (int rate : SAMPLE_RATES) {
            for (BlockSizes blocks : blockSizes()) {
                all.add(org.junit.jupiter.params.provider.Arguments.of(rate, blocks));
            }
        }
        return all.stream();
    }

    int id() {
        return nextId++;
    }

    int track(int channels) {
        int id = id();
        engine.execute(new EngineCommand.CreateStrip(id, StripKind.TRACK, channels));
        return id;
    }

    int bus(StripKind kind, int channels) {
        int id = id();
        engine.execute(new EngineCommand.CreateStrip(id, kind, channels));
        return id;
    }

    int generator(GeneratorSpec spec) {
        int id = id();
        engine.execute(new EngineCommand.CreateGenerator(id, spec));
        return id;
    }

    /** Feeds every channel of {@code track} from the mono source {@code source}. */
    void feed(int track, int channels, int source) {
        for (int c = 0; c < channels; c++) {
            engine.execute(new EngineCommand.SetInput(track, c, source, 0));
        }
    }

    void set(int node, Parameter parameter, double value) {
        engine.execute(new EngineCommand.SetParameter(node, parameter, value));
    }

    void output(int strip, int destination) {
        engine.execute(new EngineCommand.SetOutput(strip, destination));
    }

    int send(int source, int destination, boolean pre, double levelDb) {
        int id = id();
        engine.execute(new EngineCommand.CreateSend(id, source, destination, pre, levelDb));
        return id;
    }

    float[][] render(int frames, BlockSizes blocks) {
        try {
            return new OfflineRenderer(engine).renderToMemory(frames, blocks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders {@code frames} frames onto every playback channel of the engine, as {@code [channel][frame]}. */
    float[][] renderPlayback(int frames, BlockSizes blocks) {
        int channels = engine.playbackChannels();
        float[][] result = new float[channels][frames];
        float[][] buffers = new float[channels][blocks.max()];
        int done = 0;
        while (done < frames) {
            int block = Math.min(blocks.next(), frames - done);
            engine.rtProcess(new float[0][], buffers, block);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(buffers[c], 0, result[c], done, block);
            }
            done += block;
        }
        return result;
    }

    static double peakDb(float[] x, int from, int to) {
        double peak = 0;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        return Decibels.fromGain(peak);
    }

    static double rmsDb(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Decibels.fromPower(sum / (to - from));
    }
}
