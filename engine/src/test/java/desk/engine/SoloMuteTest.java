package desk.engine;

import desk.engine.backend.BlockSizes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The mute and solo truth table. Each of five tracks puts a sine of its own frequency into the mix: T1
 * and T2 through group G, T3 straight to the master, T4 with a send to aux R (and straight to the master),
 * T5 straight; R returns to the master. Which tones reach the master is read from the render by
 * correlating it with each tone.
 */
class SoloMuteTest {
    private static final double[] FREQUENCIES = {300, 500, 700, 1100, 1300};
    private static final String[] NAMES = {"T1", "T2", "T3", "T4", "T5"};

    private Rig rig;
    private int[] tracks;
    private int group;
    private int reverb;

    private void build() {
        rig = new Rig(48000);
        tracks = new int[5];
        group = rig.bus(StripKind.GROUP_BUS, 2);
        reverb = rig.bus(StripKind.AUX_BUS, 2);
        for (int i = 0; i < 5; i++) {
            tracks[i] = rig.track(1);
            rig.feed(tracks[i], 1, rig.generator(GeneratorSpec.sine(FREQUENCIES[i], -20)));
        }
        rig.output(tracks[0], group);
        rig.output(tracks[1], group);
        rig.send(tracks[3], reverb, false, 0);
    }

    /** Level of each track's tone in the master, and whether T4's tone arrives through R (dry muted). */
    private List<String> audible() {
        float[][] out = rig.render(4800, BlockSizes.fixed(256));
        List<String> heard = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            double amplitude = toneAmplitude(out[0], FREQUENCIES[i], 48000);
            if (amplitude > 1e-3) {
                heard.add(NAMES[i] + (i == 3 ? (amplitude > 0.07 * 1.5 ? "+R" : "") : ""));
            }
        }
        return heard;
    }

    private static double toneAmplitude(float[] x, double frequency, int rate) {
        double re = 0;
        double im = 0;
        for (int n = 0; n < x.length; n++) {
            re += x[n] * Math.cos(2 * Math.PI * frequency * n / rate);
            im += x[n] * Math.sin(2 * Math.PI * frequency * n / rate);
        }
        return 2 * Math.hypot(re, im) / x.length;
    }

    private void check(String expected) {
        assertEquals(expected, String.join(" ", audible()));
    }

    @Test
    void nothingSoloedNothingMutedEverythingSounds() {
        build();
        check("T1 T2 T3 T4+R T5");
    }

    @Test
    void muteSilencesATrackAndItsSends() {
        build();
        rig.set(tracks[3], Parameter.MUTE, 1);
        rig.set(tracks[2], Parameter.MUTE, 1);
        check("T1 T2 T5");
    }

    @Test
    void mutingABusSilencesWhatFeedsIt() {
        build();
        rig.set(group, Parameter.MUTE, 1);
        check("T3 T4+R T5");
    }

    @Test
    void soloingATrackMutesTheOthersButTheBusItFeedsKeepsSounding() {
        build();
        rig.set(tracks[0], Parameter.SOLO, 1);
        check("T1");
    }

    @Test
    void soloingATrackKeepsItsSendsAndReturn() {
        build();
        rig.set(tracks[3], Parameter.SOLO, 1);
        check("T4+R");
    }

    @Test
    void soloingABusKeepsWhatFeedsIt() {
        build();
        rig.set(group, Parameter.SOLO, 1);
        check("T1 T2");
    }

    @Test
    void soloingAnAuxGivesItsReturnOnly() {
        build();
        rig.set(reverb, Parameter.SOLO, 1);
        check("T4");
    }

    @Test
    void soloSafeStripsAreNotMutedBySolo() {
        build();
        rig.set(tracks[4], Parameter.SOLO_SAFE, 1);
        rig.set(tracks[2], Parameter.SOLO, 1);
        check("T3 T5");
    }

    @Test
    void twoSolosAddUp() {
        build();
        rig.set(tracks[2], Parameter.SOLO, 1);
        rig.set(tracks[1], Parameter.SOLO, 1);
        check("T2 T3");
    }

    @Test
    void muteWinsOverSolo() {
        build();
        rig.set(tracks[2], Parameter.SOLO, 1);
        rig.set(tracks[2], Parameter.MUTE, 1);
        check("");
    }

    @Test
    void unsoloingRestoresTheMix() {
        build();
        rig.set(tracks[2], Parameter.SOLO, 1);
        rig.set(tracks[2], Parameter.SOLO, 0);
        check("T1 T2 T3 T4+R T5");
    }

    @Test
    void masterMuteSilencesEverything() {
        build();
        rig.set(NodeIds.MASTER_ID, Parameter.MUTE, 1);
        check("");
    }
}
