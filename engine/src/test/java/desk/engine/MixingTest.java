package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.dsp.Decibels;
import desk.engine.dsp.PanLaw;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offline renders checked against analytic results at every sample rate and block-size case: pan laws,
 * fader accuracy, polarity null, pre/post-fader sends and sample alignment of parallel paths.
 */
class MixingTest {
    private static final double IMPULSE_DB = -6.0;

    /** Renders impulses every 1000 samples through a mono track and returns the gains seen at each impulse, dB. */
    private static double[][] impulseGains(Rig rig, int track, BlockSizes blocks) {
        int frames = 20_000;
        float[][] out = rig.render(frames, blocks);
        double[][] gains = new double[2][frames / 1000];
        double amplitude = Decibels.toGain(IMPULSE_DB);
        for (int k = 0; k < frames / 1000; k++) {
            for (int c = 0; c < 2; c++) {
                gains[c][k] = Decibels.fromGain(out[c][k * 1000 + 500] / amplitude);
            }
        }
        return gains;
    }

    private static int impulseTrack(Rig rig) {
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.impulse(IMPULSE_DB, 500, 1000)));
        return track;
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void panLawsGiveTheirGainsAtHardLeftCentreAndHardRight(int rate, BlockSizes blocks) {
        for (PanLaw law : PanLaw.values()) {
            for (double pan : new double[]{-1, 0, 1}) {
                Rig rig = new Rig(rate);
                int track = impulseTrack(rig);
                rig.set(track, Parameter.PAN_LAW, law.centreDb());
                rig.set(track, Parameter.PAN, pan);
                double[][] gains = impulseGains(rig, track, blocks);
                double expectedLeft = Decibels.fromGain(law.left(pan));
                double expectedRight = Decibels.fromGain(law.right(pan));
                for (int k = 0; k < gains[0].length; k++) {
                    assertGainDb(expectedLeft, gains[0][k], 0.01, law + " pan " + pan + " left");
                    assertGainDb(expectedRight, gains[1][k], 0.01, law + " pan " + pan + " right");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void panLawCentreLevelsAreTheNamedOnes(int rate, BlockSizes blocks) {
        double[] analytic = {0.0, Decibels.fromGain(Math.sqrt(0.5)), Decibels.fromGain(Math.sqrt(0.5 * Math.sqrt(0.5))),
            Decibels.fromGain(0.5)};
        PanLaw[] laws = PanLaw.values();
        for (int i = 0; i < laws.length; i++) {
            Rig rig = new Rig(rate);
            int track = impulseTrack(rig);
            rig.set(track, Parameter.PAN_LAW, laws[i].centreDb());
            double[][] gains = impulseGains(rig, track, blocks);
            assertGainDb(analytic[i], gains[0][3], 0.01, laws[i] + " centre left");
            assertGainDb(analytic[i], gains[1][3], 0.01, laws[i] + " centre right");
            assertEquals(laws[i].centreDb(), analytic[i], 0.03, "named centre level of " + laws[i]);
        }
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void faderIsAccurate(int rate, BlockSizes blocks) {
        for (double faderDb : new double[]{0, -6, -20, -60}) {
            Rig rig = new Rig(rate);
            int track = impulseTrack(rig);
            rig.set(track, Parameter.PAN, -1);
            rig.set(track, Parameter.FADER, faderDb);
            double[][] gains = impulseGains(rig, track, blocks);
            for (double gain : gains[0]) {
                assertGainDb(faderDb, gain, 0.001, "fader " + faderDb);
            }
        }
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void trackAndItsPolarityInvertedCopyCancel(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int noise = rig.generator(GeneratorSpec.noise(false, -12, 7));
        int sine = rig.generator(GeneratorSpec.sine(997, -3));
        int bus = rig.bus(StripKind.GROUP_BUS, 2);
        for (int source : new int[]{noise, sine}) {
            int straight = rig.track(2);
            int inverted = rig.track(2);
            rig.feed(straight, 2, source);
            rig.feed(inverted, 2, source);
            rig.engine.execute(new EngineCommand.SetPolarity(inverted, new boolean[]{true, true}));
            rig.output(straight, bus);
            rig.output(inverted, bus);
        }
        float[][] out = rig.render(rate / 5, blocks);
        assertTrue(Rig.peakDb(out[0], 0, out[0].length) < -120, "left residual " + Rig.peakDb(out[0], 0, out[0].length));
        assertTrue(Rig.peakDb(out[1], 0, out[1].length) < -120, "right residual");
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void preFaderSendIgnoresTheFaderAndPostFaderSendFollowsIt(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = impulseTrack(rig);
        rig.output(track, NodeIds.NO_NODE);
        int preBus = rig.bus(StripKind.AUX_BUS, 2);
        int postBus = rig.bus(StripKind.AUX_BUS, 2);
        rig.set(preBus, Parameter.BALANCE, -1);
        rig.set(postBus, Parameter.BALANCE, 1);
        rig.send(track, preBus, true, -10);
        rig.send(track, postBus, false, -10);
        rig.set(track, Parameter.FADER, -20);
        double[][] gains = impulseGains(rig, track, blocks);
        double panned = Decibels.fromGain(PanLaw.MINUS_3_DB.left(0));
        for (int k = 0; k < gains[0].length; k++) {
            assertGainDb(-10 + panned, gains[0][k], 0.001, "pre-fader send");
            assertGainDb(-10 - 20 + panned, gains[1][k], 0.001, "post-fader send");
        }
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void parallelPathsArriveOnTheSameSample(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int source = rig.generator(GeneratorSpec.noise(true, -10, 42));
        int direct = rig.track(1);
        int viaBuses = rig.track(1);
        int group = rig.bus(StripKind.GROUP_BUS, 2);
        int aux = rig.bus(StripKind.AUX_BUS, 2);
        rig.feed(direct, 1, source);
        rig.feed(viaBuses, 1, source);
        rig.engine.execute(new EngineCommand.SetPolarity(viaBuses, new boolean[]{true}));
        rig.output(viaBuses, group);
        rig.output(group, aux);
        float[][] out = rig.render(rate / 5, blocks);
        double residual = Math.max(Rig.peakDb(out[0], 0, out[0].length), Rig.peakDb(out[1], 0, out[1].length));
        assertTrue(residual < -120, "direct and track->group->aux->master paths should null, residual " + residual);

        Rig impulse = new Rig(rate);
        int click = impulse.generator(GeneratorSpec.impulse(0, 1234, 0));
        int first = impulse.track(1);
        int second = impulse.track(1);
        int bus = impulse.bus(StripKind.GROUP_BUS, 2);
        impulse.feed(first, 1, click);
        impulse.feed(second, 1, click);
        impulse.output(second, bus);
        impulse.set(first, Parameter.PAN, -1);
        impulse.set(second, Parameter.PAN, 1);
        float[][] clicks = impulse.render(4000, blocks);
        assertEquals(1234, firstNonZero(clicks[0]), "direct path");
        assertEquals(1234, firstNonZero(clicks[1]), "path through a bus");
    }

    private static int firstNonZero(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0f) {
                return i;
            }
        }
        return -1;
    }

    static void assertGainDb(double expected, double actual, double tolerance, String what) {
        if (expected == Double.NEGATIVE_INFINITY) {
            assertEquals(Double.NEGATIVE_INFINITY, actual, what + ": expected silence");
            return;
        }
        assertEquals(expected, actual, tolerance, what);
    }
}
