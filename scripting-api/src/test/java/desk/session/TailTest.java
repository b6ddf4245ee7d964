package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.delivery.Container;
import desk.engine.delivery.DeliveryReport;
import desk.engine.delivery.DeliverySpec;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tails: the inserts' tails add up along the longest path to the master; a render or stems with a tail stop the
 * transport at the range's end and go on while a reverb rings out, every file the same length, ending once all
 * of them have been below the silence threshold for 0.1 s, or at the cap.
 */
class TailTest {
    private static final int RATE = 48_000;

    @TempDir
    Path folder;

    /** A snare hit at 0.1 s on a clip, sent to a long reverb, and the engine. */
    private Session session() throws IOException {
        Path hit = folder.resolve("hit.wav");
        float[][] samples = new float[1][RATE / 2];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 2400; i++) {
            samples[0][RATE / 10 + i] = (float) (0.5 * (random.nextDouble() * 2 - 1) * (1 - i / 2400.0));
        }
        try (WavWriter writer = WavWriter.create(hit, RATE, 1, SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, samples[0].length);
        }
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 2)));
        Bus verb = session.bus("Verb", "aux", 2);
        verb.insert("reverb", Map.of("decay", 1.5, "mix", 100.0), -1, false);
        Track snare = session.track("Snare", 1);
        snare.clip(hit, "hit.wav", false, 0, null, 0, 0, 0, 0);
        snare.monitoring("off");
        snare.send(verb, -6, false);
        return session;
    }

    private static double engineTail(Session session) {
        return ((LocalEngineLink) session.link()).engine().tailSeconds();
    }

    @Test
    void theInsertsTailsAddUpAlongTheLongestPath() throws IOException {
        Session session = session();
        double reverb = engineTail(session);
        assertTrue(reverb >= 1.5 && reverb < 2, "the reverb's decay and its early part: " + reverb + " s");
        Track snare = (Track) session.find("Snare");
        snare.insert("delay", Map.of("time", 250.0, "feedback", 50.0), -1, false);
        assertTrue(engineTail(session) > reverb + 1, "a delay before the send adds its echoes: " + engineTail(session));
        session.track("Dry", 1);
        assertTrue(engineTail(session) > reverb + 1, "a strip with no tail takes nothing away");
    }

    @Test
    void stemsWithATailRingOutTogetherAndEndOnSilence() throws IOException {
        Session session = session();
        session.play();
        List<Path> files = session.exportStems(folder.resolve("stems"), 0.5, List.of(session.find("Snare"),
                session.find("Verb")), false, Tail.of("auto", -90));
        float[][] master = WavReader.read(files.get(0)).samples();
        int length = master[0].length;
        assertTrue(length > RATE, "the reverb rings on past the half second: " + length + " frames");
        assertTrue(length < RATE / 2 + Math.round(engineTail(session) * RATE) + 2048, "no longer than the cap");
        for (Path file : files) {
            assertEquals(length, WavReader.read(file).frames(), file + " is as long as the master");
        }
        for (int c = 0; c < 2; c++) {
            for (int i = length - RATE / 10; i < length; i++) {
                assertTrue(Math.abs(master[c][i]) < Math.pow(10, -90 / 20.0), "quiet at the end: sample " + i);
            }
        }
        assertEquals(0.2, (double) WavReader.read(session.exportStems(folder.resolve("capped"), 0.5,
                List.of(session.find("Snare")), false, Tail.of("0.2", -200)).get(1)).frames() / RATE - 0.5, 1e-9,
                "a tail of 0.2 s with nothing quiet enough to end it early");
    }

    @Test
    void aRenderWithATailRingsOutAfterTheRange() throws IOException {
        Session session = session();
        session.play();
        DeliveryReport report = session.render(folder.resolve("mix.wav"), 0.5,
                DeliverySpec.plain(Container.WAV, SampleFormat.FLOAT_32), Tail.of("auto", -90));
        assertTrue(report.frames() > RATE, report.summary());
        assertEquals(report.frames(), WavReader.read(folder.resolve("mix.wav")).frames());
        assertEquals("tail \"long\": must be \"auto\" or seconds, 0 to 600", assertThrows(
                IllegalArgumentException.class, () -> Tail.of("long", -90)).getMessage());
    }
}
