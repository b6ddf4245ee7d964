package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Freezing against the live track: a track of clips through trim, polarity, an EQ, a compressor, a limiter
 * (latency) and a reverb (tail), frozen, plays within -120 dBFS of itself unfrozen, with the mix's latency
 * unchanged; while frozen its trim, inserts, input and clips refuse changes in one line and keep their values;
 * unfreezing brings the live chain back; the frozen state is saved and opened with the session, and undone and
 * redone.
 */
class FreezeTest {
    private static final int SECONDS = 3;

    @TempDir
    Path folder;

    private Session session(int rate, Path in) throws IOException {
        Files.createDirectories(in);
        Path loop = in.resolve("loop.wav");
        float[][] samples = new float[1][rate];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < samples[0].length; i++) {
            double since = (i % (rate / 4)) / (double) rate;
            samples[0][i] = (float) (0.5 * Math.exp(-since / 0.03) * (random.nextDouble() * 2 - 1));
        }
        try (WavWriter writer = WavWriter.create(loop, rate, 1, SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, samples[0].length);
        }
        Session session = new Session(new LocalEngineLink(new Engine(rate, 2)));
        session.recorder().folder(in);
        Track drums = session.track("Drums", 1);
        drums.clip(loop, "loop.wav", false, 0, null, rate / 10, 0, 0, 0);
        drums.monitoring("off");
        drums.trim(3);
        drums.phase(true);
        drums.insert("eq", Map.of("b2_freq", 2000.0, "b2_gain", 4.0), -1, false);
        drums.insert("compressor", Map.of("threshold", -24.0, "ratio", 4.0), -1, false);
        drums.insert("limiter", Map.of("ceiling", -6.0), -1, false);
        drums.insert("reverb", Map.of("decay", 0.8, "mix", 30.0), -1, false);
        drums.fader(-2);
        drums.pan(0.3);
        return session;
    }

    private static int latency(Session session) {
        return ((LocalEngineLink) session.link()).engine().processingLatency();
    }

    private static float[][] master(Session session, int frames) throws IOException {
        session.locate(0.0);
        session.play();
        return new OfflineRenderer(((LocalEngineLink) session.link()).engine()).renderToMemory(frames,
                BlockSizes.fixed(256));
    }

    private static double residualDb(float[][] a, float[][] b) {
        double worst = 0;
        for (int c = 0; c < a.length; c++) {
            for (int i = 0; i < a[c].length; i++) {
                worst = Math.max(worst, Math.abs(a[c][i] - b[c][i]));
            }
        }
        return 20 * Math.log10(worst);
    }

    @ParameterizedTest
    @ValueSource(ints = {44100, 48000})
    void aFrozenTrackPlaysWithin120DbOfItself(int rate) throws IOException {
        Session live = session(rate, folder.resolve("live-" + rate));
        float[][] unfrozen = master(live, SECONDS * rate);
        Session session = session(rate, folder.resolve("frozen-" + rate));
        int latency = latency(session);
        Track drums = (Track) session.find("Drums");
        Bounce.freeze(drums, 2L * rate);
        assertTrue(drums.frozen());
        assertEquals(".frozen/Drums.wav", session.recorder().folder().relativize(drums.frozenFile()).toString());
        assertEquals(latency, latency(session), "bypassed inserts keep their latency: nothing moves in time");
        float[][] frozen = master(session, SECONDS * rate);
        double residual = residualDb(frozen, unfrozen);
        System.out.printf("frozen at %d Hz: residual against the live track %.1f dBFS%n", rate, residual);
        assertTrue(residual < -120, "the frozen track plays itself: " + residual + " dBFS");
        float loudest = 0;
        for (float sample : unfrozen[0]) {
            loudest = Math.max(loudest, Math.abs(sample));
        }
        assertTrue(loudest > 0.1, "the drums sound: " + loudest);
    }

    /**
     * The session of {@link #session} with a mix around the drums: a kick their compressor listens to, and a
     * louder track with a look-ahead limiter (latency) through a reverb return.
     */
    private Session sessionWithAMix(int rate, Path in) throws IOException {
        Session session = session(rate, in);
        Path loop = in.resolve("loop.wav");
        Track kick = session.track("Kick", 1);
        kick.clip(loop, "loop.wav", false, 0, null, rate / 7, 0, 0, 0);
        kick.monitoring("off");
        Track other = session.track("Other", 1);
        other.clip(loop, "loop.wav", false, 0, null, rate / 3, 0, 0, 0);
        other.monitoring("off");
        other.insert("limiter", Map.of("ceiling", -3.0), -1, false);
        Bus reverb = session.bus("Reverb", "aux", 2);
        reverb.insert("reverb", Map.of("decay", 1.5, "mix", 100.0), -1, false);
        other.send(reverb, -6, false);
        ((Track) session.find("Drums")).inserts().get(1).sidechain(kick, "post");
        return session;
    }

    @Test
    void aTracksRenderKeepsOnlyTheTracksThatFeedItAndStillNullsInAMix() throws IOException {
        int rate = 48000;
        Session copy = sessionWithAMix(rate, folder.resolve("copy"));
        Bounce.keepWhatFeeds(copy, "Drums");
        assertEquals(java.util.List.of("Drums", "Kick"), copy.tracks().stream().map(Track::name).toList(),
                "the drums and the kick their compressor listens to");
        assertEquals(java.util.List.of("Reverb"), copy.buses().stream().map(Bus::name).toList(), "every bus stays");

        float[][] unfrozen = master(sessionWithAMix(rate, folder.resolve("live")), SECONDS * rate);
        Session session = sessionWithAMix(rate, folder.resolve("frozen"));
        Bounce.freeze((Track) session.find("Drums"), 2L * rate);
        double residual = residualDb(master(session, SECONDS * rate), unfrozen);
        assertTrue(residual < -120, "the frozen drums play themselves in the mix: " + residual + " dBFS");
    }

    @Test
    void aSideChainOnABusKeepsEveryTrack() throws IOException {
        Session copy = sessionWithAMix(48000, folder.resolve("bus-key"));
        ((Track) copy.find("Drums")).inserts().get(1).sidechain(copy.find("Reverb"), "post");
        Bounce.keepWhatFeeds(copy, "Drums");
        assertEquals(3, copy.tracks().size(), "a bus may be fed by any track: " + copy.tracks());
    }

    @Test
    void whileFrozenTheTracksChainRefusesChangesAndUnfreezingBringsItBack() throws IOException {
        int rate = 48_000;
        Session session = session(rate, folder.resolve("edits"));
        Track drums = (Track) session.find("Drums");
        Insert compressor = drums.inserts().get(1);
        Bounce.freeze(drums, 2L * rate);
        String unfreeze = ": Drums is frozen: Drums.unfreeze() first";
        assertEquals("Drums.trim" + unfreeze, assertThrows(DeskException.class, () -> drums.trim(0)).getMessage());
        assertEquals("Drums.phase" + unfreeze, assertThrows(DeskException.class, () -> drums.phase(false)).getMessage());
        assertEquals("Drums.insert" + unfreeze, assertThrows(DeskException.class,
                () -> drums.insert("gate", Map.of(), -1, false)).getMessage());
        assertEquals(compressor + ".threshold" + unfreeze, assertThrows(DeskException.class,
                () -> compressor.set("threshold", -10)).getMessage());
        assertEquals(compressor + ".bypass" + unfreeze, assertThrows(DeskException.class,
                () -> compressor.bypass(true)).getMessage());
        assertEquals(compressor + ".remove" + unfreeze, assertThrows(DeskException.class, compressor::remove)
                .getMessage());
        assertEquals("Drums.input" + unfreeze, assertThrows(DeskException.class,
                () -> drums.input((Object) null)).getMessage());
        assertEquals("Drums.clip" + unfreeze, assertThrows(DeskException.class, () -> drums.clip(
                drums.clips().get(0).file(), "again", false, 0, null, 0, 0, 0, 0)).getMessage());
        assertEquals(3, drums.trim());
        assertEquals(-24, compressor.get("threshold"));
        assertEquals(4, drums.inserts().size());
        assertEquals("Drums.freeze: Drums is frozen already", assertThrows(DeskException.class,
                () -> Bounce.freeze(drums, rate)).getMessage());
        drums.fader(-6);

        drums.unfreeze();
        assertFalse(drums.frozen());
        assertNull(drums.frozenFile());
        drums.fader(-2);
        Session live = session(rate, folder.resolve("live"));
        double residual = residualDb(master(session, SECONDS * rate), master(live, SECONDS * rate));
        assertTrue(residual < -120, "unfrozen, the live chain plays again: " + residual + " dBFS");
        assertEquals("Drums.unfreeze: Drums is not frozen", assertThrows(DeskException.class, drums::unfreeze)
                .getMessage());
    }

    @Test
    void theFrozenStateIsSavedOpenedUndoneAndRedone() throws IOException {
        int rate = 48_000;
        Path song = folder.resolve("song");
        Session session = session(rate, song);
        session.checkpoint();
        Track drums = (Track) session.find("Drums");
        Bounce.freeze(drums, 2L * rate);
        session.checkpoint();
        session.save();
        assertTrue(Files.readString(song.resolve("session.json")).contains("\"frozen\""));
        float[][] frozen = master(session, SECONDS * rate);

        Session opened = new Session(new LocalEngineLink(new Engine(rate, 2)));
        opened.open(song, false);
        Track again = (Track) opened.find("Drums");
        assertTrue(again.frozen(), "opened frozen");
        assertEquals(drums.frozenFile(), again.frozenFile());
        assertTrue(residualDb(master(opened, SECONDS * rate), frozen) < -120, "and plays its frozen file");

        session.undo();
        assertFalse(drums.frozen(), "undo unfreezes");
        drums.trim(3);
        session.redo();
        assertTrue(drums.frozen(), "redo freezes again");
        assertTrue(residualDb(master(session, SECONDS * rate), frozen) < -120, "as it was");
    }
}
