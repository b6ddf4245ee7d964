package desk.engine;

import desk.engine.lv2.Lv2Plugin;
import desk.engine.lv2.Lv2World;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thirty-one real plugins from three packages (x42-plugins, lsp-plugins-lv2, swh-lv2), each on a strip of its
 * own in one engine: they insert, process noise with 0 bytes allocated by the processing thread, give finite
 * output, and once removed their instances are freed on the control side. As in {@link AllocationTest}, the
 * measure starts once the JIT has settled (four quiet chunks of 2,000 blocks in a row: before compiling a class,
 * HotSpot resolves its constants on the thread that runs it, a few bytes now and then).
 */
class Lv2PluginSetTest {
    /** Effects whose output stays bounded on noise (swh's harmonicGen and chebstortion do not: they read state
     * their activate never sets). */
    static final List<String> PLUGINS = List.of(
            "http://gareus.org/oss/lv2/balance", "http://gareus.org/oss/lv2/darc#mono",
            "http://gareus.org/oss/lv2/darc#stereo", "http://gareus.org/oss/lv2/dpl#mono",
            "http://gareus.org/oss/lv2/dpl#stereo", "http://gareus.org/oss/lv2/fil4#mono",
            "http://gareus.org/oss/lv2/fil4#stereo", "http://gareus.org/oss/lv2/nodelay",
            "http://gareus.org/oss/lv2/phaserotate", "http://gareus.org/oss/lv2/zeroconvolv#Stereo",
            "http://lsp-plug.in/plugins/lv2/compressor_mono", "http://lsp-plug.in/plugins/lv2/compressor_stereo",
            "http://lsp-plug.in/plugins/lv2/gate_mono", "http://lsp-plug.in/plugins/lv2/limiter_stereo",
            "http://lsp-plug.in/plugins/lv2/para_equalizer_x16_stereo",
            "http://lsp-plug.in/plugins/lv2/graph_equalizer_x16_mono", "http://lsp-plug.in/plugins/lv2/comp_delay_mono",
            "http://lsp-plug.in/plugins/lv2/expander_stereo", "http://lsp-plug.in/plugins/lv2/dyna_processor_mono",
            "http://lsp-plug.in/plugins/lv2/slap_delay_stereo",
            "http://plugin.org.uk/swh-plugins/amp", "http://plugin.org.uk/swh-plugins/singlePara",
            "http://plugin.org.uk/swh-plugins/triplePara", "http://plugin.org.uk/swh-plugins/sc4",
            "http://plugin.org.uk/swh-plugins/dcRemove", "http://plugin.org.uk/swh-plugins/delay_c",
            "http://plugin.org.uk/swh-plugins/flanger", "http://plugin.org.uk/swh-plugins/gate",
            "http://plugin.org.uk/swh-plugins/hardLimiter", "http://plugin.org.uk/swh-plugins/lookaheadLimiter",
            "http://plugin.org.uk/swh-plugins/fastLookaheadLimiter");
    private static final int BLOCK = 256;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes this thread allocates processing {@code blocks} blocks. */
    private static long allocatedOver(Rig rig, float[][] capture, float[][] playback, int blocks) {
        long start = THREADS.getCurrentThreadAllocatedBytes();
        for (int block = 0; block < blocks; block++) {
            rig.engine.rtProcess(capture, playback, BLOCK);
        }
        return THREADS.getCurrentThreadAllocatedBytes() - start;
    }

    @Test
    void thirtyOnePluginsFromThreePackagesInsertProcessAndReleaseWithoutAllocating() {
        Lv2World world = Lv2World.get();
        Set<String> packages = PLUGINS.stream().map(uri -> uri.split("/")[2]).collect(Collectors.toSet());
        assertEquals(3, packages.size());
        int before = world.liveInstances();
        Rig rig = new Rig(48_000);
        List<Integer> inserts = new ArrayList<>();
        int instances = 0;
        for (String uri : PLUGINS) {
            Lv2Plugin plugin = world.find(uri, 48_000);
            assertTrue(plugin != null && plugin.hostable(), uri + ": " + (plugin == null ? "not installed" : plugin.problem()));
            int channels = plugin.audioInputs();
            int track = rig.track(channels);
            rig.feed(track, channels, rig.generator(GeneratorSpec.noise(false, -20, inserts.size() + 1)));
            int insert = rig.id();
            rig.engine.execute(new EngineCommand.AddInsert(insert, track, "lv2:" + uri, -1, Map.of(), false));
            inserts.add(insert);
            instances++;
        }
        assertEquals(before + instances, world.liveInstances());
        float[][] playback = new float[2][BLOCK];
        float[][] capture = new float[0][];
        int quiet = 0;
        for (int chunk = 0; chunk < 40 && quiet < 4; chunk++) {
            quiet = allocatedOver(rig, capture, playback, 2_000) == 0 ? quiet + 1 : 0;
        }
        assertEquals(0, allocatedOver(rig, capture, playback, 8_000),
                "bytes allocated by the processing thread over 8,000 blocks");
        double peak = 0;
        for (int block = 0; block < 100; block++) {
            rig.engine.rtProcess(capture, playback, BLOCK);
            for (float[] channel : playback) {
                for (float sample : channel) {
                    peak = Math.max(peak, Math.abs(sample));
                }
            }
        }
        assertTrue(peak > 0.001 && peak < 100, "the mix is heard and bounded: peak " + peak);
        for (int insert : inserts) {
            rig.engine.execute(new EngineCommand.RemoveInsert(insert));
        }
        for (int block = 0; block < 200; block++) {
            rig.engine.rtProcess(capture, playback, BLOCK);
        }
        rig.engine.maintain();
        assertEquals(before, world.liveInstances(), "every instance freed once handed back");
    }
}
