package desk.session;

import desk.engine.Engine;
import desk.engine.Limits;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import desk.engine.record.TakeFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recording from the session: arming (exclusive or not), record passes with punch in and out landing on
 * their exact samples, take files numbered on and never overwritten, takes listed again after a restart,
 * and every bad request refused with one line that changes nothing.
 */
class RecordingTest {
    @TempDir
    Path folder;

    private Engine engine;
    private Session session;

    @BeforeEach
    void setUp() {
        engine = new Engine(48_000, 2);
        session = new Session(new LocalEngineLink(engine));
        session.recorder().folder(folder);
    }

    /**
     * Lets the copy of unsaved changes, which ticking writes into the session folder on a thread of its own,
     * finish before the folder is deleted.
     */
    @AfterEach
    void waitForTheCopyOfUnsavedChanges() {
        session.flushAutosave();
    }

    private void render(int frames, BlockSizes blocks) throws IOException {
        new OfflineRenderer(engine).render(frames, blocks, (master, count) -> { }, session::tick);
    }

    private Track fed(String name, Map<String, ?> generator) {
        Track track = session.track(name);
        track.input(session.generator("noise", generator));
        return track;
    }

    /** Every sample of the generator's noise, as the engine produces it from sample 0. */
    private static float[] noise(long seed, int frames) throws IOException {
        Engine reference = new Engine(48_000, 0);
        Session plain = new Session(new LocalEngineLink(reference));
        Track track = plain.track("N");
        track.input(plain.generator("noise", Map.of("level", -6.0, "seed", seed)));
        track.panLaw(0);
        return new OfflineRenderer(reference).renderToMemory(frames, BlockSizes.fixed(512))[0];
    }

    @ParameterizedTest(name = "blocks up to {0}")
    @ValueSource(ints = {1, 100, 4096})
    void aPunchedPassRecordsFromPunchInToPunchOutOnTheirExactSamples(int maxBlock) throws IOException {
        Track vox = fed("Vox", Map.of("level", -6.0, "seed", 3));
        Track gtr = fed("Gtr", Map.of("level", -6.0, "seed", 4));
        vox.armed(true);
        gtr.armed(true);
        session.tempo().bpm(120);
        session.locate(0.5);
        session.recorder().punchIn(48_000L);
        session.recorder().punchOut(96_000L + 17);
        session.recorder().record();
        assertTrue(session.recorder().recording());
        render(100_000, BlockSizes.random(maxBlock, 1, maxBlock));
        session.recorder().finish();
        assertFalse(session.recorder().recording());
        List<Take> takes = session.recorder().takes();
        assertEquals(List.of("takes/Gtr-001.wav", "takes/Vox-001.wav"), takes.stream().map(Take::name).toList());
        float[] voxSource = noise(3, 100_000);
        for (Take take : takes) {
            assertEquals(48_000, take.sample(), take.name());
            assertEquals(48_017, take.frames(), take.name());
        }
        AudioFile vox1 = WavReader.read(folder.resolve("takes/Vox-001.wav"));
        int engineStart = 48_000 - 24_000;
        for (int i = 0; i < 48_017; i += 97) {
            float expected = desk.engine.io.WavWriter.quantize(voxSource[engineStart + i], 24) / 8388608f;
            assertEquals(expected, vox1.samples()[0][i], "frame " + i);
        }
        assertEquals(List.of("takes/Vox-001.wav"), vox.takes().stream().map(Take::name).toList());
    }

    @Test
    void takesAreNumberedOnNeverOverwrittenAndListedAgainAfterARestart() throws IOException {
        Track vox = fed("Vox", Map.of("seed", 1));
        vox.armed(true);
        Files.createDirectories(folder.resolve("takes"));
        Files.writeString(folder.resolve("takes/Vox-007.wav"), "not audio, but a name taken");
        for (int pass = 0; pass < 2; pass++) {
            session.recorder().record();
            render(4800, BlockSizes.fixed(480));
            session.stop();
            render(480, BlockSizes.fixed(480));
            session.recorder().finish();
        }
        assertEquals("not audio, but a name taken", Files.readString(folder.resolve("takes/Vox-007.wav")));
        assertEquals(List.of("takes/Vox-008.wav", "takes/Vox-009.wav"),
                session.recorder().takes().stream().map(Take::name).toList());
        assertEquals(4800, TakeFile.timeReference(folder.resolve("takes/Vox-009.wav")), "the second pass went on from the first");

        Session restarted = new Session(new LocalEngineLink(new Engine(48_000, 0)));
        restarted.recorder().folder(folder);
        List<Take> found = restarted.recorder().takes();
        assertEquals(2, found.size());
        assertEquals("Vox", found.get(0).track());
        assertEquals(0.0, found.get(0).position());
        assertEquals(0.1, found.get(1).position(), 1e-12);
        assertEquals(0.1, found.get(1).seconds(), 1e-12);
        assertEquals(List.of("takes/Vox-008.wav", "takes/Vox-009.wav"),
                restarted.track("Vox").takes().stream().map(Take::name).toList());
    }

    @Test
    void exclusiveArmDisarmsTheOthers() {
        Track a = fed("A", Map.of());
        Track b = fed("B", Map.of());
        Track c = fed("C", Map.of());
        a.armed(true);
        b.armed(true);
        assertTrue(a.armed() && b.armed());
        session.recorder().exclusiveArm(true);
        c.armed(true);
        assertEquals(List.of(false, false, true), List.of(a.armed(), b.armed(), c.armed()));
        a.armed(true);
        assertEquals(List.of(true, false, false), List.of(a.armed(), b.armed(), c.armed()));
    }

    @Test
    void badRequestsAreRefusedWithOneLineAndChangeNothing() throws IOException {
        Track empty = session.track("Empty");
        assertEquals("Empty.armed: Empty has no input to record: set Empty.input first",
                assertThrows(DeskException.class, () -> empty.armed(true)).getMessage());
        assertFalse(empty.armed());
        assertEquals("session.record: no track is armed: arm one first, e.g. vox.armed = true",
                assertThrows(DeskException.class, () -> session.recorder().record()).getMessage());
        assertFalse(session.transportRolling(), "nothing started");
        Track vox = fed("Vox", Map.of());
        vox.armed(true);
        vox.input((Object) null);
        assertEquals("session.record: Vox is armed but has no input: set Vox.input first",
                assertThrows(DeskException.class, () -> session.recorder().record()).getMessage());
        assertEquals("Vox.monitoring \"loud\": must be \"input\", \"auto\" or \"off\"",
                assertThrows(DeskException.class, () -> vox.monitoring("loud")).getMessage());
        assertEquals("input", vox.monitoring());
        session.recorder().punchIn(96_000L);
        assertEquals("session.punchOut 1 s: must be after punchIn (2 s)",
                assertThrows(DeskException.class, () -> session.recorder().punchOut(48_000L)).getMessage());
        session.recorder().punchOut(144_000L);
        assertEquals("session.punchIn 4 s: must be before punchOut (3 s)",
                assertThrows(DeskException.class, () -> session.recorder().punchIn(192_000L)).getMessage());
        assertEquals(96_000L, session.recorder().punchIn());
        assertEquals("session.recordFormat \"16\": must be \"24\" (24-bit PCM) or \"32f\" (32-bit float)",
                assertThrows(DeskException.class, () -> session.recorder().format("16")).getMessage());
        assertEquals("session.recordBuffer 0.5: must be 1..60 seconds",
                assertThrows(DeskException.class, () -> session.recorder().bufferSeconds(0.5)).getMessage());

        Session noFolder = new Session(new LocalEngineLink(new Engine(48_000, 0)));
        Track lone = noFolder.track("Lone");
        lone.input(noFolder.generator("sine", Map.of()));
        lone.armed(true);
        assertEquals("session.record: there is no session folder to keep takes in: start desk with --session DIR",
                assertThrows(DeskException.class, () -> noFolder.recorder().record()).getMessage());

        vox.input(session.generator("sine", Map.of()));
        session.recorder().record();
        assertEquals("session.locate: a record pass is under way: stop first",
                assertThrows(DeskException.class, () -> session.locate(0.0)).getMessage());
        assertEquals("session.punchIn: a record pass is under way: stop first",
                assertThrows(DeskException.class, () -> session.recorder().punchIn(null)).getMessage());
        session.stop();
        session.recorder().finish();
        assertEquals(List.of(), session.recorder().takes(), "the punch-in point was never reached: no take");
    }

    @ParameterizedTest(name = "blocks up to {0}")
    @ValueSource(ints = {1, 100, 4096})
    void aTakeRecordedRoundALoopHoldsEveryPassAndItsClipIsTheLastCompletePass(int maxBlock) throws IOException {
        Track vox = fed("Vox", Map.of("level", -6.0, "seed", 5));
        vox.armed(true);
        session.loop(24_000L, 48_000L, "session.loop");
        session.looping(true);
        session.locate(0.25);
        session.recorder().record();
        render(12_000 + 24_000 + 2 * 24_000 + 10_000, BlockSizes.random(maxBlock, 1, maxBlock));
        session.stop();
        session.recorder().finish();
        Take take = vox.takes().getFirst();
        assertEquals(12_000, take.sample(), "the file starts where recording started");
        assertEquals(94_000, take.frames(), "the file holds every pass, the last one cut short, in the order played");
        float[] source = noise(5, 94_000);
        float[] file = WavReader.read(take.file()).samples()[0];
        for (int i = 0; i < 94_000; i += 89) {
            float expected = desk.engine.io.WavWriter.quantize(source[i], 24) / 8388608f;
            assertEquals(expected, file[i], "frame " + i);
        }
        Clip clip = vox.clips().getFirst();
        assertEquals(1, vox.clips().size(), "one clip: the last complete pass");
        assertEquals(36_000 + 24_000, clip.offset(), "the third pass starts after the first (36,000) and second");
        assertEquals(24_000, clip.length(), "one loop long");
        assertEquals(24_000, clip.position(), "at the loop start");
        DeskException moved = assertThrows(DeskException.class, () -> {
            session.recorder().record();
            session.loop(0L, 96_000L, "session.loopEnd");
        });
        assertEquals("session.loopEnd: a record pass is under way: stop first", moved.getMessage());
        session.stop();
    }

    @Test
    void lastPassCutsTheTakeOfALoopIntoItsPasses() {
        desk.engine.LoopRange loop = new desk.engine.LoopRange(1_000, 2_000);
        assertArrayEquals(new long[] {0, 5_000, 100}, TakeClips.lastPass(
                new desk.engine.record.Take.Result(1, folder, 1, 100, 5_000, 3_000), loop),
                "started past the loop end: the whole file");
        assertArrayEquals(new long[] {0, 1_200, 600}, TakeClips.lastPass(
                new desk.engine.record.Take.Result(1, folder, 1, 600, 1_500, 800), loop),
                "no pass after the first complete: the first pass, to the loop end");
        assertArrayEquals(new long[] {1_200 + 1_000, 1_000, 800}, TakeClips.lastPass(
                new desk.engine.record.Take.Result(1, folder, 1, 600, 1_200 + 2_000 + 999, 800), loop),
                "two complete passes after the first: the second of them, at the loop start less the latency");
        assertArrayEquals(new long[] {500 + 500, 500, 0}, TakeClips.lastPass(
                new desk.engine.record.Take.Result(1, folder, 1, 0, 500 + 1_000, 1_500), loop),
                "a latency reaching before 0 cuts the start of the pass");
    }

    @Test
    void aFinishedTakeIsPlacedAsAClipAndPlaysBackInPlace() throws IOException {
        Track vox = fed("Vox", Map.of("level", -6.0, "seed", 11));
        vox.panLaw(0);
        vox.monitoring("auto");
        vox.armed(true);
        session.locate(0.25);
        session.recorder().record();
        render(24_000, BlockSizes.random(3, 1, 1000));
        session.stop();
        session.recorder().finish();
        assertEquals(1, vox.clips().size());
        Clip clip = vox.clips().get(0);
        assertEquals("takes/Vox-001.wav", clip.name());
        assertEquals(12_000, clip.position());
        assertEquals(24_000, clip.length());
        assertEquals(0, clip.offset());

        session.locate(0);
        session.play();
        assertTrue(vox.armed(), "armed, rolling, not recording: auto monitoring plays the clips");
        float[][] out = new float[2][48_000];
        int[] at = {0};
        new OfflineRenderer(engine).render(48_000, BlockSizes.random(4, 1, 1000), (master, count) -> {
            System.arraycopy(master[0], 0, out[0], at[0], count);
            at[0] += count;
        }, session::tick);
        float[] take = WavReader.read(folder.resolve("takes/Vox-001.wav")).samples()[0];
        int declick = 48_000 * Limits.DECLICK_MILLISECONDS / 1000;
        for (int t = declick; t < 48_000; t++) {
            float expected = t >= 12_000 && t < 36_000 ? take[t - 12_000] : 0f;
            assertEquals(expected, out[0][t], "timeline sample " + t + ": the take in place, silence around it");
        }
        assertEquals(0.0, session.recorder().playbackMissed(), "offline playback waits for the disk");
    }

    @Test
    void clipsAreMovedTrimmedAndReGainedWithoutTouchingTheFileAndBadOnesAreRefused() throws IOException {
        Track vox = fed("Vox", Map.of("seed", 2));
        vox.armed(true);
        session.recorder().record();
        render(4_800, BlockSizes.fixed(480));
        session.stop();
        session.recorder().finish();
        Path file = folder.resolve("takes/Vox-001.wav");
        byte[] before = Files.readAllBytes(file);
        Clip clip = vox.clips().get(0);
        clip.position(96_000);
        clip.length(1_000);
        clip.offset(100);
        clip.gain(-3);
        clip.fadeIn(10);
        clip.fadeOut(20);
        assertEquals(List.of(96_000L, 100L, 1_000L, 10L, 20L), List.of(clip.position(), clip.offset(), clip.length(),
                clip.fadeIn(), clip.fadeOut()));
        assertEquals(-3.0, clip.gain());
        assertEquals("Vox clip takes/Vox-001.wav.length: clip region 100 + 5000 frames: Vox-001.wav has 4800 frames",
                assertThrows(DeskException.class, () -> clip.length(5_000)).getMessage());
        assertEquals("Vox clip takes/Vox-001.wav.gain: clip gain 19 dB: must be -inf or -144..18 dB",
                assertThrows(DeskException.class, () -> clip.gain(19)).getMessage());
        assertEquals(1_000, clip.length(), "a refused edit changes nothing");
        Path missing = folder.resolve("gone.wav");
        assertEquals("Vox.clip: " + missing + ": file not found",
                assertThrows(DeskException.class, () -> vox.clip(missing, "gone.wav", false, 0, null, 0, 0, 0, 0)).getMessage());
        Path text = Files.writeString(folder.resolve("notes.wav"), "lyrics, not audio");
        assertEquals("Vox.clip: " + text + ": not a WAV file (no RIFF/RF64 header at byte 0)",
                assertThrows(DeskException.class, () -> vox.clip(text, "notes.wav", false, 0, null, 0, 0, 0, 0)).getMessage());
        Clip again = vox.clip(file, "takes/Vox-001.wav", false, 0, null, 48_000, 6, 0, 0);
        assertEquals(4_800, again.length(), "the rest of the file by default");
        assertEquals(2, vox.clips().size());
        clip.remove();
        assertEquals(List.of(again), vox.clips());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "editing never touches the file");
    }
}
