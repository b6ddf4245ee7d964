package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.dsp.Decibels;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;
import desk.engine.rt.Automation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport's loop range: the rolling transport jumps from the loop end back to the loop start on the
 * exact sample, at every rate and block size; clips play round the loop without a gap, offline and live;
 * automation lanes follow the transport round it; a transport past the loop end rolls on.
 */
class LoopTest {
    @TempDir
    Path folder;

    /** A mono file whose sample k is a distinct value, so the sample heard tells the timeline position. */
    private Path rampFile(int rate, int frames) throws Exception {
        float[][] samples = new float[1][frames];
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < frames; k++) {
            samples[0][k] = (float) (random.nextDouble() - 0.5);
        }
        Path file = folder.resolve("ramp.wav");
        try (WavWriter writer = WavWriter.create(file, rate, 1, SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, frames);
        }
        return file;
    }

    private static int playbackTrack(Rig rig, Path file, int frames) {
        int track = rig.track(1);
        rig.engine.execute(new EngineCommand.SetMonitoring(track, MonitorMode.OFF));
        rig.set(track, Parameter.PAN_LAW, 0);
        rig.engine.execute(new EngineCommand.SetClips(track,
                List.of(new EngineCommand.Clip(file, 0, frames, 0, 0, 0, 0, false))));
        return track;
    }

    @ParameterizedTest(name = "{0} Hz, {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void theTransportJumpsBackOnTheLoopEndAndClipsPlayRoundItExactly(int rate, BlockSizes blocks) throws Exception {
        int frames = 40_000;
        Path file = rampFile(rate, frames);
        float[] source = WavReader.read(file).samples()[0];
        Rig rig = new Rig(rate);
        playbackTrack(rig, file, frames);
        LoopRange loop = new LoopRange(10_007, 17_011);
        rig.engine.execute(new EngineCommand.SetLoop(loop));
        rig.engine.execute(new EngineCommand.Locate(3_000));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        int length = 60_000;
        float[] out = rig.render(length, blocks)[0];
        for (int i = 0; i < length; i++) {
            long t = loop.advance(3_000, i);
            assertEquals(source[(int) t], out[i], "output sample " + i + " plays timeline sample " + t);
        }
        assertEquals(source[17_010], out[17_010 - 3_000], "the last sample before the jump is the loop end's");
        assertEquals(source[10_007], out[17_011 - 3_000], "the jump lands on the loop start");
        TransportState state = rig.engine.transport();
        assertEquals(loop.advance(3_000, length), state.position(), "the transport position after the render");
        assertEquals(loop, state.loop(), "the state names the loop range");
        long jumps = (length - (17_011 - 3_000) - 1) / loop.length();
        assertEquals(17_011 - 3_000 + jumps * loop.length(), state.lastWrap(), "the engine sample of the latest jump");
    }

    @ParameterizedTest(name = "{0} Hz, {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void automationFollowsTheTransportRoundTheLoop(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(50, 0)));
        rig.set(track, Parameter.PAN, -1);
        rig.engine.execute(new EngineCommand.SetLane(track, Parameter.FADER, new AutomationLane(
                new long[]{0, 48_000}, new double[]{0, -20}, new Interpolation[]{Interpolation.DB, Interpolation.DB})));
        LoopRange loop = new LoopRange(12_000, 36_000);
        rig.engine.execute(new EngineCommand.SetLoop(loop));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        int length = 100_000;
        float[] left = rig.render(length, blocks)[0];
        double worst = 0;
        for (int i = 0; i < length; i++) {
            long t = loop.advance(0, i);
            boolean settling = i >= loop.end() && t - loop.start() < Automation.CONTROL_PERIOD;
            if (!settling) {
                worst = Math.max(worst, Math.abs(Decibels.fromGain(Math.abs(left[i])) - (-20.0 * t / 48_000)));
            }
        }
        assertTrue(worst < 0.001, "largest deviation from the lane at the transport position: " + worst + " dB");
    }

    @Test
    void aTransportPastTheLoopEndRollsOnAndALoopSetWhileRollingTakesEffect() throws Exception {
        int frames = 40_000;
        Path file = rampFile(48_000, frames);
        float[] source = WavReader.read(file).samples()[0];
        Rig rig = new Rig(48_000);
        playbackTrack(rig, file, frames);
        rig.engine.execute(new EngineCommand.SetLoop(new LoopRange(1_000, 5_000)));
        rig.engine.execute(new EngineCommand.Locate(8_000));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[] past = rig.render(4_000, BlockSizes.fixed(256))[0];
        for (int i = 0; i < past.length; i++) {
            assertEquals(source[8_000 + i], past[i], "past the loop end the transport rolls on, at " + i);
        }
        LoopRange later = new LoopRange(9_000, 14_000);
        rig.engine.execute(new EngineCommand.SetLoop(later));
        float[] looped = rig.render(12_000, BlockSizes.fixed(256))[0];
        for (int i = 0; i < looped.length; i++) {
            assertEquals(source[(int) later.advance(12_000, i)], looped[i], "round the new range, at " + i);
        }
        rig.engine.execute(new EngineCommand.SetLoop(null));
        long at = rig.engine.transport().position();
        float[] free = rig.render(3_000, BlockSizes.fixed(256))[0];
        for (int i = 0; i < free.length; i++) {
            long t = at + i;
            assertEquals(t < frames ? source[(int) t] : 0f, free[i], "with the loop off it rolls on, at " + i);
        }
    }

    @Test
    void liveClipsGoRoundTheLoopWithoutMissingASample() throws Exception {
        int rate = 48_000;
        int frames = 3 * rate;
        Path file = rampFile(rate, frames);
        float[] source = WavReader.read(file).samples()[0];
        Rig rig = new Rig(rate);
        playbackTrack(rig, file, frames);
        LoopRange loop = new LoopRange(rate / 2, rate / 2 + 9_600);
        rig.engine.execute(new EngineCommand.SetLoop(loop));
        rig.engine.execute(new EngineCommand.Locate(loop.start()));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        int length = rate;
        float[][] playback = new float[2][256];
        float[] out = new float[length];
        rig.engine.setAudioThreadRunning(true);
        long missedBefore = -1;
        int firstHeard = -1;
        for (int done = 0; done < length; done += 256) {
            rig.engine.rtProcess(new float[0][], playback, 256);
            System.arraycopy(playback[0], 0, out, done, Math.min(256, length - done));
            if (firstHeard < 0) {
                for (int i = 0; i < 256 && firstHeard < 0; i++) {
                    if (playback[0][i] != 0f) {
                        firstHeard = done + i;
                        missedBefore = rig.engine.disk().playbackFramesMissed();
                    }
                }
            }
            Thread.sleep(5);
        }
        rig.engine.setAudioThreadRunning(false);
        assertTrue(firstHeard >= 0 && firstHeard < length / 4, "the disk reader got there: at " + firstHeard);
        for (int i = firstHeard; i < length; i++) {
            assertEquals(source[(int) loop.advance(loop.start(), i)], out[i], "round the loop at output sample " + i);
        }
        assertEquals(missedBefore, rig.engine.disk().playbackFramesMissed(),
                "no frame missed after the first fill, over " + (length - firstHeard) / loop.length() + " jumps");
    }

    @Test
    void aLoopRangeMustStartAtZeroOrLaterAndEndAfterItsStart() {
        EngineException inverted = assertThrows(EngineException.class, () -> new LoopRange(5_000, 4_000));
        assertEquals("loop range 5000..4000 samples: the start must be 0 or more and the end after it",
                inverted.getMessage());
        assertThrows(EngineException.class, () -> new LoopRange(-1, 4_000));
        assertThrows(EngineException.class, () -> new LoopRange(4_000, 4_000));
    }

    @Test
    void aStateMapsTimesRoundTheLoop() {
        LoopRange loop = new LoopRange(100, 200);
        TransportState state = new TransportState(true, 150, 1_000, loop, TransportState.NEVER);
        assertEquals(199, state.positionAt(1_049));
        assertEquals(100, state.positionAt(1_050), "the jump lands on the loop start");
        assertEquals(150, state.positionAt(1_100), "one loop later it is back where it was");
        assertEquals(1_050, state.nextWrap());
        assertEquals(1_060, state.engineTimeOf(110), "a time behind it inside the loop comes round again");
        assertEquals(1_040, state.engineTimeOf(190));
        assertEquals(Long.MAX_VALUE, state.engineTimeOf(250), "past the loop end is never reached");
        assertEquals(900, state.engineTimeOf(50), "before the loop start: in the past, as without a loop");
        TransportState past = new TransportState(true, 300, 1_000, loop, TransportState.NEVER);
        assertEquals(Long.MAX_VALUE, past.nextWrap(), "past the loop end it rolls on");
        assertEquals(1_100, past.positionAt(1_800));
    }
}
