package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.PointerByReference;
import desk.engine.io.AudioFile;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
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
 * peak never exceeds -1.0 dBTP, as Desk's own meter reads it and as independent ones do: libebur128, the
 * reference implementation of EBU R 128 most tools build on (called through JNA), and ffmpeg's ebur128 filter
 * (which prints tenths of a dB). Each is checked where it is installed (Debian's libebur128-1 and ffmpeg);
 * the test is skipped where neither is.
 */
class LimiterCeilingTest {
    /** The part of libebur128's C API the test uses. */
    public interface Ebur128 extends Library {
        /** Measures true peak (and sample peak, and momentary loudness, which true peak implies). */
        int MODE_TRUE_PEAK = 49;

        Pointer ebur128_init(int channels, NativeLong sampleRate, int mode);

        int ebur128_add_frames_float(Pointer state, float[] interleaved, NativeLong frames);

        int ebur128_true_peak(Pointer state, int channel, DoubleByReference peak);

        void ebur128_destroy(PointerByReference state);
    }

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
        double library = libebur128TruePeak(WavReader.read(file));
        double ffmpeg = ffmpegTruePeak(file);
        Assumptions.assumeFalse(Double.isNaN(library) && Double.isNaN(ffmpeg), "neither libebur128 nor ffmpeg is here");
        assertTrue(Double.isNaN(library) || library <= -1.0, "libebur128 reads " + library + " dBTP");
        assertTrue(Double.isNaN(ffmpeg) || ffmpeg <= -1.0, "ffmpeg's ebur128 reads " + ffmpeg + " dBTP");
    }

    /** The true peak ffmpeg's ebur128 filter reads in {@code file}, dBTP; NaN where ffmpeg is not installed. */
    private static double ffmpegTruePeak(Path file) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("ffmpeg", "-nostats", "-hide_banner", "-i", file.toString(), "-af",
                    "ebur128=peak=true", "-f", "null", "-").redirectErrorStream(true).start();
        } catch (IOException e) {
            return Double.NaN;
        }
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ffmpeg finished");
        String text = new String(output, StandardCharsets.UTF_8);
        Matcher peak = Pattern.compile("True peak:\\s+Peak:\\s+(-?[0-9.]+) dBFS").matcher(text);
        assertTrue(peak.find(), "ffmpeg printed a true peak:\n" + text);
        return Double.parseDouble(peak.group(1));
    }

    /** The true peak libebur128 reads in {@code audio}, over its channels, dBTP; NaN where it is not installed. */
    private static double libebur128TruePeak(AudioFile audio) {
        Ebur128 library;
        try {
            library = Native.load("libebur128.so.1", Ebur128.class);
        } catch (UnsatisfiedLinkError e) {
            return Double.NaN;
        }
        int channels = audio.channels();
        int frames = audio.frames();
        float[] interleaved = new float[channels * frames];
        for (int c = 0; c < channels; c++) {
            float[] samples = audio.samples()[c];
            for (int i = 0; i < frames; i++) {
                interleaved[i * channels + c] = samples[i];
            }
        }
        Pointer state = library.ebur128_init(channels, new NativeLong(audio.sampleRate()), Ebur128.MODE_TRUE_PEAK);
        try {
            assertTrue(library.ebur128_add_frames_float(state, interleaved, new NativeLong(frames)) == 0);
            double peak = 0;
            for (int c = 0; c < channels; c++) {
                DoubleByReference channelPeak = new DoubleByReference();
                assertTrue(library.ebur128_true_peak(state, c, channelPeak) == 0);
                peak = Math.max(peak, channelPeak.getValue());
            }
            return 20 * Math.log10(peak);
        } finally {
            library.ebur128_destroy(new PointerByReference(state));
        }
    }
}
