package desk.engine.delivery;

import desk.engine.IndependentMeters;
import desk.engine.backend.JackServer;
import desk.engine.io.AudioFile;
import desk.engine.io.Dither;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.loudness.FileMeasurement;
import desk.engine.loudness.FileMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivering at a loudness target under a true-peak ceiling, on three mixes that ask different things of it:
 * steady noise with clicks in it that needs gain, drum hits whose peaks must be limited hard to get there, and
 * a song that is quiet, then loud with content up to the highest frequencies; the limiter acts on all three. Each file is checked by Desk's meter, by
 * libebur128 and by ffmpeg; and the delivery keeps time, gives the same bytes twice and refuses a silent mix.
 */
class DeliveryTest {
    private static final Instant MADE = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path folder;

    /** A stereo mix of {@code seconds}, rendered in random blocks as the engine would. */
    static Delivery.Mix mix(String kind, int rate, double seconds) {
        return blocks -> {
            Random random = new Random(42);
            Random sizes = new Random(7);
            long frames = Math.round(seconds * rate);
            float[][] block = new float[2][2048];
            double[] low = new double[2];
            for (long done = 0; done < frames; ) {
                int count = (int) Math.min(1 + sizes.nextInt(2048), frames - done);
                for (int i = 0; i < count; i++) {
                    double t = (double) (done + i) / rate;
                    for (int c = 0; c < 2; c++) {
                        block[c][i] = (float) sample(kind, t, c, random, low);
                    }
                }
                blocks.accept(block, count);
                done += count;
            }
        };
    }

    private static double sample(String kind, double t, int c, Random random, double[] low) {
        switch (kind) {
            case "noise" -> {
                low[c] += 0.05 * (random.nextGaussian() - low[c]);
                double click = t % 0.7 < 0.0005 ? 0.6 : 0;
                return 0.05 * low[c] * 4 + click;
            }
            case "drums" -> {
                double since = t % 0.5;
                return 0.6 * Math.exp(-since / 0.04) * (random.nextDouble() * 2 - 1)
                        + 0.5 * Math.exp(-since / 0.15) * Math.sin(2 * Math.PI * 55 * since);
            }
            default -> {
                if (t < 8) {
                    return 0.01 * Math.sin(2 * Math.PI * (220 + 110 * c) * t);
                }
                double saw = 0;
                for (int h = 1; h * 330 < 21_000; h++) {
                    saw += Math.sin(2 * Math.PI * 330 * h * t + c) / h;
                }
                double since = t % 0.5;
                return 0.2 * saw + 0.9 * Math.exp(-since / 0.02) * Math.sin(2 * Math.PI * 80 * since);
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1} Hz")
    @CsvSource({"noise, 48000", "drums, 44100", "song, 48000"})
    void reachesMinus14LufsUnderMinus1Dbtp(String kind, int rate) throws Exception {
        Path file = folder.resolve(kind + ".wav");
        DeliverySpec spec = new DeliverySpec(Container.WAV, SampleFormat.PCM_24, Dither.Kind.TPDF, -14, -1, "", 0, 0);
        DeliveryReport report = Delivery.deliver(file, rate, 2, spec, mix(kind, rate, 16), MADE);
        assertEquals(-14, report.integratedLufs(), 0.1, report.summary());
        assertTrue(report.truePeakDbtp() <= -1.0, report.summary());
        assertEquals(16L * rate, report.frames(), "as long as the mix");
        assertTrue(report.limiterReductionDb() > 0.5, "the ceiling needs the limiter: " + report.summary());
        FileMeasurement desk = FileMeter.measure(file);
        assertEquals(-14, desk.integratedLufs(), 0.1, "Desk's meter on the file");
        assertTrue(desk.truePeakDbtp() <= -1.0, "Desk's meter on the file: " + desk.truePeakDbtp() + " dBTP");
        AudioFile audio = WavReader.read(file);
        IndependentMeters.Reading library = IndependentMeters.libebur128(audio);
        JackServer.requireTools("ffmpeg");
        IndependentMeters.Reading ffmpeg = IndependentMeters.ffmpeg(file);
        assertEquals(-14, ffmpeg.integratedLufs(), 0.1, "ffmpeg's ebur128");
        assertTrue(ffmpeg.truePeakDbtp() <= -1.0, "ffmpeg's ebur128: " + ffmpeg.truePeakDbtp() + " dBTP");
        System.out.printf("%s at %d Hz delivered at -14 LUFS under -1 dBTP: gain %+.2f dB, limiter down to %.2f dB,"
                        + " %d passes; integrated / true peak: Desk %.2f / %.2f, libebur128 %.2f / %.2f, ffmpeg %.1f /"
                        + " %.1f%n", kind, rate, report.gainDb(), -report.limiterReductionDb(), report.passes(),
                desk.integratedLufs(), desk.truePeakDbtp(), library.integratedLufs(), library.truePeakDbtp(),
                ffmpeg.integratedLufs(), ffmpeg.truePeakDbtp());
        if (!Double.isNaN(library.integratedLufs())) {
            assertEquals(-14, library.integratedLufs(), 0.1, "libebur128");
            assertTrue(library.truePeakDbtp() <= -1.0, "libebur128: " + library.truePeakDbtp() + " dBTP");
        }
    }

    @Test
    void theLimitersLookaheadIsTakenOut() throws Exception {
        int rate = 48_000;
        Delivery.Mix click = blocks -> {
            float[][] block = new float[2][rate];
            block[0][1000] = 0.25f;
            block[1][1000] = -0.25f;
            blocks.accept(block, rate);
        };
        Path file = folder.resolve("click.wav");
        DeliverySpec spec = new DeliverySpec(Container.WAV, SampleFormat.FLOAT_32, Dither.Kind.NONE, Double.NaN, 0,
                "", 0, 0);
        Delivery.deliver(file, rate, 2, spec, click, MADE);
        float[][] out = WavReader.read(file).samples();
        assertEquals(rate, out[0].length);
        assertEquals(0.25f, out[0][1000], 1e-6f, "the click on its sample");
        assertEquals(-0.25f, out[1][1000], 1e-6f);
        assertEquals(0f, out[0][999] + out[0][1001], 1e-6f);
    }

    @Test
    void theSameMixGivesTheSameBytes() throws Exception {
        DeliverySpec spec = new DeliverySpec(Container.BWF, SampleFormat.PCM_16, Dither.Kind.SHAPED, -16, -1.5,
                "Song", 48_000, 0);
        Path first = folder.resolve("first.wav");
        Path second = folder.resolve("second.wav");
        Delivery.deliver(first, 44_100, 2, spec, mix("drums", 44_100, 5), MADE);
        Delivery.deliver(second, 44_100, 2, spec, mix("drums", 44_100, 5), MADE);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void aSilentMixHasNoLoudnessToNormaliseAndLeavesNoFile() throws Exception {
        Delivery.Mix silence = blocks -> blocks.accept(new float[2][4800], 4800);
        DeliverySpec spec = new DeliverySpec(Container.WAV, SampleFormat.PCM_24, Dither.Kind.NONE, -14, -1, "", 0, 0);
        Path file = folder.resolve("silent.wav");
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> Delivery.deliver(file, 48_000, 2, spec, silence, MADE));
        assertTrue(refusal.getMessage().contains("the mix is silent"), refusal.getMessage());
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(0, left.count(), "nothing left behind");
        }
    }

    @Test
    void impossibleSpecsAreRefusedInOneLine() {
        assertEquals("flac holds 16- or 24-bit samples, not 32-bit float: use 16 or 24 bits",
                assertThrows(IllegalArgumentException.class, () -> DeliverySpec.plain(Container.FLAC,
                        SampleFormat.FLOAT_32)).getMessage());
        assertEquals("loudness 5.0 LUFS: must be -60 to 0", assertThrows(IllegalArgumentException.class,
                () -> new DeliverySpec(Container.WAV, SampleFormat.PCM_24, Dither.Kind.NONE, 5, Double.NaN, "", 0, 0))
                .getMessage());
        assertEquals("true peak 1.0 dBTP: must be -24 to 0", assertThrows(IllegalArgumentException.class,
                () -> new DeliverySpec(Container.WAV, SampleFormat.PCM_24, Dither.Kind.NONE, -14, 1, "", 0, 0))
                .getMessage());
        assertEquals("dither tpdf: 32-bit float keeps every bit; dither applies to 16 and 24 bits",
                assertThrows(IllegalArgumentException.class, () -> new DeliverySpec(Container.WAV,
                        SampleFormat.FLOAT_32, Dither.Kind.TPDF, Double.NaN, Double.NaN, "", 0, 0)).getMessage());
        assertEquals("format \"24\": use wav, bwf or flac (the sample format is set by bits: 16, 24 or 32f)",
                assertThrows(IllegalArgumentException.class, () -> Container.parse("24")).getMessage());
    }
}
