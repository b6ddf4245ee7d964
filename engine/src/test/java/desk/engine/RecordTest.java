package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.io.AudioFile;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import desk.engine.record.Take;
import desk.engine.record.TakeFile;
import desk.engine.rt.GeneratorRender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Takes hold exactly what the tracks' inputs carried, from exactly the sample the take started, at exactly
 * the timeline position the transport had then, across sample rates and block sizes; playing a take back
 * against its source with the polarity inverted cancels to digital silence.
 */
class RecordTest {
    @TempDir
    Path folder;

    /** The generators of the eight tracks: noise of two colours, sines, a square and impulses. */
    private static List<GeneratorSpec> sources() {
        return List.of(GeneratorSpec.noise(false, -18, 1), GeneratorSpec.noise(true, -18, 2),
                GeneratorSpec.sine(440, -12), GeneratorSpec.sine(1000.5, -6), GeneratorSpec.square(110, -20),
                GeneratorSpec.impulse(-3, 100, 4801), GeneratorSpec.noise(false, -1, 7), GeneratorSpec.sine(30, 0));
    }

    private static float[] channel(AudioFile file, int c) {
        return file.samples()[c];
    }

    /** Records eight tracks from engine sample {@code start} with the transport at {@code position}. */
    private List<Take.Result> recordEight(Rig rig, int[] tracks, long start, long position, int frames,
                                          SampleFormat format, BlockSizes blocks, String prefix) throws Exception {
        List<EngineCommand.TakeTrack> takeTracks = new ArrayList<>();
        for (int t = 0; t < tracks.length; t++) {
            takeTracks.add(new EngineCommand.TakeTrack(tracks[t], folder.resolve(prefix + "-" + (t + 1) + ".wav")));
        }
        rig.engine.execute(new EngineCommand.Locate(position - start));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        rig.engine.execute(new EngineCommand.At(start, new EngineCommand.StartTake(takeTracks, format, 5)));
        rig.engine.execute(new EngineCommand.At(start + frames, new EngineCommand.StopTake()));
        rig.render((int) (start + frames + 1000), blocks);
        waitForTakes(rig.engine);
        return rig.engine.disk().finished();
    }

    static void waitForTakes(Engine engine) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (engine.disk().recording() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(engine.disk().recording(), "the take's files were closed");
    }

    private int[] eightTracks(Rig rig) {
        int[] tracks = new int[8];
        for (int t = 0; t < 8; t++) {
            tracks[t] = rig.track(1);
            rig.feed(tracks[t], 1, rig.generator(sources().get(t)));
        }
        return tracks;
    }

    @Test
    void eightTracksRecordSixtySecondsSampleExactAndNullAgainstTheirSources() throws Exception {
        int rate = 48000;
        int frames = 60 * rate;
        long start = 12_345;
        long position = 1_000_003;
        Rig rig = new Rig(rate);
        int[] tracks = eightTracks(rig);
        List<Take.Result> takes = recordEight(rig, tracks, start, position, frames, SampleFormat.FLOAT_32,
                BlockSizes.random(77, 1, 4096), "sixty");
        assertEquals(8, takes.size());
        assertEquals(List.of(), rig.engine.disk().problems());
        for (int t = 0; t < 8; t++) {
            Take.Result take = takes.get(t);
            assertEquals(tracks[t], take.trackId());
            assertEquals(position, take.position(), "timeline position of track " + (t + 1));
            assertEquals(frames, take.frames());
            assertEquals(position, TakeFile.timeReference(take.file()), "bext time reference");
            AudioFile file = WavReader.read(take.file());
            assertEquals(frames, file.frames());
            assertArrayEquals(GeneratorRender.expected(sources().get(t), rate, start, frames), channel(file, 0),
                    "track " + (t + 1) + " holds its source's samples from engine sample " + start);
        }

        Rig playback = new Rig(rate);
        for (int t = 0; t < 8; t++) {
            int take = playback.id();
            playback.engine.execute(new EngineCommand.CreateFileSource(take, takes.get(t).file(), start, false, false));
            int played = playback.track(1);
            playback.feed(played, 1, take);
            int source = playback.track(1);
            playback.feed(source, 1, playback.generator(sources().get(t)));
            playback.engine.execute(new EngineCommand.SetPolarity(source, new boolean[]{true}));
        }
        float[][] master = playback.render((int) start + frames, BlockSizes.fixed(1024));
        assertEquals(Double.NEGATIVE_INFINITY, Rig.peakDb(master[0], (int) start, (int) start + frames),
                "takes played back against their sources, inverted: the residual");
        assertTrue(Rig.peakDb(master[0], 0, (int) start) > -20, "before the takes the sources sound alone");
    }

    @ParameterizedTest(name = "{0} Hz, {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void twentyFourBitTakesHoldTheQuantizedInputAtEveryRateAndBlockSize(int rate, BlockSizes blocks) throws Exception {
        int frames = rate / 2;
        long start = 777;
        Rig rig = new Rig(rate);
        int[] tracks = eightTracks(rig);
        List<Take.Result> takes = recordEight(rig, tracks, start, 48_000, frames, SampleFormat.PCM_24, blocks, "pcm");
        for (int t = 0; t < 8; t++) {
            AudioFile file = WavReader.read(takes.get(t).file());
            assertEquals(24, file.bitsPerSample());
            float[] source = GeneratorRender.expected(sources().get(t), rate, start, frames);
            float[] quantized = new float[frames];
            for (int i = 0; i < frames; i++) {
                quantized[i] = WavWriter.quantize(source[i], 24) / (float) (1 << 23);
            }
            assertArrayEquals(quantized, channel(file, 0), "track " + (t + 1));
            assertEquals(48_000, takes.get(t).position());
        }
    }

    @Test
    void aStereoTrackRecordsBothChannelsAndTheTakeLandsEarlierByTheRoundTripLatency() throws Exception {
        int rate = 44100;
        Rig rig = new Rig(rate);
        int track = rig.track(2);
        int left = rig.generator(GeneratorSpec.sine(300, -6));
        int right = rig.generator(GeneratorSpec.noise(false, -12, 3));
        rig.engine.execute(new EngineCommand.SetInput(track, 0, left, 0));
        rig.engine.execute(new EngineCommand.SetInput(track, 1, right, 0));
        rig.engine.setLatency(64, 192);
        rig.engine.execute(new EngineCommand.Locate(10_000));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        Path file = folder.resolve("stereo.wav");
        rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(track, file)),
                SampleFormat.FLOAT_32, 1));
        rig.engine.execute(new EngineCommand.At(5000, new EngineCommand.StopTake()));
        rig.render(6000, BlockSizes.fixed(333));
        waitForTakes(rig.engine);
        Take.Result take = rig.engine.disk().finished().get(0);
        assertEquals(10_000 - 256, take.position(), "transport position at the first frame less 64 + 192");
        AudioFile audio = WavReader.read(file);
        assertEquals(2, audio.channels());
        assertArrayEquals(GeneratorRender.expected(GeneratorSpec.sine(300, -6), rate, 0, 5000), channel(audio, 0));
        assertArrayEquals(GeneratorRender.expected(GeneratorSpec.noise(false, -12, 3), rate, 0, 5000), channel(audio, 1));
    }

    /**
     * A performer plays against the playback they hear; with a limiter on the master they hear it later by its
     * lookahead, and play later by as much. The take lands on the same timeline sample either way.
     */
    @Test
    void aTakePlayedAgainstPlaybackDelayedByInsertsLandsOnTheSameSampleAsWithout() throws Exception {
        long[] landed = new long[2];
        for (int run = 0; run < 2; run++) {
            Rig rig = new Rig(48000);
            int latency = 0;
            if (run == 1) {
                rig.engine.execute(new EngineCommand.AddInsert(rig.id(), NodeIds.MASTER_ID, "limiter", -1,
                        java.util.Map.of(), false));
                latency = rig.engine.stripLatency(NodeIds.MASTER_ID);
                assertTrue(latency > 0, "the limiter delays the playback");
            }
            int track = rig.track(1);
            rig.feed(track, 1, rig.generator(GeneratorSpec.impulse(-6, 3000 + latency, 0)));
            rig.engine.execute(new EngineCommand.SetTransport(true));
            Path file = folder.resolve("played-" + run + ".wav");
            rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(track, file)),
                    SampleFormat.FLOAT_32, 1));
            rig.engine.execute(new EngineCommand.At(8000, new EngineCommand.StopTake()));
            rig.render(9000, BlockSizes.fixed(128));
            waitForTakes(rig.engine);
            Take.Result take = rig.engine.disk().finished().get(0);
            float[] samples = channel(WavReader.read(file), 0);
            int hit = 0;
            while (samples[hit] == 0f) {
                hit++;
            }
            landed[run] = take.position() + hit;
        }
        assertEquals(3000, landed[0]);
        assertEquals(landed[0], landed[1], "the same timeline sample with the limiter's latency as without");
    }

    @Test
    void framesThatWouldLandBeforeTheTimelineStartAreNotWritten() throws Exception {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(false, -6, 5)));
        rig.engine.setLatency(100, 0);
        rig.engine.execute(new EngineCommand.Locate(40));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        Path file = folder.resolve("early.wav");
        rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(track, file)),
                SampleFormat.FLOAT_32, 1));
        rig.engine.execute(new EngineCommand.At(1000, new EngineCommand.StopTake()));
        rig.render(1200, BlockSizes.fixed(7));
        waitForTakes(rig.engine);
        Take.Result take = rig.engine.disk().finished().get(0);
        assertEquals(0, take.position());
        assertEquals(940, take.frames());
        assertArrayEquals(GeneratorRender.expected(GeneratorSpec.noise(false, -6, 5), 48000, 60, 940), channel(WavReader.read(file), 0));
    }

    @Test
    void aTakeGivenItsLatencyLandsEarlierByThatRatherThanByTheEngines() throws Exception {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(false, -6, 4)));
        rig.engine.setLatency(64, 192);
        rig.engine.execute(new EngineCommand.Locate(10_000));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(track,
                folder.resolve("placed.wav"))), SampleFormat.FLOAT_32, 1, 2_304L));
        rig.engine.execute(new EngineCommand.At(1000, new EngineCommand.StopTake()));
        rig.render(1200, BlockSizes.fixed(128));
        waitForTakes(rig.engine);
        assertEquals(10_000 - 2_304, rig.engine.disk().finished().get(0).position());

        EngineException refused = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(track, folder.resolve("bad.wav"))),
                        SampleFormat.FLOAT_32, 1, -1L)));
        assertEquals("take latency -1 samples: must be 0.." + Limits.MAX_SAMPLE_TIME, refused.getMessage());
        assertFalse(Files.exists(folder.resolve("bad.wav")), "nothing made");
    }

    /**
     * A node's engine follows the main one's clock, and leaps ahead with it past periods the network lost: the
     * take fills the leap with silence and stays on the timeline.
     */
    @Test
    void aLeapOfTheTransportWhileRecordingIsFilledWithSilence() throws Exception {
        Path file = folder.resolve("leap.wav");
        Take.Result take = recordThroughALeap(11, file, null, 1000, 200, 1500, 400, 500, 1);
        assertEquals(1000, take.position());
        float[] all = GeneratorRender.expected(GeneratorSpec.noise(false, -6, 11), 48000, 0, 400);
        float[] wanted = new float[700];
        System.arraycopy(all, 0, wanted, 0, 200);
        System.arraycopy(all, 200, wanted, 500, 200);
        assertArrayEquals(wanted, channel(WavReader.read(file), 0), "200 frames, 300 of silence, 200 frames");
        assertEquals(300, take.filled());
        assertEquals(0, take.leftOut());
    }

    @Test
    void aLeapBackOfTheTransportWhileRecordingLeavesOutWhatTheTakeHoldsAlready() throws Exception {
        Path file = folder.resolve("back.wav");
        Take.Result take = recordThroughALeap(12, file, null, 1000, 200, 1100, 400, 500, 1);
        float[] all = GeneratorRender.expected(GeneratorSpec.noise(false, -6, 12), 48000, 0, 400);
        float[] wanted = new float[300];
        System.arraycopy(all, 0, wanted, 0, 200);
        System.arraycopy(all, 300, wanted, 200, 100);
        assertArrayEquals(wanted, channel(WavReader.read(file), 0),
                "timeline 1000..1200 as first recorded, then from 1200 on after the leap back to 1100");
        assertEquals(0, take.filled());
        assertEquals(100, take.leftOut());
    }

    /**
     * A node that lost periods just before and after its transport went round the loop: the frames missing on
     * both sides of the jump are filled with silence, so each pass stays a loop long.
     */
    @Test
    void aJumpRoundTheLoopWithFramesMissingOnBothSidesIsFilledWithSilence() throws Exception {
        Path file = folder.resolve("round.wav");
        Take.Result take = recordThroughALeap(13, file, new desk.engine.LoopRange(1000, 2000), 1800, 100, 1050, 300,
                400, 1);
        float[] all = GeneratorRender.expected(GeneratorSpec.noise(false, -6, 13), 48000, 0, 300);
        float[] wanted = new float[450];
        System.arraycopy(all, 0, wanted, 0, 100);
        System.arraycopy(all, 100, wanted, 250, 200);
        assertArrayEquals(wanted, channel(WavReader.read(file), 0), "1800..1900, 100 + 50 missing, then 1050 on");
        assertEquals(150, take.filled());
    }

    @Test
    void aLeapAheadTooLongToFillEndsTheTakeThere() throws Exception {
        Path file = folder.resolve("ended.wav");
        recordThroughALeap(14, file, null, 1000, 200, 1200 + desk.engine.rt.TakeTap.MAX_FILL + 1, -1, 1000, 5);
        assertArrayEquals(GeneratorRender.expected(GeneratorSpec.noise(false, -6, 14), 48000, 0, 200),
                channel(WavReader.read(file), 0), "the take ends where the transport leapt too far");
    }

    /**
     * Records noise (seed {@code seed}) on a mono track into {@code file} from timeline sample {@code from} (round
     * {@code loop}, if not null; with a ring of {@code ringSeconds}), has the transport leap to {@code leapTo}
     * {@code leapAt} samples in and the take stop {@code stopAt} samples in (never, if negative), renders
     * {@code frames} frames in 64-frame blocks and returns the finished take.
     */
    private static Take.Result recordThroughALeap(int seed, Path file, desk.engine.LoopRange loop, long from,
                                                  long leapAt, long leapTo, long stopAt, int frames,
                                                  int ringSeconds) throws Exception {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(false, -6, seed)));
        if (loop != null) {
            rig.engine.execute(new EngineCommand.SetLoop(loop));
        }
        rig.engine.execute(new EngineCommand.Locate(from));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(track, file)),
                SampleFormat.FLOAT_32, ringSeconds));
        rig.engine.execute(new EngineCommand.At(leapAt, new EngineCommand.Locate(leapTo)));
        if (stopAt >= 0) {
            rig.engine.execute(new EngineCommand.At(stopAt, new EngineCommand.StopTake()));
        }
        rig.render(frames, BlockSizes.fixed(64));
        waitForTakes(rig.engine);
        return rig.engine.disk().finished().get(0);
    }

    /** A stop that comes before the take it stops has started (sent ahead for a punch-in): nothing records. */
    @Test
    void aStopBeforeItsTakeStartsLeavesNothingRecording() throws Exception {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(false, -6, 15)));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        rig.engine.execute(new EngineCommand.At(10_000, new EngineCommand.StartTake(List.of(
                new EngineCommand.TakeTrack(track, folder.resolve("never.wav"))), SampleFormat.FLOAT_32, 1)));
        rig.engine.execute(new EngineCommand.StopTake());
        rig.render(20_000, BlockSizes.fixed(256));
        waitForTakes(rig.engine);
        assertEquals(0, rig.engine.disk().finished().get(0).frames(), "the take never recorded");
    }

    @Test
    void aStoppedTransportRecordsNothingAndResumesWhereItLeftOff() throws Exception {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(false, -6, 9)));
        Path file = folder.resolve("paused.wav");
        rig.engine.execute(new EngineCommand.SetTransport(true));
        rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(track, file)),
                SampleFormat.FLOAT_32, 1));
        rig.engine.execute(new EngineCommand.At(100, new EngineCommand.SetTransport(false)));
        rig.engine.execute(new EngineCommand.At(300, new EngineCommand.SetTransport(true)));
        rig.engine.execute(new EngineCommand.At(400, new EngineCommand.StopTake()));
        rig.render(500, BlockSizes.fixed(64));
        waitForTakes(rig.engine);
        float[] all = GeneratorRender.expected(GeneratorSpec.noise(false, -6, 9), 48000, 0, 400);
        float[] wanted = new float[200];
        System.arraycopy(all, 0, wanted, 0, 100);
        System.arraycopy(all, 300, wanted, 100, 100);
        assertArrayEquals(wanted, channel(WavReader.read(file), 0));
    }

    @Test
    void badTakesAreRefusedWholeAndNothingIsOverwritten() throws Exception {
        Rig rig = new Rig(48000);
        int silent = rig.track(1);
        int fed = rig.track(1);
        rig.feed(fed, 1, rig.generator(GeneratorSpec.sine(100, -6)));
        Path existing = Files.writeString(folder.resolve("existing.wav"), "keep me");
        Path fresh = folder.resolve("fresh.wav");

        EngineException noInput = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(silent, fresh)), SampleFormat.PCM_24, 5)));
        assertEquals("track " + silent + " has no input to record", noInput.getMessage());
        EngineException exists = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(fed, fresh),
                        new EngineCommand.TakeTrack(rig.track(1), existing)), SampleFormat.PCM_24, 5)));
        assertTrue(exists.getMessage().startsWith("track "), exists.getMessage());
        EngineException clash = assertThrows(EngineException.class, () -> {
            int other = rig.track(1);
            rig.feed(other, 1, rig.generator(GeneratorSpec.sine(200, -6)));
            rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(fed, fresh),
                    new EngineCommand.TakeTrack(other, existing)), SampleFormat.PCM_24, 5));
        });
        assertEquals("take " + existing + " exists already: takes are never overwritten", clash.getMessage());
        assertEquals("keep me", Files.readString(existing));
        assertFalse(Files.exists(fresh), "the take's other file was not left behind");
        assertEquals("no take is recording", assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.StopTake())).getMessage());
        assertEquals("take buffer 0.5 s: must be 1..60 s", assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(fed, fresh)),
                        SampleFormat.PCM_24, 0.5))).getMessage());
        assertEquals("track " + silent + " has no input: give it one before arming it", assertThrows(
                EngineException.class, () -> rig.engine.execute(new EngineCommand.SetArmed(silent, true))).getMessage());

        rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(fed, fresh)),
                SampleFormat.PCM_24, 5));
        assertEquals("a take is recording already: stop it first", assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(fed,
                        folder.resolve("second.wav"))), SampleFormat.PCM_24, 5))).getMessage());
        rig.engine.execute(new EngineCommand.StopTake());
        waitForTakes(rig.engine);
    }
}
