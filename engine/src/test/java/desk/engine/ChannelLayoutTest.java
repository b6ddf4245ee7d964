package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.dsp.Decibels;
import desk.engine.dsp.PanLaw;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How strips of one width feed destinations of another: stereo balance, mono downmix, wide tracks spread. */
class ChannelLayoutTest {
    private static final double AMPLITUDE = Decibels.toGain(-6);

    /** Impulse amplitude seen on each master channel, relative to the impulse, in linear gain. */
    private static double[] gains(Rig rig) {
        float[][] out = rig.render(2000, BlockSizes.random(3, 1, 300));
        return new double[]{out[0][1000] / AMPLITUDE, out[1][1000] / AMPLITUDE};
    }

    private static int impulse(Rig rig) {
        return rig.generator(GeneratorSpec.impulse(-6, 1000, 0));
    }

    @Test
    void stereoBalanceTurnsDownOneSideLinearly() {
        Rig rig = new Rig(48000);
        int track = rig.track(2);
        rig.feed(track, 2, impulse(rig));
        rig.set(track, Parameter.BALANCE, 0.25);
        double[] gains = gains(rig);
        assertEquals(0.75, gains[0], 1e-6, "left turned down");
        assertEquals(1.0, gains[1], 1e-6, "right untouched");
    }

    @Test
    void anythingIntoAMonoBusIsTheAverageOfItsChannelsWithNeitherPanNorBalance() {
        Rig rig = new Rig(48000);
        int bus = rig.bus(StripKind.GROUP_BUS, 1);
        int stereo = rig.track(2);
        rig.engine.execute(new EngineCommand.SetInput(stereo, 0, impulse(rig), 0));
        rig.output(stereo, bus);
        rig.set(stereo, Parameter.BALANCE, 1);
        rig.set(bus, Parameter.PAN, -1);
        double[] gains = gains(rig);
        assertEquals(0.5, gains[0], 1e-6, "(L + R) / 2 with R silent, the balance to the right not applied");
        assertEquals(0.0, gains[1], 1e-9);
    }

    @Test
    void wideTracksSpreadTheirChannelsFromLeftToRight() {
        Rig rig = new Rig(48000);
        int track = rig.track(5);
        int source = impulse(rig);
        rig.engine.execute(new EngineCommand.SetInput(track, 1, source, 0));
        double[] gains = gains(rig);
        double position = -1 + 2.0 * 1 / 4;
        assertEquals(PanLaw.MINUS_3_DB.left(position), gains[0], 1e-6, "channel 2 of 5 sits at L50");
        assertEquals(PanLaw.MINUS_3_DB.right(position), gains[1], 1e-6);
    }

    /** A mono track panned hard right with no output of its own, heard only through a post-fader send. */
    private static Rig sendOnly(double sendPan) {
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        rig.feed(track, 1, impulse(rig));
        rig.output(track, NodeIds.NO_NODE);
        int send = rig.send(track, rig.bus(StripKind.AUX_BUS, 2), false, 0);
        rig.set(track, Parameter.PAN, 1);
        if (!Double.isNaN(sendPan)) {
            rig.set(send, Parameter.SEND_PAN, sendPan);
        }
        return rig;
    }

    @Test
    void sendsFollowTheSourcePanUnlessGivenTheirOwn() {
        double[] following = gains(sendOnly(Double.NaN));
        assertEquals(0.0, following[0], 1e-9);
        assertEquals(1.0, following[1], 1e-6, "the send pans like its strip");
        double[] own = gains(sendOnly(-1));
        assertEquals(1.0, own[0], 1e-6, "the send's own pan wins");
        assertEquals(0.0, own[1], 1e-9);
    }
}
