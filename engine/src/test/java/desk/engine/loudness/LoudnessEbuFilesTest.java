package desk.engine.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The EBU loudness test set (Tech 3341 / 3342) from the shared folder beside the repository; see EXPECTED.md. */
class LoudnessEbuFilesTest {
    private static final Path DIR =
            Path.of(System.getProperty("user.dir")).resolve("../../shared/ebu-loudness").normalize();

    static Path ebu(String name) {
        if (!Files.isDirectory(DIR)) {
            fail("EBU loudness test files not found: expected the folder " + DIR
                    + " (shared/ebu-loudness beside the repository, with EXPECTED.md)");
        }
        Path file = DIR.resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("EBU loudness test file missing: " + file);
        }
        return file;
    }

    /** Momentary and short-term readings after every 10 ms (480 frames at 48 kHz) of the file. */
    private record Series(double[] momentary, double[] shortTerm, LoudnessMeter meter) {
    }

    private static Series series(Path file) throws IOException {
        AudioFile audio = WavReader.read(file);
        int step = audio.sampleRate() / 100;
        int steps = audio.frames() / step;
        LoudnessMeter meter = new LoudnessMeter(audio.sampleRate(), audio.channels());
        double[] m = new double[steps];
        double[] s = new double[steps];
        for (int i = 0; i < steps; i++) {
            meter.add(audio.samples(), i * step, step);
            m[i] = meter.momentaryLufs();
            s[i] = meter.shortTermLufs();
        }
        return new Series(m, s, meter);
    }

    /** Asserts that every value from step {@code from} on is within tolerance (10 ms steps). */
    private static void assertConstant(String what, double[] values, int from, double expected) {
        assertTrue(values.length > from, what + ": file too short");
        for (int i = from; i < values.length; i++) {
            if (Math.abs(values[i] - expected) > 0.1) {
                fail(what + " at " + (i + 1) * 10 + " ms reads " + values[i] + ", expected " + expected + " +-0.1");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seq-3341-1-16bit.wav, -23.0", "seq-3341-2-16bit.wav, -33.0"})
    void constantMomentaryShortTermAndIntegrated(String name, double expected) throws IOException {
        Series s = series(ebu(name));
        assertConstant(name + " M", s.momentary(), 40, expected);
        assertConstant(name + " S", s.shortTerm(), 300, expected);
        assertEquals(expected, s.meter().integratedLufs(), 0.1, name + " I");
        FileMeasurement f = FileMeter.measure(ebu(name));
        assertEquals(expected, f.integratedLufs(), 0.1, name + " I via FileMeter");
        assertEquals(expected, f.maxMomentaryLufs(), 0.1, name + " max M via FileMeter");
        assertEquals(expected, f.maxShortTermLufs(), 0.1, name + " max S via FileMeter");
    }

    static Stream<String> case10() {
        return IntStream.rangeClosed(1, 20).mapToObj(i -> "seq-3341-10-" + i + "-24bit.wav");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("case10")
    void maxShortTerm(String name) throws IOException {
        assertEquals(-23.0, FileMeter.measure(ebu(name)).maxShortTermLufs(), 0.1, name + " max S");
    }

    static Stream<String> case13() {
        return IntStream.rangeClosed(1, 20).mapToObj(i -> "seq-3341-13-" + i + "-24bit.wav");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("case13")
    void maxMomentary(String name) throws IOException {
        assertEquals(-23.0, FileMeter.measure(ebu(name)).maxMomentaryLufs(), 0.1, name + " max M");
    }

    @Test
    void case12MomentaryConstantAfterOneSecond() throws IOException {
        String name = "seq-3341-12-24bit.wav";
        Series s = series(ebu(name));
        assertConstant(name + " M", s.momentary(), 100, -23.0);
        assertEquals(-23.0, FileMeter.measure(ebu(name)).maxMomentaryLufs(), 0.1, name + " max M");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "seq-3341-15-24bit.wav.wav, -6.0",
        "seq-3341-16-24bit.wav.wav, -6.0",
        "seq-3341-17-24bit.wav.wav, -6.0",
        "seq-3341-18-24bit.wav.wav, -6.0",
        "seq-3341-19-24bit.wav.wav, 3.0",
        "seq-3341-20-24bit.wav.wav, 0.0",
        "seq-3341-21-24bit.wav.wav, 0.0",
        "seq-3341-22-24bit.wav.wav, 0.0",
        "seq-3341-23-24bit.wav.wav, 0.0",
    })
    void truePeak(String name, double expected) throws IOException {
        FileMeasurement f = FileMeter.measure(ebu(name));
        double tp = f.truePeakDbtp();
        assertTrue(tp <= expected + 0.2 && tp >= expected - 0.4,
                name + " max TP " + tp + " dBTP, expected " + expected + " +0.2/-0.4");
        assertTrue(tp >= f.samplePeakDbfs(), "true peak below sample peak");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1kHz Sine -20 LUFS-16bit.wav, -20.0",
        "1kHz Sine -26 LUFS-16bit.wav, -26.0",
        "1kHz Sine -40 LUFS-16bit.wav, -40.0",
    })
    void sineIntegrated(String name, double expected) throws IOException {
        assertEquals(expected, FileMeter.measure(ebu(name)).integratedLufs(), 0.1, name + " I");
    }
}
