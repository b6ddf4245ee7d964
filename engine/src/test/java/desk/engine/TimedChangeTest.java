package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.dsp.Decibels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timed commands take effect on their exact sample whatever the block size, and changes of routing
 * crossfade the old path out and the new one in with equal power, leaving nothing but the ideal crossfade.
 */
class TimedChangeTest {
    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void aTimedFaderChangeStartsOnItsSample(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(50, 0)));
        rig.set(track, Parameter.PAN, -1);
        rig.engine.execute(new EngineCommand.At(12_345, new EngineCommand.SetParameter(track, Parameter.FADER, -6)));
        rig.engine.execute(new EngineCommand.At(5_000, new EngineCommand.SetParameter(track, Parameter.TRIM, -3)));
        float[] left = rig.render(14_000, blocks)[0];
        int ramp = rate * Limits.DECLICK_MILLISECONDS / 1000;
        assertEquals(1f, Math.abs(left[4_999]), "trim not yet changed");
        assertTrue(Math.abs(left[5_000]) < 1f, "trim ramp starts on sample 5,000");
        assertEquals(-3, Decibels.fromGain(left[5_000 + ramp - 1]), 1e-4);
        assertEquals(-3, Decibels.fromGain(left[12_344]), 1e-4, "fader not yet changed");
        assertTrue(Decibels.fromGain(left[12_345]) < -3 - 1e-4, "fader ramp starts on sample 12,345");
        assertEquals(-9, Decibels.fromGain(left[12_345 + ramp - 1]), 1e-4);
    }

    @Test
    void commandsSentLaterButDueEarlierStillLandOnTheirSamples() {
        Rig rig = new Rig(48_000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(50, 0)));
        rig.set(track, Parameter.PAN, -1);
        rig.engine.execute(new EngineCommand.At(3_000, new EngineCommand.SetParameter(track, Parameter.FADER, -12)));
        rig.engine.execute(new EngineCommand.At(1_000, new EngineCommand.SetParameter(track, Parameter.FADER, -6)));
        float[] left = rig.render(4_000, BlockSizes.fixed(4096))[0];
        assertEquals(0, Decibels.fromGain(left[999]), 1e-6);
        assertEquals(-6, Decibels.fromGain(left[2_999]), 1e-4);
        assertEquals(-12, Decibels.fromGain(left[3_999]), 1e-4);
    }

    @Test
    void timedCommandsAreCheckedWhole() {
        Rig rig = new Rig(48_000);
        int track = rig.track(1);
        EngineException late = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.At(-1, new EngineCommand.SetParameter(track, Parameter.FADER, -6))));
        assertEquals("command time -1: must be 0..1099511627776 samples", late.getMessage());
        EngineException nested = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.At(5, new EngineCommand.At(6, new EngineCommand.SetTransport(true)))));
        assertTrue(nested.getMessage().startsWith("a timed command needs one command"), nested.getMessage());
    }

    /**
     * A sine on a mono track is re-routed between two buses every 100 ms for 60 s; bus A plays on the left
     * only, bus B on the right only. Both paths meet on the master, so the crossfade is equal gain (straight
     * lines that sum to one): each side must equal the sine times that ideal envelope, switching on the exact
     * samples; the residual stays below -60 dBFS throughout.
     */
    @Test
    void reroutingEvery100MsLeavesOnlyTheIdealCrossfade() throws IOException {
        int rate = 48_000;
        Rig rig = new Rig(rate);
        int busA = rig.bus(StripKind.GROUP_BUS, 2);
        int busB = rig.bus(StripKind.GROUP_BUS, 2);
        rig.set(busA, Parameter.BALANCE, -1);
        rig.set(busB, Parameter.BALANCE, 1);
        int track = rig.track(1);
        double frequency = 997;
        double amplitude = Decibels.toGain(-6);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(frequency, -6)));
        rig.output(track, busA);
        OfflineRenderer renderer = new OfflineRenderer(rig.engine);
        BlockSizes blocks = BlockSizes.random(77, 1, 4096);
        int period = rate / 10;
        int fade = rate * Limits.CROSSFADE_MILLISECONDS / 1000;
        double centre = Math.sqrt(0.5);
        double worst = 0;
        int switches = 0;
        for (int step = 0; step < 600; step++) {
            long at = (long) step * period + period / 2;
            boolean toB = step % 2 == 0;
            rig.engine.execute(new EngineCommand.At(at, new EngineCommand.SetOutput(track, toB ? busB : busA)));
            switches++;
            float[][] out = renderer.renderToMemory(period, blocks);
            for (int i = 0; i < period; i++) {
                long n = (long) step * period + i;
                double sine = amplitude * Math.sin(2 * Math.PI * frequency * n / rate);
                long since = n - at;
                double rising;
                if (since < 0) {
                    rising = 0;
                } else if (since + 1 >= fade) {
                    rising = 1;
                } else {
                    rising = (since + 1.0) / fade;
                }
                double falling = since < 0 ? 1 : since + 1 >= fade ? 0 : 1 - (since + 1.0) / fade;
                double gainA = toB ? falling : rising;
                double gainB = toB ? rising : falling;
                worst = Math.max(worst, Math.abs(out[0][i] - sine * centre * gainA));
                worst = Math.max(worst, Math.abs(out[1][i] - sine * centre * gainB));
            }
        }
        assertEquals(600, switches);
        assertTrue(Decibels.fromGain(worst) < -60, "largest residual " + Decibels.fromGain(worst) + " dBFS");
        assertTrue(rig.engine.processingOrder().length <= 5, "faded paths leave the plan");
    }

    /**
     * A track moved from the master to a group that feeds the master at unity, and back: the two paths carry
     * one signal to one bus, so they crossfade with equal gain and the master never swells (an equal-power
     * crossfade of two correlated copies would peak 3 dB up mid-fade). The master equals the straight render
     * within 0.01 dB on every sample.
     */
    @Test
    void aMoveBetweenTwoPathsThatMeetKeepsTheLevel() throws IOException {
        int rate = 48_000;
        Rig rig = new Rig(rate);
        int group = rig.bus(StripKind.GROUP_BUS, 2);
        int track = rig.track(1);
        double amplitude = Decibels.toGain(-6);
        double frequency = 440;
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(frequency, -6)));
        OfflineRenderer renderer = new OfflineRenderer(rig.engine);
        rig.engine.execute(new EngineCommand.At(4_800, new EngineCommand.SetOutput(track, group)));
        rig.engine.execute(new EngineCommand.At(14_400, new EngineCommand.SetOutput(track, NodeIds.MASTER_ID)));
        float[][] out = renderer.renderToMemory(24_000, BlockSizes.random(5, 1, 4096));
        double centre = Math.sqrt(0.5);
        double worst = 0;
        for (int n = 0; n < 24_000; n++) {
            double expected = amplitude * centre * Math.sin(2 * Math.PI * frequency * n / rate);
            worst = Math.max(worst, Math.abs(out[0][n] - expected));
        }
        assertTrue(worst <= amplitude * centre * (Decibels.toGain(0.01) - 1), "largest deviation "
                + Decibels.fromGain(worst) + " dBFS");
    }

    @Test
    void removingATrackOrASendFadesItOut() throws IOException {
        int rate = 48_000;
        Rig rig = new Rig(rate);
        int aux = rig.bus(StripKind.AUX_BUS, 2);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(50, 0)));
        rig.set(track, Parameter.PAN, -1);
        rig.output(track, NodeIds.NO_NODE);
        int send = rig.send(track, aux, true, 0);
        rig.set(send, Parameter.SEND_PAN, 1);
        OfflineRenderer renderer = new OfflineRenderer(rig.engine);
        renderer.renderToMemory(1_000, BlockSizes.fixed(100));
        rig.engine.execute(new EngineCommand.At(1_000, new EngineCommand.RemoveSend(send)));
        float[] right = renderer.renderToMemory(1_000, BlockSizes.fixed(100))[1];
        int fade = rate * Limits.CROSSFADE_MILLISECONDS / 1000;
        assertEquals(Math.cos(Math.PI / 2 / fade), Math.abs(right[0]), 1e-6, "fading from the first sample");
        assertEquals(Math.cos(Math.PI / 2 * 200 / fade), Math.abs(right[199]), 1e-6, "equal-power fade");
        assertEquals(0f, right[fade - 1], "silent once faded");

        int other = rig.track(1);
        rig.feed(other, 1, rig.generator(GeneratorSpec.square(50, 0)));
        rig.set(other, Parameter.PAN, -1);
        renderer.renderToMemory(1_000, BlockSizes.fixed(100));
        rig.engine.execute(new EngineCommand.At(3_000, new EngineCommand.RemoveStrip(other)));
        float[] left = renderer.renderToMemory(1_000, BlockSizes.fixed(64))[0];
        assertEquals(Math.cos(Math.PI / 2 / fade), Math.abs(left[0]), 1e-6);
        assertEquals(0f, left[fade - 1]);
        rig.engine.maintain();
        assertEquals(3, rig.engine.processingOrder().length, "the first track, the aux and the master are left");
    }
}
