package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import desk.engine.meter.LoudnessReading;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The EBU loudness test set (Tech 3341 / 3342, from the shared folder beside the repository; see its
 * EXPECTED.md) and the synthesised Tech 3341 cases 3-5 and Tech 3342 cases 1-4, played through the engine:
 * each file is a track's input ({@code session.file}), rendered offline, and read from the track's meter
 * and the master's, which must agree.
 */
class LoudnessThroughTheEngineTest {
    private static final Path DIR =
            Path.of(System.getProperty("user.dir")).resolve("../../shared/ebu-loudness").normalize();
    private static final int RATE = 48000;
    private static final int STEP = RATE / 100;

    private static Path ebu(String name) {
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

    /** A session playing {@code file} on a track that measures loudness after its fader. */
    private record Desk(Engine engine, Session session, Track track, int frames) {
        static Desk playing(Path file) throws IOException {
            Engine engine = new Engine(RATE, 0);
            Session session = new Session(new LocalEngineLink(engine));
            Source source = session.file(file, false, false);
            Track track = session.track("File", source.channels());
            track.input(source);
            track.loudness("post");
            return new Desk(engine, session, track, (int) WavReader.probe(file).frames());
        }

        void render(long frames, BlockSizes blocks) throws IOException {
            new OfflineRenderer(engine).render(frames, blocks, (master, count) -> { });
        }

        /** The whole file and a little more, so the true-peak interpolator sees the last samples. */
        void renderAll(long seed) throws IOException {
            render(frames + 64, BlockSizes.random(seed, 64, 4096));
        }

        LoudnessReading trackLoudness() {
            return track.meter(MeterPoint.POST_FADER).loudness();
        }

        LoudnessReading masterLoudness() {
            return session.master().meter(MeterPoint.POST_FADER).loudness();
        }

        /** Momentary and short-term readings of the track after every 10 ms. */
        double[][] series() throws IOException {
            int steps = frames / STEP;
            double[][] values = new double[2][steps];
            for (int i = 0; i < steps; i++) {
                render(STEP, BlockSizes.fixed(STEP));
                LoudnessReading reading = trackLoudness();
                values[0][i] = reading.momentary();
                values[1][i] = reading.shortTerm();
            }
            return values;
        }
    }

    private static void assertConstant(String what, double[] values, int from, double expected) {
        assertTrue(values.length > from, what + ": file too short");
        for (int i = from; i < values.length; i++) {
            if (Math.abs(values[i] - expected) > 0.1) {
                fail(what + " at " + (i + 1) * 10 + " ms reads " + values[i] + ", expected " + expected + " +-0.1");
            }
        }
    }

    private static void assertSame(String what, LoudnessReading track, LoudnessReading master) {
        System.out.printf("through the engine: %s: I %.2f LUFS, max M %.2f, max S %.2f, LRA %.2f LU, true peak %.2f dBTP%n",
                what, track.integrated(), track.momentaryMax(), track.shortTermMax(), track.range(), track.truePeak());
        assertEquals(track.integrated(), master.integrated(), 1e-9, what + ": track and master integrated");
        assertEquals(track.momentaryMax(), master.momentaryMax(), 1e-9, what + ": track and master max M");
        assertEquals(track.shortTermMax(), master.shortTermMax(), 1e-9, what + ": track and master max S");
        assertEquals(track.truePeak(), master.truePeak(), 1e-9, what + ": track and master true peak");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seq-3341-1-16bit.wav, -23.0", "seq-3341-2-16bit.wav, -33.0"})
    void constantMomentaryShortTermAndIntegrated(String name, double expected) throws IOException {
        Desk desk = Desk.playing(ebu(name));
        double[][] series = desk.series();
        assertConstant(name + " M", series[0], 40, expected);
        assertConstant(name + " S", series[1], 300, expected);
        assertEquals(expected, desk.trackLoudness().integrated(), 0.1, name + " I");
        assertEquals(expected, desk.masterLoudness().integrated(), 0.1, name + " I on the master");
        assertSame(name, desk.trackLoudness(), desk.masterLoudness());
    }

    static Stream<String> case10() {
        return IntStream.rangeClosed(1, 20).mapToObj(i -> "seq-3341-10-" + i + "-24bit.wav");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("case10")
    void maxShortTerm(String name) throws IOException {
        Desk desk = Desk.playing(ebu(name));
        desk.renderAll(name.hashCode());
        assertEquals(-23.0, desk.trackLoudness().shortTermMax(), 0.1, name + " max S");
        assertSame(name, desk.trackLoudness(), desk.masterLoudness());
    }

    static Stream<String> case13() {
        return IntStream.rangeClosed(1, 20).mapToObj(i -> "seq-3341-13-" + i + "-24bit.wav");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("case13")
    void maxMomentary(String name) throws IOException {
        Desk desk = Desk.playing(ebu(name));
        desk.renderAll(name.hashCode());
        assertEquals(-23.0, desk.trackLoudness().momentaryMax(), 0.1, name + " max M");
        assertSame(name, desk.trackLoudness(), desk.masterLoudness());
    }

    @Test
    void case12MomentaryConstantAfterOneSecond() throws IOException {
        String name = "seq-3341-12-24bit.wav";
        Desk desk = Desk.playing(ebu(name));
        assertConstant(name + " M", desk.series()[0], 100, -23.0);
        assertEquals(-23.0, desk.trackLoudness().momentaryMax(), 0.1, name + " max M");
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
        Desk desk = Desk.playing(ebu(name));
        desk.renderAll(name.hashCode());
        double truePeak = desk.trackLoudness().truePeak();
        assertTrue(truePeak <= expected + 0.2 && truePeak >= expected - 0.4,
                name + " max TP " + truePeak + " dBTP, expected " + expected + " +0.2/-0.4");
        assertTrue(truePeak >= desk.track.meter(MeterPoint.POST_FADER).peakMax() - 1e-6, "true peak below sample peak");
        assertSame(name, desk.trackLoudness(), desk.masterLoudness());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1kHz Sine -20 LUFS-16bit.wav, -20.0",
        "1kHz Sine -26 LUFS-16bit.wav, -26.0",
        "1kHz Sine -40 LUFS-16bit.wav, -40.0",
    })
    void sineIntegrated(String name, double expected) throws IOException {
        Desk desk = Desk.playing(ebu(name));
        desk.renderAll(name.hashCode());
        assertEquals(expected, desk.trackLoudness().integrated(), 0.1, name + " I");
        assertSame(name, desk.trackLoudness(), desk.masterLoudness());
    }

    /** A stereo 1 kHz tone in segments of the given peak levels and lengths, as a 32-bit float WAV file. */
    private static Path tone(Path folder, double[] levelsDb, double[] seconds) throws IOException {
        int total = 0;
        for (double s : seconds) {
            total += (int) Math.round(s * RATE);
        }
        float[][] samples = new float[2][total];
        int at = 0;
        for (int segment = 0; segment < levelsDb.length; segment++) {
            double amplitude = Math.pow(10, levelsDb[segment] / 20);
            int length = (int) Math.round(seconds[segment] * RATE);
            for (int i = 0; i < length; i++, at++) {
                float value = (float) (amplitude * Math.sin(2 * Math.PI * 1000.0 * at / RATE));
                samples[0][at] = value;
                samples[1][at] = value;
            }
        }
        Path file = Files.createTempFile(folder, "tone", ".wav");
        try (WavWriter writer = WavWriter.create(file, RATE, 2, SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, total);
        }
        return file;
    }

    @ParameterizedTest(name = "Tech 3341 case {0}")
    @CsvSource(delimiter = ';', value = {
        "3; -36 -23 -36; 10 60 10",
        "4; -72 -36 -23 -36 -72; 10 10 60 10 10",
        "5; -26 -20 -26; 20 20.1 20",
    })
    void synthesisedTech3341IntegratedCases(int number, String levels, String seconds, @TempDir Path folder)
            throws IOException {
        Desk desk = Desk.playing(tone(folder, numbers(levels), numbers(seconds)));
        desk.renderAll(number);
        assertEquals(-23.0, desk.trackLoudness().integrated(), 0.1, "case " + number + " I");
        assertSame("case " + number, desk.trackLoudness(), desk.masterLoudness());
    }

    @ParameterizedTest(name = "Tech 3342 case {0}")
    @CsvSource(delimiter = ';', value = {
        "1; -20 -30; 20 20; 10",
        "2; -20 -15; 20 20; 5",
        "3; -40 -20; 20 20; 20",
        "4; -50 -35 -20 -35 -50; 20 20 20 20 20; 15",
    })
    void synthesisedTech3342LoudnessRangeCases(int number, String levels, String seconds, double range,
                                               @TempDir Path folder) throws IOException {
        Desk desk = Desk.playing(tone(folder, numbers(levels), numbers(seconds)));
        desk.renderAll(number);
        System.out.printf("through the engine: Tech 3342 case %d: LRA %.2f LU%n", number, desk.trackLoudness().range());
        assertEquals(range, desk.trackLoudness().range(), 1.0, "case " + number + " LRA");
        assertEquals(desk.trackLoudness().range(), desk.masterLoudness().range(), 1e-9, "track and master LRA");
    }

    private static double[] numbers(String text) {
        return java.util.Arrays.stream(text.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }
}
