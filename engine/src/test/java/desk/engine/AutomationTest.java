package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.dsp.Decibels;
import desk.engine.rt.Automation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automation lanes are drawn sample-accurately by the engine: a lane's curve matches its analytic gain,
 * steps land on their sample, the transport clock drives lanes and one-off ramps run on the engine clock,
 * at every sample rate and block size.
 */
class AutomationTest {
    /** A mono track playing a full-scale square hard left: the left output's magnitude is the track's gain. */
    private static int gainProbe(Rig rig) {
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(50, 0)));
        rig.set(track, Parameter.PAN, -1);
        return track;
    }

    private static AutomationLane lane(long[] times, double[] values, Interpolation interpolation) {
        Interpolation[] interpolations = new Interpolation[times.length];
        java.util.Arrays.fill(interpolations, interpolation);
        return new AutomationLane(times, values, interpolations);
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void faderLaneLinearInDbFollowsTheAnalyticCurve(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = gainProbe(rig);
        rig.engine.execute(new EngineCommand.SetLane(track, Parameter.FADER,
                lane(new long[]{0, 48_000}, new double[]{0, -20}, Interpolation.DB)));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[] left = rig.render(50_000, blocks)[0];
        double worst = 0;
        for (int n = 0; n <= 48_000; n += 480) {
            double expected = -20.0 * n / 48_000;
            worst = Math.max(worst, Math.abs(Decibels.fromGain(left[n]) - expected));
        }
        assertTrue(worst < 0.01, "largest deviation from the analytic curve " + worst + " dB");
        assertEquals(-20, Decibels.fromGain(left[49_000]), 1e-4, "holds the last point after it");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void aStepLandsOnItsSample(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = gainProbe(rig);
        rig.engine.execute(new EngineCommand.SetLane(track, Parameter.FADER,
                lane(new long[]{0, 12_345, 12_345}, new double[]{0, 0, -6}, Interpolation.DB)));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[] left = rig.render(14_000, blocks)[0];
        assertEquals(1f, Math.abs(left[12_344]), "unchanged up to the sample before the step");
        assertTrue(Math.abs(left[12_345]) < 1f, "the step starts on sample 12,345: " + left[12_345]);
        assertEquals(-6, Decibels.fromGain(left[12_345 + Automation.CONTROL_PERIOD - 1]), 1e-4,
                "at the new value one control period later");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void sCurveAndLinearGainSegmentsMatchTheirFormulas(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = gainProbe(rig);
        AutomationLane lane = new AutomationLane(new long[]{0, 9_600, 19_200},
                new double[]{0, -12, Double.NEGATIVE_INFINITY},
                new Interpolation[]{Interpolation.S_CURVE, Interpolation.GAIN, Interpolation.GAIN});
        rig.engine.execute(new EngineCommand.SetLane(track, Parameter.FADER, lane));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[] left = rig.render(20_000, blocks)[0];
        double low = Decibels.toGain(-12);
        for (int n = 0; n < 19_200; n += 320) {
            double expected;
            if (n < 9_600) {
                double x = n / 9_600.0;
                expected = 1 + (low - 1) * x * x * (3 - 2 * x);
            } else {
                expected = low * (1 - (n - 9_600) / 9_600.0);
            }
            assertEquals(expected, Math.abs(left[n]), 2e-5, "gain at sample " + n);
        }
        assertEquals(0f, left[19_500], "silent at -inf");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void lanesFollowTheTransportStopAndLocate(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = gainProbe(rig);
        rig.engine.execute(new EngineCommand.SetLane(track, Parameter.FADER,
                lane(new long[]{0, 40_000}, new double[]{0, -40}, Interpolation.DB)));
        rig.engine.execute(new EngineCommand.At(1_000, new EngineCommand.SetTransport(true)));
        rig.engine.execute(new EngineCommand.At(21_000, new EngineCommand.SetTransport(false)));
        rig.engine.execute(new EngineCommand.At(30_000, new EngineCommand.Locate(10_000)));
        rig.engine.execute(new EngineCommand.At(35_000, new EngineCommand.SetTransport(true)));
        float[] left = rig.render(40_000, blocks)[0];
        assertEquals(1f, Math.abs(left[999]), "stopped at 0 before play");
        assertEquals(-40 * 11_000 / 40_000.0, Decibels.fromGain(left[12_000]), 0.01, "rolling from sample 1,000");
        double held = Decibels.fromGain(left[25_000]);
        assertEquals(-20, held, 0.05, "holds where the transport stopped");
        assertEquals(held, Decibels.fromGain(left[29_999]), 1e-6, "still holding");
        assertEquals(-10, Decibels.fromGain(left[34_000]), 1e-4, "located to 10,000 while stopped");
        assertEquals(-10 - 40 * 4_000 / 40_000.0, Decibels.fromGain(left[39_000]), 0.01, "rolling again from there");
        TransportState state = rig.engine.transport();
        assertTrue(state.rolling());
        assertEquals(15_000, state.position(), "transport position");
        assertEquals(40_000, state.enginePosition());
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void aGlideRunsOnTheEngineClockAndLeavesTheParameterSet(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = gainProbe(rig);
        rig.engine.execute(new EngineCommand.At(2_000,
                new EngineCommand.Glide(track, Parameter.FADER, -20, 4_800, Interpolation.DB)));
        float[] left = rig.render(10_000, blocks)[0];
        assertEquals(1f, Math.abs(left[1_999]), "before the glide");
        assertEquals(-10, Decibels.fromGain(left[2_000 + 2_400]), 0.01, "half way in dB half way through");
        assertEquals(-20, Decibels.fromGain(left[2_000 + 4_800]), 1e-4, "at the target at the end");
        assertEquals(-20, Decibels.fromGain(left[2_000 + 4_800 + Automation.CONTROL_PERIOD]), 1e-4, "and held");
        rig.engine.maintain();
        float[] after = rig.render(2_000, blocks)[0];
        assertEquals(-20, Decibels.fromGain(after[1_999]), 1e-4, "stays set once the ramp has ended");
    }

    @Test
    void aPanLaneSweepsTheStereoImage() {
        Rig rig = new Rig(48_000);
        int track = gainProbe(rig);
        rig.engine.execute(new EngineCommand.SetLane(track, Parameter.PAN,
                lane(new long[]{0, 4_800}, new double[]{-1, 1}, Interpolation.DB)));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[][] out = rig.render(6_000, BlockSizes.fixed(256));
        assertEquals(1f, Math.abs(out[0][0]), 1e-3, "hard left at the start");
        assertEquals(Math.abs(out[0][2_400]), Math.abs(out[1][2_400]), 1e-3, "centre half way");
        assertEquals(1f, Math.abs(out[1][5_000]), 1e-6, "hard right at the end");
        assertEquals(0f, out[0][5_000], "nothing left at the end");
    }

    @Test
    void aMuteLaneSwitchesOnItsSample() {
        Rig rig = new Rig(48_000);
        int track = gainProbe(rig);
        rig.engine.execute(new EngineCommand.SetLane(track, Parameter.MUTE,
                lane(new long[]{0, 1_000}, new double[]{0, 1}, Interpolation.STEP)));
        rig.engine.execute(new EngineCommand.SetTransport(true));
        float[] left = rig.render(2_000, BlockSizes.random(3, 1, 300))[0];
        assertEquals(1f, Math.abs(left[999]));
        assertTrue(Math.abs(left[1_000]) < 1f);
        assertEquals(0f, left[1_000 + Automation.CONTROL_PERIOD - 1]);
    }

    @Test
    void badLanesAndRampsAreRefusedWhole() {
        Rig rig = new Rig(48_000);
        int track = gainProbe(rig);
        EngineException backwards = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.SetLane(track, Parameter.FADER,
                        lane(new long[]{100, 50}, new double[]{0, -6}, Interpolation.DB))));
        assertEquals("fader lane: point times must not go backwards: 100 then 50", backwards.getMessage());
        EngineException range = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.SetLane(track, Parameter.FADER,
                        lane(new long[]{0}, new double[]{40}, Interpolation.DB))));
        assertEquals("fader lane: fader 40 is out of range: must be -inf or -144..12 dB", range.getMessage());
        EngineException law = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.SetLane(track, Parameter.PAN_LAW,
                        lane(new long[]{0}, new double[]{-3}, Interpolation.DB))));
        assertTrue(law.getMessage().startsWith("panLaw cannot be automated"), law.getMessage());
        rig.engine.execute(new EngineCommand.SetLane(track, Parameter.FADER,
                lane(new long[]{0}, new double[]{-6}, Interpolation.DB)));
        EngineException glide = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.Glide(track, Parameter.FADER, -20, 100, Interpolation.DB)));
        assertEquals("fader follows its automation lane: turn the lane off to ramp it", glide.getMessage());
        float[] left = rig.render(1_000, BlockSizes.fixed(100))[0];
        assertEquals(-6, Decibels.fromGain(left[999]), 1e-4, "the good lane plays");
    }
}
