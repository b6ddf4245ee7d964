package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import desk.engine.loudness.FileMeter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The master ending on the limiter at -1 dBTP, with pink noise pushed 12 dB into it: the rendered file's true
 * peak never exceeds -1.0 dBTP, as Desk's own meter reads it and as independent ones do: libebur128, the
 * reference implementation of EBU R 128 most tools build on (called through JNA), and ffmpeg's ebur128 filter
 * (which prints tenths of a dB), through {@link IndependentMeters}. Each is checked where it is installed (Debian's libebur128-1 and ffmpeg);
 * the test is skipped where neither is.
 */
class LimiterCeilingTest {
    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void pinkNoisePushed12DbIntoTheCeilingNeverPassesIt(int rate) throws Exception {
        Engine engine = new Engine(rate, 0);
        engine.execute(new EngineCommand.CreateGenerator(2, GeneratorSpec.noise(true, -14, 17)));
        engine.execute(new EngineCommand.CreateStrip(3, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.SetInput(3, 0, 2, 0));
        engine.execute(new EngineCommand.AddInsert(4, NodeIds.MASTER_ID, "limiter", -1,
                Map.of("ceiling", -1.0, "input_gain", 12.0), false));
        Path file = folder.resolve("limited-" + rate + ".wav");
        try (WavWriter out = WavWriter.create(file, rate, 2, SampleFormat.FLOAT_32)) {
            new OfflineRenderer(engine).render(20L * rate, BlockSizes.random(rate, 1, 2048), out);
        }
        double desk = FileMeter.measure(file).truePeakDbtp();
        assertTrue(desk <= -1.0, "Desk's meter reads " + desk + " dBTP");
        assertTrue(desk > -1.5, "and the limiter works near the ceiling: " + desk + " dBTP");
        double library = IndependentMeters.libebur128(WavReader.read(file)).truePeakDbtp();
        double ffmpeg = IndependentMeters.ffmpeg(file).truePeakDbtp();
        Assumptions.assumeFalse(Double.isNaN(library) && Double.isNaN(ffmpeg), "neither libebur128 nor ffmpeg is here");
        assertTrue(Double.isNaN(library) || library <= -1.0, "libebur128 reads " + library + " dBTP");
        assertTrue(Double.isNaN(ffmpeg) || ffmpeg <= -1.0, "ffmpeg's ebur128 reads " + ffmpeg + " dBTP");
    }
}
