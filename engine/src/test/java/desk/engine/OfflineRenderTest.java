package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.AudioFile;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Offline renders to WAV: every format and rate, byte-identical run after run and at any block size. */
class OfflineRenderTest {
    @TempDir
    Path folder;

    private static Engine session(int rate, Path file) {
        Engine engine = new Engine(rate, 0);
        engine.execute(new EngineCommand.CreateGenerator(2, GeneratorSpec.noise(true, -20, 9)));
        engine.execute(new EngineCommand.CreateGenerator(3, GeneratorSpec.sine(440, -12)));
        engine.execute(new EngineCommand.CreateStrip(4, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.CreateStrip(5, StripKind.TRACK, 2));
        engine.execute(new EngineCommand.CreateStrip(6, StripKind.AUX_BUS, 2));
        engine.execute(new EngineCommand.SetInput(4, 0, 3, 0));
        engine.execute(new EngineCommand.SetInput(5, 0, 2, 0));
        engine.execute(new EngineCommand.SetInput(5, 1, 3, 0));
        engine.execute(new EngineCommand.CreateSend(7, 4, 6, false, -6));
        engine.execute(new EngineCommand.SetParameter(4, Parameter.PAN, 0.3));
        if (file != null) {
            engine.execute(new EngineCommand.CreateFileSource(8, file, 100, true, false));
            engine.execute(new EngineCommand.CreateStrip(9, StripKind.TRACK, 2));
            engine.execute(new EngineCommand.SetInput(9, 0, 8, 0));
            engine.execute(new EngineCommand.SetInput(9, 1, 8, 1));
        }
        return engine;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @ParameterizedTest(name = "{0} Hz, {1}")
    @CsvSource({"44100, 16", "48000, 24", "88200, 32f", "96000, 24", "48000, 32f"})
    void rendersEachFormatAndRateIdenticallyEveryTime(int rate, String format) throws Exception {
        SampleFormat sampleFormat = SampleFormat.parse(format);
        Path first = folder.resolve("first.wav");
        Path second = folder.resolve("second.wav");
        for (Path out : new Path[]{first, second}) {
            try (WavWriter writer = WavWriter.create(out, rate, 2, sampleFormat)) {
                new OfflineRenderer(session(rate, null)).render(rate * 3L, BlockSizes.random(17, 1, 4096), writer);
            }
        }
        assertEquals(sha256(first), sha256(second), "byte-identical renders");
        AudioFile rendered = WavReader.read(first);
        assertEquals(rate, rendered.sampleRate());
        assertEquals(2, rendered.channels());
        assertEquals(rate * 3, rendered.frames());
        assertEquals(sampleFormat, rendered.sourceFormat());
    }

    @ParameterizedTest(name = "{0} Hz")
    @CsvSource({"44100", "48000", "96000"})
    void renderIsTheSameAtAnyBlockSizeAndAFileSourcePlaysBackExactly(int rate) throws Exception {
        Path file = folder.resolve("input.wav");
        float[][] content = new float[2][5000];
        for (int i = 0; i < 5000; i++) {
            content[0][i] = (i % 100) / 100f - 0.5f;
            content[1][i] = -content[0][i];
        }
        try (WavWriter writer = WavWriter.create(file, rate, 2, SampleFormat.FLOAT_32)) {
            writer.write(content, 0, 5000);
        }
        float[][] oneBlock = new OfflineRenderer(session(rate, file)).renderToMemory(rate, BlockSizes.fixed(4096));
        float[][] randomBlocks = new OfflineRenderer(session(rate, file)).renderToMemory(rate, BlockSizes.random(5, 1, 700));
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < rate; i++) {
                assertEquals(oneBlock[c][i], randomBlocks[c][i], "channel " + c + " sample " + i);
            }
        }
        Engine filePlayer = new Engine(rate, 0);
        filePlayer.execute(new EngineCommand.CreateFileSource(2, file, 100, true, false));
        filePlayer.execute(new EngineCommand.CreateStrip(3, StripKind.TRACK, 2));
        filePlayer.execute(new EngineCommand.SetInput(3, 0, 2, 0));
        filePlayer.execute(new EngineCommand.SetInput(3, 1, 2, 1));
        float[][] played = new OfflineRenderer(filePlayer).renderToMemory(12_000, BlockSizes.random(8, 1, 999));
        for (int i = 0; i < 12_000; i++) {
            int position = i - 100;
            float expected = position < 0 ? 0f : content[0][position % 5000];
            assertEquals(expected, played[0][i], "looped file, left, sample " + i);
        }
    }
}
