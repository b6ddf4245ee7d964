package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeping stems changes nothing in the mix (the master renders the same samples), and each stem is the path
 * its strip mixes into its bus, with how far it runs ahead of the master's output.
 */
class StemTapTest {
    private static final int RATE = 48000;

    private record Built(Rig rig, int track, int group) {
    }

    /** A track through a group bus with a limiter (latency) and a second track straight into the master. */
    private static Built build() {
        Rig rig = new Rig(RATE);
        int group = rig.bus(StripKind.GROUP_BUS, 2);
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), group, "limiter", -1, Map.of("ceiling", -6.0), false));
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(false, -12, 3)));
        rig.output(track, group);
        rig.set(track, Parameter.PAN, 0.5);
        int direct = rig.track(1);
        rig.feed(direct, 1, rig.generator(GeneratorSpec.noise(true, -18, 4)));
        return new Built(rig, direct, group);
    }

    @Test
    void theMasterIsTheSameWithStemsKeptAndTheStemsSumToIt() throws IOException {
        float[][] plain = build().rig().render(RATE / 2, BlockSizes.random(5, 1, 1024));
        Built built = build();
        Stems stems = built.rig().engine.tapStems(new int[]{built.track(), built.group()}, new boolean[2]);
        int latency = built.rig().engine.processingLatency();
        assertTrue(latency > 0, "the limiter delays the mix");
        assertEquals(latency, stems.ahead(0), "the direct track runs ahead of the master by the limiter's latency");
        assertEquals(0, stems.ahead(1), "the group's output is the master's input time");
        float[][] master = new float[2][RATE / 2];
        float[][][] stem = new float[2][2][RATE / 2];
        int[] at = {0};
        new OfflineRenderer(built.rig().engine).render(RATE / 2, BlockSizes.random(5, 1, 1024), (out, frames) -> {
            for (int c = 0; c < 2; c++) {
                System.arraycopy(out[c], 0, master[c], at[0], frames);
                for (int s = 0; s < 2; s++) {
                    System.arraycopy(stems.block(s)[c], 0, stem[s][c], at[0], frames);
                }
            }
            assertEquals(frames, stems.frames());
            stems.rewind();
            at[0] += frames;
        });
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(plain[c], master[c], "keeping stems leaves the master as it was");
            double residual = 0;
            for (int i = latency; i < RATE / 2; i++) {
                residual = Math.max(residual, Math.abs(master[c][i] - stem[0][c][i - latency] - stem[1][c][i]));
            }
            assertTrue(residual < 1e-6, "the direct stem, delayed by its lead, and the group's sum to the master: "
                    + residual);
        }
        built.rig().engine.untapStems();
        assertThrows(EngineException.class, () -> built.rig().engine.tapStems(new int[]{NodeIds.MASTER_ID}, new boolean[1]));
    }

    /** Renders stem 0 of {@code built}'s direct track, before or after its fader at {@code faderDb}. */
    private static float[][] directStem(boolean preFader, double faderDb) throws IOException {
        Built built = build();
        built.rig().set(built.track(), Parameter.FADER, faderDb);
        Stems stems = built.rig().engine.tapStems(new int[]{built.track()}, new boolean[]{preFader});
        float[][] stem = new float[stems.channels(0)][RATE / 4];
        int[] at = {0};
        new OfflineRenderer(built.rig().engine).render(RATE / 4, BlockSizes.random(9, 1, 1024), (out, frames) -> {
            for (int c = 0; c < stem.length; c++) {
                System.arraycopy(stems.block(0)[c], 0, stem[c], at[0], frames);
            }
            stems.rewind();
            at[0] += frames;
        });
        return stem;
    }

    @Test
    void beforeTheFaderAStemIsTheStripsOwnSignalOnItsOwnChannels() throws IOException {
        float[][] pre = directStem(true, -10);
        assertEquals(1, pre.length, "a mono track's stem before the fader is mono");
        assertArrayEquals(pre[0], directStem(true, 0)[0], "the fader does not touch it");
        float[][] post = directStem(false, -10);
        assertEquals(2, post.length, "after the fader, on the master's channels");
        int loudest = 0;
        for (int i = 0; i < pre[0].length; i++) {
            loudest = Math.abs(pre[0][i]) > Math.abs(pre[0][loudest]) ? i : loudest;
        }
        for (int c = 0; c < 2; c++) {
            double gain = post[c][loudest] / pre[0][loudest];
            assertTrue(gain > 0.1 && gain < 0.4, "-10 dB and a centre pan: " + gain);
            for (int i = 0; i < pre[0].length; i++) {
                assertEquals(pre[0][i] * gain, post[c][i], 1e-6, "channel " + c + " sample " + i);
            }
        }
    }
}
