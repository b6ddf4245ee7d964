package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import desk.engine.rt.GeneratorRender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clips play their file region at their timeline position with their gain and fades, exactly, through the
 * track's strip, at every rate and block size, across locates and edits; live, the audio thread never
 * waits: after a locate it plays silence until the disk reader is there, counts it, then plays in place.
 */
class ClipTest {
    @TempDir
    Path folder;

    private Path noiseFile(String name, int rate, int channels, int frames, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] samples = new float[channels][frames];
        for (float[] channel : samples) {
            for (int i = 0; i < frames; i++) {
                channel[i] = (float) (random.nextDouble() - 0.5);
            }
        }
        Path file = folder.resolve(name);
        try (WavWriter writer = WavWriter.create(file, rate, channels, SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, frames);
        }
        return file;
    }

    private static float[] fileChannel(Path file) throws Exception {
        return desk.engine.io.WavReader.read(file).samples()[0];
    }

    /** What clip {@code clip} plays at timeline sample {@code t}, as the reader computes it. */
    private static float expected(float[] file, EngineCommand.Clip clip, long t) {
        long k = t - clip.position();
        if (k < 0 || k >= clip.length()) {
            return 0f;
        }
        double g = desk.engine.dsp.Decibels.toGain(clip.gainDb());
        if (k < clip.fadeIn()) {
            g *= (double) k / clip.fadeIn();
        }
        if (k >= clip.length() - clip.fadeOut()) {
            g *= (double) (clip.length() - 1 - k) / clip.fadeOut();
        }
        return 0f + file[(int) (clip.fileOffset() + k)] * (float) g;
    }

    /** A mono track playing back only (monitoring off), centre-panned at 0 dB, so the master's left is the track. */
    private static int playbackTrack(Rig rig) {
        int track = rig.track(1);
        rig.engine.execute(new EngineCommand.SetMonitoring(track, MonitorMode.OFF));
        rig.set(track, Parameter.PAN_LAW, 0);
        return track;
    }

    @ParameterizedTest(name = "{0} Hz, {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void clipsPlayTheirRegionAtTheirPositionWithGainAndFadesExactly(int rate, BlockSizes blocks) throws Exception {
        Path a = noiseFile("a.wav", rate, 1, 20_000, 1);
        Path b = noiseFile("b.wav", rate, 1, 9_000, 2);
        Rig rig = new Rig(rate);
        int track = playbackTrack(rig);
        EngineCommand.Clip first = new EngineCommand.Clip(a, 1_000, 12_000, 3_000, -6, 500, 700, false);
        EngineCommand.Clip second = new EngineCommand.Clip(b, 0, 9_000, 14_000, 12, 0, 0, false);
        rig.engine.execute(new EngineCommand.SetClips(track, List.of(first, second)));
        rig.engine.execute(new EngineCommand.Locate(2_000));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[] out = rig.render(25_000, blocks)[0];
        float[] fa = fileChannel(a);
        float[] fb = fileChannel(b);
        for (int i = 0; i < out.length; i++) {
            long t = 2_000L + i;
            assertEquals(expected(fa, first, t) + expected(fb, second, t), out[i], "timeline sample " + t);
        }
    }

    @Test
    void aStereoClipFeedsItsTrackChannelByChannelAndAMonoClipFeedsBoth() throws Exception {
        int rate = 48_000;
        Path stereo = noiseFile("stereo.wav", rate, 2, 3_000, 9);
        Path mono = noiseFile("mono.wav", rate, 1, 3_000, 10);
        Rig rig = new Rig(rate);
        int track = rig.track(2);
        rig.engine.execute(new EngineCommand.SetMonitoring(track, MonitorMode.OFF));
        rig.set(track, Parameter.PAN_LAW, 0);
        rig.engine.execute(new EngineCommand.SetClips(track, List.of(new EngineCommand.Clip(stereo, 0, 3_000, 0, 0, 0, 0, false),
                new EngineCommand.Clip(mono, 0, 3_000, 3_000, 0, 0, 0, false))));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[][] out = rig.render(6_000, BlockSizes.fixed(256));
        float[][] s = desk.engine.io.WavReader.read(stereo).samples();
        float[] m = fileChannel(mono);
        for (int i = 0; i < 3_000; i++) {
            assertEquals(s[0][i], out[0][i], "left at " + i);
            assertEquals(s[1][i], out[1][i], "right at " + i);
            assertEquals(m[i], out[0][3_000 + i], "mono, left, at " + (3_000 + i));
            assertEquals(m[i], out[1][3_000 + i], "mono, right, at " + (3_000 + i));
        }
    }

    @Test
    void aLocateAndAnEditLandOnTheirSamplesOffline() throws Exception {
        int rate = 48_000;
        Path a = noiseFile("a.wav", rate, 1, 48_000, 3);
        Rig rig = new Rig(rate);
        int track = playbackTrack(rig);
        EngineCommand.Clip clip = new EngineCommand.Clip(a, 0, 48_000, 0, 0, 0, 0, false);
        EngineCommand.Clip louder = new EngineCommand.Clip(a, 0, 48_000, 0, 6, 0, 0, false);
        rig.engine.execute(new EngineCommand.SetClips(track, List.of(clip)));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        rig.engine.execute(new EngineCommand.At(1_000, new EngineCommand.Locate(30_000)));
        rig.engine.execute(new EngineCommand.At(3_000, new EngineCommand.SetClips(track, List.of(louder))));
        float[] out = rig.render(4_000, BlockSizes.random(5, 1, 700))[0];
        float[] file = fileChannel(a);
        for (int i = 0; i < 4_000; i++) {
            long t = i < 1_000 ? i : 29_000 + i;
            float want = i < 3_000 ? expected(file, clip, t) : expected(file, louder, t);
            assertEquals(want, out[i], "engine sample " + i);
        }
    }

    @Test
    void monitoringDecidesBetweenTheLiveInputAndTheClips() throws Exception {
        int rate = 48_000;
        Path a = noiseFile("a.wav", rate, 1, 10_000, 4);
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.set(track, Parameter.PAN_LAW, 0);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(1000, -6)));
        rig.engine.execute(new EngineCommand.SetClips(track, List.of(new EngineCommand.Clip(a, 0, 10_000, 0, 0, 0, 0, false))));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[] input = rig.render(2_000, BlockSizes.fixed(100))[0];
        float[] sine = GeneratorRender.expected(GeneratorSpec.sine(1000, -6), rate, 0, 2_000);
        for (int i = 0; i < 2_000; i++) {
            assertEquals(sine[i], input[i], "input mode: the live input, clips not played, at " + i);
        }
        rig.engine.execute(new EngineCommand.SetMonitoring(track, MonitorMode.AUTO));
        float[] auto = rig.render(4_000, BlockSizes.fixed(100))[0];
        int declick = rate * Limits.DECLICK_MILLISECONDS / 1000;
        float[] file = fileChannel(a);
        for (int i = declick; i < 4_000; i++) {
            assertEquals(file[2_000 + i], auto[i], "auto, unarmed, rolling: the clips, at " + (2_000 + i));
        }
    }

    @Test
    void liveTheAudioThreadNeverWaitsAndPlaysInPlaceOnceTheDiskIsThere() throws Exception {
        int rate = 48_000;
        Path a = noiseFile("a.wav", rate, 1, 5 * rate, 5);
        Rig rig = new Rig(rate);
        int track = playbackTrack(rig);
        EngineCommand.Clip clip = new EngineCommand.Clip(a, 0, 5L * rate, 0, 0, 0, 0, false);
        rig.engine.execute(new EngineCommand.SetClips(track, List.of(clip)));
        rig.engine.execute(new EngineCommand.Locate(rate));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[][] playback = new float[2][256];
        float[] out = new float[rate];
        rig.engine.setAudioThreadRunning(true);
        for (int done = 0; done < rate; done += 256) {
            long started = System.nanoTime();
            rig.engine.rtProcess(new float[0][], playback, 256);
            System.arraycopy(playback[0], 0, out, done, Math.min(256, rate - done));
            assertTrue(System.nanoTime() - started < 200_000_000L, "a block never waits for the disk");
            Thread.sleep(5);
        }
        rig.engine.setAudioThreadRunning(false);
        float[] file = fileChannel(a);
        int first = 0;
        while (first < rate && out[first] == 0f) {
            first++;
        }
        assertTrue(first > 0 && first < rate / 2, "silence until the disk reader was there: " + first + " frames");
        for (int i = first; i < rate; i++) {
            assertEquals(file[rate + i], out[i], "in place after " + first + " frames, at " + i);
        }
        assertEquals(first, rig.engine.disk().playbackFramesMissed(), "the frames played as silence are counted");
    }

    @Test
    void badClipsAreRefusedWithOneLine() throws Exception {
        Rig rig = new Rig(48_000);
        int mono = rig.track(1);
        Path good = noiseFile("good.wav", 48_000, 1, 1_000, 6);
        Path stereo = noiseFile("stereo.wav", 48_000, 2, 1_000, 7);
        Path slow = noiseFile("slow.wav", 44_100, 1, 1_000, 8);
        Path text = Files.writeString(folder.resolve("notes.wav"), "not audio");
        Path missing = folder.resolve("missing.wav");
        record Case(EngineCommand.Clip clip, String message) {
        }
        for (Case c : List.of(
                new Case(new EngineCommand.Clip(missing, 0, 10, 0, 0, 0, 0, false), missing + ": file not found"),
                new Case(new EngineCommand.Clip(text, 0, 10, 0, 0, 0, 0, false), text + ": not a WAV file (no RIFF/RF64 header at byte 0)"),
                new Case(new EngineCommand.Clip(slow, 0, 10, 0, 0, 0, 0, false), "clip file " + slow
                        + " is at 44100 Hz: the engine runs at 48000 Hz (convert it first, e.g. with sox)"),
                new Case(new EngineCommand.Clip(stereo, 0, 10, 0, 0, 0, 0, false), "clip file " + stereo + " has 2 channels:"
                        + " track " + mono + " has 1 (a clip is mono or as wide as its track)"),
                new Case(new EngineCommand.Clip(good, 900, 200, 0, 0, 0, 0, false), "clip region 900 + 200 frames: good.wav has 1000 frames"),
                new Case(new EngineCommand.Clip(good, 0, 100, 0, 18.5, 0, 0, false), "clip gain 18.5 dB: must be -inf or -144..18 dB"),
                new Case(new EngineCommand.Clip(good, 0, 100, 0, 0, 60, 50, false), "clip fades 60 and 50 frames: each 0 or"
                        + " more, together at most the clip's 100 frames"),
                new Case(new EngineCommand.Clip(good, 0, 100, -1, 0, 0, 0, false), "clip position -1: must be 0..1099511627776 samples"))) {
            EngineException refused = assertThrows(EngineException.class,
                    () -> rig.engine.execute(new EngineCommand.SetClips(mono, List.of(new EngineCommand.Clip(good, 0, 10, 0, 0, 0, 0, false), c.clip()))));
            assertEquals(c.message(), refused.getMessage());
        }
    }
}
