package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stems of a 16-track session with group buses, pre- and post-fader sends to a reverb return and inserts
 * with latency: every file has the render's length, and the stems of the strips routed straight to the
 * master sum to the master (which has no inserts and unity gain) with a residual below -100 dBFS. Before the
 * fader, a stem is the strip's own signal after trim and inserts. Before the
 * fader, a stem is the strip's own signal after trim and inserts.
 */
class StemsTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(ints = {44100, 48000, 96000})
    void theStemsIntoTheMasterSumToTheMaster(int rate) throws IOException {
        Session session = new Session(new LocalEngineLink(new Engine(rate, 2)));
        Bus drums = session.bus("Drums");
        Bus keys = session.bus("Keys");
        Bus verb = session.bus("Verb", "aux", 2);
        verb.insert("reverb", Map.of("decay", 1.2), -1, false);
        drums.insert("limiter", Map.of("ceiling", -3.0), -1, false);
        drums.fader(-2);
        keys.balance(-0.3);
        List<Strip> intoMaster = new ArrayList<>(List.of(drums, keys, verb));
        for (int t = 0; t < 16; t++) {
            Track track = session.track("Track " + (t + 1), t % 3 == 0 ? 2 : 1);
            track.input(session.generator("noise", Map.of("level", -24.0, "seed", t + 1)));
            track.fader(-3 - t % 5);
            if (track.channels() == 1) {
                track.pan((t % 7 - 3) / 4.0);
            }
            if (t < 8) {
                track.output(drums);
            } else if (t < 12) {
                track.output(keys);
            } else {
                intoMaster.add(track);
            }
            if (t % 2 == 0) {
                track.send(verb, -12, t % 4 == 0);
            }
            if (t % 5 == 1) {
                track.insert("compressor", Map.of("threshold", -30.0, "ratio", 4.0), -1, false);
            }
        }
        assertTrue(session.insertLatency() > 0, "an insert delays the mix, so the stems must be lined up");
        session.play();

        List<Strip> strips = new ArrayList<>(session.tracks());
        strips.addAll(session.buses());
        List<Path> files = session.exportStems(work.resolve("stems-" + rate), 1.5, strips, false, Tail.NONE);

        int frames = (int) Math.round(1.5 * rate);
        assertEquals(1 + strips.size(), files.size());
        assertEquals(work.resolve("stems-" + rate).resolve("master.wav"), files.getFirst());
        float[][] master = WavReader.read(files.getFirst()).samples();
        for (Path file : files) {
            assertEquals(frames, WavReader.read(file).samples()[0].length, file + " has the render's length");
        }
        double[][] sum = new double[2][frames];
        for (Strip strip : intoMaster) {
            float[][] stem = WavReader.read(files.get(1 + strips.indexOf(strip))).samples();
            assertEquals(2, stem.length, strip.name() + " feeds a stereo bus: its stem is stereo");
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < frames; i++) {
                    sum[c][i] += stem[c][i];
                }
            }
        }
        double loudest = 0;
        double residual = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < frames; i++) {
                loudest = Math.max(loudest, Math.abs(master[c][i]));
                residual = Math.max(residual, Math.abs(master[c][i] - sum[c][i]));
            }
        }
        assertTrue(loudest > 0.05, "the mix makes sound: " + loudest);
        assertTrue(20 * Math.log10(residual) < -100, "residual " + 20 * Math.log10(residual) + " dBFS");
    }

    @ParameterizedTest
    @ValueSource(ints = {44100, 48000})
    void beforeTheFaderAStemIsTheTracksOwnSignalOnItsOwnChannels(int rate) throws IOException {
        Session session = new Session(new LocalEngineLink(new Engine(rate, 2)));
        Track vox = session.track("Vox");
        vox.input(session.generator("sine", Map.of("freq", 440.0, "level", -12.0)));
        vox.trim(6);
        vox.fader(-20);
        vox.pan(-1);
        session.play();
        List<Path> files = session.exportStems(work.resolve("pre-" + rate), 0.5, List.of(vox), true, Tail.NONE);
        float[][] stem = WavReader.read(files.get(1)).samples();
        assertEquals(1, stem.length, "a mono track's stem before the fader is mono");
        float peak = 0;
        for (float sample : stem[0]) {
            peak = Math.max(peak, Math.abs(sample));
        }
        assertEquals(-6.0, 20 * Math.log10(peak), 0.01, "the -12 dBFS tone with its +6 dB trim, without the fader");
        assertEquals(WavReader.read(files.get(0)).frames(), stem[0].length, "as long as the master");
    }

    @ParameterizedTest
    @ValueSource(ints = {48000})
    void aStemOfTheMasterOrOfAnotherSessionsStripIsRefused(int rate) {
        Session session = new Session(new LocalEngineLink(new Engine(rate, 2)));
        Session other = new Session(new LocalEngineLink(new Engine(rate, 2)));
        Track elsewhere = other.track("Elsewhere");
        assertEquals("session.exportStems: the master is the mix itself: it has no stem of its own",
                assertThrows(DeskException.class, () -> session.exportStems(work.resolve("m"), 1,
                        List.of(session.master()), false, Tail.NONE)).getMessage());
        assertEquals("session.exportStems: Elsewhere belongs to another session", assertThrows(DeskException.class,
                () -> session.exportStems(work.resolve("o"), 1, List.of(elsewhere), false, Tail.NONE)).getMessage());
        assertEquals("session.exportStems seconds 0: must be above 0 and at most 86400", assertThrows(
                DeskException.class, () -> session.exportStems(work.resolve("z"), 0, List.of(), false, Tail.NONE)).getMessage());
    }
}
