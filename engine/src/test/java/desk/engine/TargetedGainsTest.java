package desk.engine;

import desk.engine.backend.BlockSizes;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change of pan, balance, pan law, mute or a send's level or pan sends only the gains of the paths it
 * changes. That must come to the same mix as working every gain out afresh: an engine taken through a random
 * walk of such changes (with a few solos, solo-safes and re-routings among them, which refresh everything)
 * sounds, at every checkpoint, sample for sample like an engine given only the settings reached.
 */
class TargetedGainsTest {
    private static final int RATE = 48000;
    private static final int SETTLE = RATE / 10;
    private static final int COMPARED = 4800;

    /** The nodes of one rig, built the same way every time, and the frames it has rendered. */
    private static final class Desk {
        final Rig rig = new Rig(RATE);
        final int group = rig.bus(StripKind.GROUP_BUS, 2);
        final int aux = rig.bus(StripKind.AUX_BUS, 2);
        final int monoA = rig.track(1);
        final int stereo = rig.track(2);
        final int monoB = rig.track(1);
        final int sendA;
        final int sendB;
        long rendered;

        Desk() {
            rig.feed(monoA, 1, rig.generator(GeneratorSpec.sine(300, -12)));
            rig.engine.execute(new EngineCommand.SetInput(stereo, 0, rig.generator(GeneratorSpec.sine(500, -12)), 0));
            rig.engine.execute(new EngineCommand.SetInput(stereo, 1, rig.generator(GeneratorSpec.sine(700, -15)), 0));
            rig.feed(monoB, 1, rig.generator(GeneratorSpec.sine(1100, -18)));
            rig.output(monoA, group);
            rig.output(stereo, group);
            sendA = rig.send(monoA, aux, false, -10);
            sendB = rig.send(stereo, aux, true, -14);
        }

        float[][] render(int frames) {
            rendered += frames;
            return rig.render(frames, BlockSizes.fixed(64));
        }
    }

    /**
     * Lets {@code walked} settle, then compares what it plays next with a fresh desk given only {@code settings}
     * and monoB's output {@code monoBOutput}, at the same sample position.
     */
    private static void assertSameMix(Desk walked, Map<List<Object>, Double> settings, int monoBOutput, String when) {
        walked.render(SETTLE);
        walked.rig.engine.maintain();
        Desk fresh = new Desk();
        fresh.rig.output(fresh.monoB, monoBOutput);
        settings.forEach((key, value) -> fresh.rig.set((Integer) key.get(0), (Parameter) key.get(1), value));
        fresh.render((int) walked.rendered);
        float[][] walkedMix = walked.render(COMPARED);
        float[][] freshMix = fresh.render(COMPARED);
        assertArrayEquals(freshMix[0], walkedMix[0], "left, " + when);
        assertArrayEquals(freshMix[1], walkedMix[1], "right, " + when);
    }

    @Test
    void changingOnlyThePathsAChangeTouchesSoundsLikeAFreshMix() {
        Desk walked = new Desk();
        SplittableRandom random = new SplittableRandom(21);
        Map<List<Object>, Double> settings = new LinkedHashMap<>();
        int monoBOutput = NodeIds.MASTER_ID;
        int[] strips = {walked.monoA, walked.stereo, walked.monoB, walked.group, walked.aux, NodeIds.MASTER_ID};
        double[] panLaws = {0, -3, -4.5, -6};
        for (int step = 1; step <= 2000; step++) {
            int strip = strips[random.nextInt(strips.length)];
            int send = random.nextBoolean() ? walked.sendA : walked.sendB;
            int node = strip;
            Parameter parameter;
            double value;
            int choice = random.nextInt(100);
            if (choice < 20) {
                node = random.nextBoolean() ? walked.monoA : walked.monoB;
                parameter = Parameter.PAN;
                value = -1 + 2 * random.nextDouble();
            } else if (choice < 35) {
                node = random.nextBoolean() ? walked.stereo : walked.group;
                parameter = Parameter.BALANCE;
                value = -1 + 2 * random.nextDouble();
            } else if (choice < 42) {
                parameter = Parameter.PAN_LAW;
                value = panLaws[random.nextInt(panLaws.length)];
            } else if (choice < 62) {
                parameter = Parameter.MUTE;
                value = random.nextInt(3) == 0 ? 1 : 0;
            } else if (choice < 80) {
                node = send;
                parameter = Parameter.SEND_LEVEL;
                value = random.nextInt(8) == 0 ? Double.NEGATIVE_INFINITY : -40 + 46 * random.nextDouble();
            } else if (choice < 90) {
                node = send;
                parameter = Parameter.SEND_PAN;
                value = random.nextInt(3) == 0 ? Double.NaN : -1 + 2 * random.nextDouble();
            } else if (choice < 95) {
                parameter = random.nextBoolean() ? Parameter.FADER : Parameter.TRIM;
                value = -20 + 20 * random.nextDouble();
            } else if (choice < 98) {
                parameter = random.nextBoolean() ? Parameter.SOLO : Parameter.SOLO_SAFE;
                node = strip == NodeIds.MASTER_ID ? walked.monoB : strip;
                value = random.nextInt(3) == 0 ? 1 : 0;
            } else {
                monoBOutput = random.nextBoolean() ? walked.group : NodeIds.MASTER_ID;
                walked.rig.output(walked.monoB, monoBOutput);
                continue;
            }
            walked.rig.set(node, parameter, value);
            settings.put(List.of(node, parameter), value);
            if (step % 10 == 0) {
                walked.render(1 + random.nextInt(300));
            }
            if (step % 100 == 0) {
                assertSameMix(walked, settings, monoBOutput, "after step " + step);
            }
        }
        assertTrue(settings.size() > 20, "settings touched: " + settings.size());
    }

    /** The group is heard while the soloed track feeds it, and must fall silent once that path has faded out. */
    @Test
    void soloFollowsAPathThatFadedOutBeforeATargetedChange() {
        Desk walked = new Desk();
        Map<List<Object>, Double> settings = new LinkedHashMap<>();
        walked.rig.output(walked.monoB, walked.group);
        walked.rig.set(walked.stereo, Parameter.SOLO_SAFE, 1);
        settings.put(List.of(walked.stereo, Parameter.SOLO_SAFE), 1.0);
        walked.rig.set(walked.monoB, Parameter.SOLO, 1);
        settings.put(List.of(walked.monoB, Parameter.SOLO), 1.0);
        walked.rig.output(walked.monoB, NodeIds.MASTER_ID);
        walked.render(SETTLE);
        walked.rig.engine.maintain();
        walked.rig.set(walked.group, Parameter.BALANCE, 0.5);
        settings.put(List.of(walked.group, Parameter.BALANCE), 0.5);
        assertSameMix(walked, settings, NodeIds.MASTER_ID, "after the group's path from the soloed track faded out");
    }
}
