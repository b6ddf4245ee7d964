package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audio files that are not what they say: a WAV cut short is refused by clips and file sources with one line
 * naming the sizes and offsets, or played as far as it goes when allowed; random bytes named .wav are refused
 * as not a WAV file; NaN and infinite samples from a file source, a clip or a capture port play as silence and
 * are counted on the track's meters.
 */
class BadAudioFilesTest {
    private static final int RATE = 48_000;
    /** The header WavWriter writes before 16-bit PCM samples. */
    private static final int PCM_HEADER = 44;

    @TempDir
    Path folder;

    /** One second of 16-bit mono at 0.5, cut to {@code keptFrames} frames by dropping the file's tail. */
    private Path truncatedWav(int keptFrames) throws IOException {
        Path file = folder.resolve("take.wav");
        float[] samples = new float[RATE];
        java.util.Arrays.fill(samples, 0.5f);
        try (WavWriter writer = WavWriter.create(file, RATE, 1, SampleFormat.PCM_16)) {
            writer.write(new float[][] {samples}, 0, RATE);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(PCM_HEADER + 2L * keptFrames);
        }
        return file;
    }

    private Path randomBytesWav() throws IOException {
        byte[] bytes = new byte[4_096];
        new Random(11).nextBytes(bytes);
        bytes[0] = 0x7F;
        return Files.write(folder.resolve("noise.wav"), bytes);
    }

    /** A float WAV of 1000 frames at 0.25 with NaN at frames 10 and 20 and +infinity at frame 30. */
    private Path wavWithNaN() throws IOException {
        Path file = folder.resolve("nan.wav");
        float[] samples = new float[1_000];
        java.util.Arrays.fill(samples, 0.25f);
        samples[10] = Float.NaN;
        samples[20] = Float.NaN;
        samples[30] = Float.POSITIVE_INFINITY;
        try (WavWriter writer = WavWriter.create(file, RATE, 1, SampleFormat.FLOAT_32)) {
            writer.write(new float[][] {samples}, 0, samples.length);
        }
        return file;
    }

    private static String truncatedLine(Path file) {
        return file + ": data chunk says 96000 bytes at byte 44 but the file ends at byte 48044 (truncated)";
    }

    @Test
    void aTruncatedFileIsRefusedByAClipAndAFileSource() throws IOException {
        Path file = truncatedWav(24_000);
        Rig rig = new Rig(RATE);
        int track = rig.track(1);

        EngineException clip = assertThrows(EngineException.class, () -> rig.engine.execute(new EngineCommand.SetClips(
                track, List.of(new EngineCommand.Clip(file, 0, 1_000, 0, 0, 0, 0, false)))));
        EngineException source = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.CreateFileSource(rig.id(), file, 0, false, false)));

        assertEquals(truncatedLine(file), clip.getMessage());
        assertEquals(truncatedLine(file), source.getMessage());
    }

    @Test
    void aTruncatedFileAllowedPlaysTheFramesThatAreThere() throws IOException {
        Path file = truncatedWav(24_000);
        Rig rig = new Rig(RATE);
        int fromSource = rig.track(1);
        rig.set(fromSource, Parameter.PAN_LAW, 0);
        int source = rig.id();
        rig.engine.execute(new EngineCommand.CreateFileSource(source, file, 0, false, true));
        rig.feed(fromSource, 1, source);
        int fromClip = rig.track(1);
        rig.engine.execute(new EngineCommand.SetMonitoring(fromClip, MonitorMode.OFF));
        rig.set(fromClip, Parameter.PAN_LAW, 0);
        rig.engine.execute(new EngineCommand.SetClips(fromClip, List.of(
                new EngineCommand.Clip(file, 0, 24_000, 0, 0, 0, 0, true))));
        EngineException tooLong = assertThrows(EngineException.class, () -> rig.engine.execute(new EngineCommand.SetClips(
                fromClip, List.of(new EngineCommand.Clip(file, 0, 24_001, 0, 0, 0, 0, true)))));
        rig.engine.execute(new EngineCommand.SetTransport(true));

        float[] out = rig.render(30_000, BlockSizes.fixed(256))[0];

        assertEquals("clip region 0 + 24001 frames: take.wav has 24000 frames", tooLong.getMessage());
        for (int i = 0; i < 24_000; i++) {
            assertEquals(1f, out[i], "the source and the clip, each at 0.5, at " + i);
        }
        for (int i = 24_000; i < 30_000; i++) {
            assertEquals(0f, out[i], "silence past the frames there, at " + i);
        }
    }

    @Test
    void randomBytesNamedWavAreRefusedByAClipAndAFileSource() throws IOException {
        Path file = randomBytesWav();
        Rig rig = new Rig(RATE);
        int track = rig.track(1);
        String line = file + ": not a WAV file (no RIFF/RF64 header at byte 0)";

        EngineException clip = assertThrows(EngineException.class, () -> rig.engine.execute(new EngineCommand.SetClips(
                track, List.of(new EngineCommand.Clip(file, 0, 10, 0, 0, 0, 0, true)))));
        EngineException source = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.CreateFileSource(rig.id(), file, 0, false, true)));

        assertEquals(line, clip.getMessage());
        assertEquals(line, source.getMessage());
    }

    @Test
    void nanAndInfiniteSamplesFromAFileSourcePlayAsSilenceAndAreCounted() throws IOException {
        Path file = wavWithNaN();
        Rig rig = new Rig(RATE);
        int track = rig.track(1);
        rig.set(track, Parameter.PAN_LAW, 0);
        int source = rig.id();
        rig.engine.execute(new EngineCommand.CreateFileSource(source, file, 0, false, false));
        rig.feed(track, 1, source);

        float[] out = rig.render(2_000, BlockSizes.fixed(64))[0];

        assertSilencedAt(out, 10, 20, 30);
        for (MeterPoint point : MeterPoint.values()) {
            assertEquals(3, rig.engine.meter(track, point).invalid(), point + " meter");
        }
        assertEquals(0, rig.engine.meter(NodeIds.MASTER_ID, MeterPoint.INPUT).invalid(), "nothing invalid reaches the master");
    }

    @Test
    void nanAndInfiniteSamplesFromAClipPlayAsSilenceAndAreCountedUntilAReset() throws IOException {
        Path file = wavWithNaN();
        Rig rig = new Rig(RATE);
        int track = rig.track(1);
        rig.engine.execute(new EngineCommand.SetMonitoring(track, MonitorMode.OFF));
        rig.set(track, Parameter.PAN_LAW, 0);
        rig.engine.execute(new EngineCommand.SetClips(track, List.of(
                new EngineCommand.Clip(file, 0, 1_000, 0, 0, 0, 0, false))));
        rig.engine.execute(new EngineCommand.SetTransport(true));

        float[] out = rig.render(2_000, BlockSizes.random(3, 1, 500))[0];
        long counted = rig.engine.meter(track, MeterPoint.POST_FADER).invalid();
        rig.engine.execute(new EngineCommand.ResetMeters(track));
        rig.render(100, BlockSizes.fixed(100));

        assertSilencedAt(out, 10, 20, 30);
        assertEquals(3, counted);
        assertEquals(0, rig.engine.meter(track, MeterPoint.POST_FADER).invalid(), "a reset clears the count");
    }

    @Test
    void nanFromACapturePortPlaysAsSilenceAndIsCounted() {
        Engine engine = new Engine(RATE, 1);
        int track = NodeIds.FIRST_FREE_ID;
        engine.execute(new EngineCommand.CreateStrip(track, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.SetParameter(track, Parameter.PAN_LAW, 0));
        engine.execute(new EngineCommand.SetInput(track, 0, NodeIds.CAPTURE_ID, 0));
        float[][] capture = {new float[128]};
        java.util.Arrays.fill(capture[0], 0.25f);
        capture[0][5] = Float.NaN;
        capture[0][7] = Float.NEGATIVE_INFINITY;
        float[][] playback = new float[2][128];
        float[] out = new float[256];

        for (int block = 0; block < 2; block++) {
            engine.rtProcess(capture, playback, 128);
            System.arraycopy(playback[0], 0, out, block * 128, 128);
        }

        assertSilencedAt(out, 5, 7, 133, 135);
        assertEquals(4, engine.meter(track, MeterPoint.INPUT).invalid());
        assertTrue(engine.meter(track, MeterPoint.INPUT).toString().endsWith(", 4 invalid"),
                engine.meter(track, MeterPoint.INPUT).toString());
    }

    /** Checks that {@code out} is finite everywhere, silent at {@code silent}, and nonzero at the frame before each. */
    private static void assertSilencedAt(float[] out, int... silent) {
        for (int i = 0; i < out.length; i++) {
            assertTrue(Float.isFinite(out[i]), "finite at " + i);
        }
        for (int at : silent) {
            assertEquals(0f, out[at], "silence in place of the invalid sample at " + at);
            assertTrue(out[at - 1] != 0f, "the signal before it, at " + (at - 1));
        }
    }
}
