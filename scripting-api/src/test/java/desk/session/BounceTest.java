package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bouncing against rendering: a bounce of the master holds, sample for sample, what the master plays over the
 * range (its inserts' latency taken out); a track bounced in place, played from its clip on the new track with
 * the old one muted, leaves the mix as it was (to -100 dBFS, once the change in latency is allowed for). The
 * desk is not touched while the bounce renders: its transport stays where it was.
 */
class BounceTest {
    @TempDir
    Path folder;

    /** A session in {@code folder}: a drum loop through a compressor and a limiter, and keys into a reverb. */
    private Session session(int rate) throws IOException {
        Path loop = folder.resolve("loop-" + rate + ".wav");
        float[][] samples = new float[1][2 * rate];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < samples[0].length; i++) {
            double since = (i % (rate / 2)) / (double) rate;
            samples[0][i] = (float) (0.5 * Math.exp(-since / 0.05) * (random.nextDouble() * 2 - 1));
        }
        try (WavWriter writer = WavWriter.create(loop, rate, 1, SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, samples[0].length);
        }
        Session session = new Session(new LocalEngineLink(new Engine(rate, 2)));
        session.recorder().folder(folder);
        Bus verb = session.bus("Verb", "aux", 2);
        verb.insert("reverb", Map.of("decay", 0.8), -1, false);
        Track drums = session.track("Drums", 1);
        drums.clip(loop, loop.getFileName().toString(), false, 0, null, rate / 4, 0, 0, 0);
        drums.monitoring("off");
        drums.insert("compressor", Map.of("threshold", -24.0, "ratio", 4.0), -1, false);
        drums.insert("limiter", Map.of("ceiling", -6.0), -1, false);
        drums.fader(-3);
        drums.pan(0.3);
        Track keys = session.track("Keys", 1);
        keys.input(session.generator("sine", Map.of("freq", 330.0, "level", -20.0)));
        keys.send(verb, -6, false);
        return session;
    }

    /** The master from timeline sample 0 for {@code frames}, as {@code session} plays it. */
    private static float[][] master(Session session, int frames) throws IOException {
        session.locate(0.0);
        session.play();
        Engine engine = ((LocalEngineLink) session.link()).engine();
        return new OfflineRenderer(engine).renderToMemory(frames, BlockSizes.fixed(256));
    }

    @ParameterizedTest
    @ValueSource(ints = {44100, 48000})
    void aBounceOfTheMasterIsWhatTheMasterPlays(int rate) throws IOException {
        Session session = session(rate);
        session.locate(1.5);
        Track bounced = Bounce.bounce(session, session.master(), 0, 2L * rate, "Mix bounce");
        assertEquals((long) (1.5 * rate), session.transportSample(), "the desk stayed where it was");
        assertEquals(2, bounced.channels());
        Clip clip = bounced.clips().get(0);
        assertEquals(0, clip.position());
        assertEquals(2L * rate, clip.length());
        assertEquals("bounces/Mix bounce.wav", folder.relativize(clip.file()).toString());
        float[][] file = WavReader.read(clip.file()).samples();
        bounced.mute(true);
        int latency = ((LocalEngineLink) session.link()).engine().processingLatency();
        assertTrue(latency > 0, "the limiter delays the mix");
        float[][] master = master(session, 2 * rate + latency);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 2 * rate; i++) {
                assertEquals(master[c][i + latency], file[c][i], 1e-6f, "channel " + c + " sample " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {44100, 48000})
    void aTrackBouncedInPlaceLeavesTheMixAsItWas(int rate) throws IOException {
        Session before = session(rate);
        int latencyBefore = ((LocalEngineLink) before.link()).engine().processingLatency();
        float[][] mix = master(before, 2 * rate + latencyBefore);
        float loudest = 0;
        for (float sample : mix[1]) {
            loudest = Math.max(loudest, Math.abs(sample));
        }
        assertTrue(loudest > 0.2, "the drums are in the mix: " + loudest);

        Session session = session(rate);
        Track drums = (Track) session.find("Drums");
        Track printed = Bounce.inPlace(drums, 0, 2L * rate + rate / 4);
        assertEquals("Drums bounce", printed.name());
        assertTrue(drums.mute(), "the source is muted");
        assertEquals(1, printed.channels());
        assertEquals(-3, printed.fader());
        assertEquals(0.3, printed.pan());
        assertEquals("off", printed.monitoring(), "it plays its clip back");
        int latencyAfter = ((LocalEngineLink) session.link()).engine().processingLatency();
        float[][] after = master(session, 2 * rate + latencyAfter);
        double worst = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 2 * rate; i++) {
                worst = Math.max(worst, Math.abs(after[c][i + latencyAfter] - mix[c][i + latencyBefore]));
            }
        }
        assertTrue(20 * Math.log10(worst) < -100, "the residual is " + 20 * Math.log10(worst) + " dBFS");
        assertEquals("Drums bounce 2", Bounce.inPlace(drums, 0, rate).name(), "a second bounce gets a name of its own");
    }

    @ParameterizedTest
    @ValueSource(ints = {48000})
    void aBounceThatCannotBeIsRefusedWithNothingMade(int rate) throws IOException {
        Session session = session(rate);
        Track keys = (Track) session.find("Keys");
        assertEquals("session.bounce source Keys: a track is bounced with Keys.bounceInPlace()",
                assertThrows(DeskException.class, () -> Bounce.bounce(session, keys, 0, rate, "X")).getMessage());
        assertEquals("session.bounce to \"Keys\": there is a strip of that name; choose another",
                assertThrows(DeskException.class, () -> Bounce.bounce(session, session.master(), 0, rate, "Keys"))
                        .getMessage());
        assertEquals("session.bounce range: the end must come after the start", assertThrows(DeskException.class,
                () -> Bounce.bounce(session, session.master(), rate, rate, "X")).getMessage());
        assertEquals(List.of("Drums", "Keys"), session.tracks().stream().map(Strip::name).toList());
        assertFalse(Files.exists(folder.resolve("bounces").resolve("X.wav")));
    }
}
