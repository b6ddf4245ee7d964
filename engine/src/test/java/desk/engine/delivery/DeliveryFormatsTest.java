package desk.engine.delivery;

import desk.engine.backend.JackServer;
import desk.engine.io.Dither;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivered files as other tools see them: FLAC passes the reference decoder's test (its MD5 signature matches
 * its audio), and decoded by sox is the very samples of the WAV delivered with
 * the same settings, and ffprobe reads its format; a Broadcast Wave file shows its bext fields in ffprobe (which
 * names the description comment, the originator encoded_by and the origination date and time date and
 * creation_time), and
 * its loudness fields (version 2) hold the readings of the delivery; a delivery converted to 44.1 kHz is at
 * that rate, as long as the mix, and still meets its loudness target under its ceiling.
 */
class DeliveryFormatsTest {
    private static final int RATE = 48_000;
    private static final Instant MADE = Instant.parse("2026-12-04T10:15:30Z");

    @TempDir
    Path folder;

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    /** ffprobe's key=value lines for {@code entries} of {@code file}. */
    private static Map<String, String> probe(Path file, String entries) throws Exception {
        Map<String, String> values = new HashMap<>();
        for (String line : run("ffprobe", "-v", "error", "-show_entries", entries, "-of", "default=noprint_wrappers=1",
                file.toString()).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals).replace("TAG:", ""), line.substring(equals + 1).strip());
            }
        }
        return values;
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {16, 24})
    void flacHoldsTheSamplesOfTheWavDeliveredAlike(int bits) throws Exception {
        JackServer.requireTools("sox", "ffprobe", "flac");
        SampleFormat format = bits == 16 ? SampleFormat.PCM_16 : SampleFormat.PCM_24;
        Path flac = folder.resolve("mix.flac");
        Path wav = folder.resolve("mix.wav");
        for (Path file : List.of(flac, wav)) {
            DeliverySpec spec = new DeliverySpec(Container.forFile(file), format, Dither.Kind.TPDF, -16, -1, "", 0, 0);
            Delivery.deliver(file, RATE, 2, spec, DeliveryTest.mix("song", RATE, 10), MADE);
        }
        run("flac", "--test", "--silent", flac.toString());
        Path decoded = folder.resolve("decoded.wav");
        run("sox", flac.toString(), decoded.toString());
        float[][] expected = WavReader.read(wav).samples();
        float[][] actual = WavReader.read(decoded).samples();
        assertEquals(10 * RATE, actual[0].length);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(expected[c], actual[c], "channel " + c + ": lossless");
        }
        Map<String, String> stream = probe(flac, "stream=codec_name,sample_rate,channels,bits_per_raw_sample,duration");
        assertEquals("flac", stream.get("codec_name"));
        assertEquals(String.valueOf(RATE), stream.get("sample_rate"));
        assertEquals("2", stream.get("channels"));
        assertEquals(String.valueOf(bits), stream.get("bits_per_raw_sample"));
        assertEquals(10.0, Double.parseDouble(stream.get("duration")), 1e-3);
    }

    @Test
    void broadcastWaveCarriesItsBextFields() throws Exception {
        JackServer.requireTools("ffprobe");
        Path file = folder.resolve("master.wav");
        DeliverySpec spec = new DeliverySpec(Container.BWF, SampleFormat.PCM_24, Dither.Kind.TPDF, -23, -1,
                "Song for the radio", 96_000, 0);
        DeliveryReport report = Delivery.deliver(file, RATE, 2, spec, DeliveryTest.mix("noise", RATE, 10), MADE);
        Map<String, String> tags = probe(file, "format_tags");
        assertEquals("Song for the radio", tags.get("comment"), "the description");
        assertEquals("Desk", tags.get("encoded_by"), "the originator");
        assertEquals("2026-12-04", tags.get("date"), "the origination date");
        assertEquals("10:15:30", tags.get("creation_time"), "the origination time");
        assertEquals("96000", tags.get("time_reference"));
        assertTrue(tags.get("coding_history").startsWith("A=PCM,F=48000,W=24,M=stereo,T=Desk tpdf dither"),
                tags.get("coding_history"));
        assertEquals(10.0, Double.parseDouble(probe(file, "format=duration").get("duration")), 1e-3);

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (!new String(bytes.array(), at, 4, StandardCharsets.US_ASCII).equals("bext")) {
            at += 8 + bytes.getInt(at + 4);
        }
        int body = at + 8;
        assertEquals(2, bytes.getShort(body + 346), "bext version 2");
        assertEquals(Math.round(report.integratedLufs() * 100), bytes.getShort(body + 412), "LoudnessValue");
        assertEquals(-2300, bytes.getShort(body + 412), 10, "near the target");
        assertEquals(Math.round(report.loudnessRangeLu() * 100), bytes.getShort(body + 414), "LoudnessRange");
        assertEquals(Math.round(report.truePeakDbtp() * 100), bytes.getShort(body + 416), "MaxTruePeakLevel");
        assertEquals(Math.round(report.maxMomentaryLufs() * 100), bytes.getShort(body + 418));
        assertEquals(Math.round(report.maxShortTermLufs() * 100), bytes.getShort(body + 420));
    }

    @Test
    void aDeliveryAtAnotherRateIsConvertedBeforeItIsLimited() throws Exception {
        JackServer.requireTools("ffprobe", "ffmpeg");
        Path file = folder.resolve("cd.flac");
        DeliverySpec spec = new DeliverySpec(Container.FLAC, SampleFormat.PCM_16, Dither.Kind.TPDF, -14, -1, "", 0,
                44_100);
        DeliveryReport report = Delivery.deliver(file, RATE, 2, spec, DeliveryTest.mix("song", RATE, 12), MADE);
        assertEquals(12L * 44_100, report.frames());
        Map<String, String> stream = probe(file, "stream=sample_rate,duration");
        assertEquals("44100", stream.get("sample_rate"));
        assertEquals(12.0, Double.parseDouble(stream.get("duration")), 1e-3);
        desk.engine.IndependentMeters.Reading ffmpeg = desk.engine.IndependentMeters.ffmpeg(file);
        assertEquals(-14, ffmpeg.integratedLufs(), 0.1, "ffmpeg's ebur128");
        assertTrue(ffmpeg.truePeakDbtp() <= -1.0, "ffmpeg's ebur128: " + ffmpeg.truePeakDbtp() + " dBTP");
    }
}
