package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import desk.engine.loudness.FileMeter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The master ending on the limiter at -1 dBTP, with pink noise pushed 12 dB into it: the rendered file's true
 * peak never exceeds -1.0 dBTP, as Desk's own meter reads it and as an independent one does (ffmpeg's ebur128
 * filter, which reads to a tenth of a dB; the test is skipped where ffmpeg is not installed).
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
        double independent = ffmpegTruePeak(file);
        assertTrue(independent <= -1.0, "ffmpeg's ebur128 reads " + independent + " dBTP");
    }

    /** The true peak ffmpeg's ebur128 filter reads in {@code file}, dBTP. */
    private static double ffmpegTruePeak(Path file) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("ffmpeg", "-nostats", "-hide_banner", "-i", file.toString(), "-af",
                    "ebur128=peak=true", "-f", "null", "-").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("ffmpeg is not installed: " + e.getMessage());
            throw e;
        }
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ffmpeg finished");
        String text = new String(output, StandardCharsets.UTF_8);
        Matcher peak = Pattern.compile("True peak:\\s+Peak:\\s+(-?[0-9.]+|-inf) dBFS").matcher(text);
        assertTrue(peak.find(), "ffmpeg printed a true peak:\n" + text);
        return Double.parseDouble(peak.group(1));
    }
}
