package desk.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.PointerByReference;
import desk.engine.io.AudioFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loudness meters that are not Desk's, for tests to check Desk's readings and files against: libebur128, the
 * reference implementation of EBU R 128 most tools build on (called through JNA), and ffmpeg's ebur128 filter
 * (which prints tenths). Each answers NaN where it is not installed (Debian: libebur128-1, ffmpeg).
 */
public final class IndependentMeters {
    /** The part of libebur128's C API the tests use. */
    public interface Ebur128 extends Library {
        /** Measures integrated loudness and true peak (and what they imply). */
        int MODE_INTEGRATED_AND_TRUE_PEAK = 53;

        Pointer ebur128_init(int channels, NativeLong sampleRate, int mode);

        int ebur128_add_frames_float(Pointer state, float[] interleaved, NativeLong frames);

        int ebur128_true_peak(Pointer state, int channel, DoubleByReference peak);

        int ebur128_loudness_global(Pointer state, DoubleByReference loudness);

        void ebur128_destroy(PointerByReference state);
    }

    /** Integrated loudness (LUFS) and true peak (dBTP) as one meter reads them; NaN where it is missing. */
    public record Reading(double integratedLufs, double truePeakDbtp) {
    }

    private IndependentMeters() {
    }

    /** What ffmpeg's ebur128 filter reads in {@code file}; NaN where ffmpeg is not installed. */
    public static Reading ffmpeg(Path file) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("ffmpeg", "-nostats", "-hide_banner", "-i", file.toString(), "-af",
                    "ebur128=peak=true", "-f", "null", "-").redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Reading(Double.NaN, Double.NaN);
        }
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ffmpeg finished");
        String text = new String(output, StandardCharsets.UTF_8);
        Matcher integrated = Pattern.compile("Integrated loudness:\\s+I:\\s+(-?[0-9.]+) LUFS").matcher(text);
        Matcher peak = Pattern.compile("True peak:\\s+Peak:\\s+(-?[0-9.]+) dBFS").matcher(text);
        assertTrue(integrated.find() && peak.find(), "ffmpeg printed its readings:\n" + text);
        return new Reading(Double.parseDouble(integrated.group(1)), Double.parseDouble(peak.group(1)));
    }

    /** What libebur128 reads in {@code audio} (true peak over its channels); NaN where it is not installed. */
    public static Reading libebur128(AudioFile audio) {
        Ebur128 library;
        try {
            library = Native.load("libebur128.so.1", Ebur128.class);
        } catch (UnsatisfiedLinkError e) {
            return new Reading(Double.NaN, Double.NaN);
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
        Pointer state = library.ebur128_init(channels, new NativeLong(audio.sampleRate()),
                Ebur128.MODE_INTEGRATED_AND_TRUE_PEAK);
        try {
            assertTrue(library.ebur128_add_frames_float(state, interleaved, new NativeLong(frames)) == 0);
            double peak = 0;
            for (int c = 0; c < channels; c++) {
                DoubleByReference channelPeak = new DoubleByReference();
                assertTrue(library.ebur128_true_peak(state, c, channelPeak) == 0);
                peak = Math.max(peak, channelPeak.getValue());
            }
            DoubleByReference loudness = new DoubleByReference();
            assertTrue(library.ebur128_loudness_global(state, loudness) == 0);
            return new Reading(loudness.getValue(), 20 * Math.log10(peak));
        } finally {
            library.ebur128_destroy(new PointerByReference(state));
        }
    }
}
