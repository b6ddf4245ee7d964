package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;
import desk.engine.lv2.Lv2Plugin;
import desk.engine.lv2.Lv2Preset;
import desk.engine.lv2.Lv2World;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hosting real LV2 plugins (the swh and x42 sets the tests install): discovery through liblilv, parameters from
 * the plugins' data, sound against the analytic result, mono plugins as pairs, latency into delay compensation,
 * and refusals.
 */
class Lv2HostTest {
    static final String AMP = "http://plugin.org.uk/swh-plugins/amp";
    static final String NO_DELAY_LINE = "http://gareus.org/oss/lv2/nodelay";
    static final String PEAK_LIMITER = "http://gareus.org/oss/lv2/dpl#stereo";
    static final String CONVOLVER = "http://gareus.org/oss/lv2/zeroconvolv#Mono";
    static final String GONIOMETER = "http://gareus.org/oss/lv2/meters#goniometer";

    @Test
    void liblilvFindsTheInstalledPluginsAndTheirParameters() {
        Lv2World world = Lv2World.get();
        assertNull(world.unavailable());
        Lv2Plugin amp = world.find(AMP, 48_000);
        assertNotNull(amp, "swh amp installed");
        assertEquals("Simple amplifier", amp.name());
        assertEquals(1, amp.audioInputs());
        assertEquals(1, amp.audioOutputs());
        assertTrue(amp.hostable(), amp.problem());
        InsertParameter gain = amp.parameters().get(0);
        assertEquals("gain", gain.name());
        assertEquals(-70, gain.min());
        assertEquals(70, gain.max());
        assertEquals(0, gain.initial());
        assertEquals(amp, world.find("simple AMPLIFIER", 48_000), "a unique name finds it too");
        assertTrue(world.plugins("amplifier", 48_000).contains(amp));
        assertTrue(world.plugins(48_000).size() > 100, "the swh and x42 sets: " + world.plugins(48_000).size());
    }

    @Test
    void unitsChoicesAndSwitchesComeFromThePluginsData() {
        Lv2Plugin limiter = Lv2World.get().find(PEAK_LIMITER, 48_000);
        InsertParameter threshold = limiter.parameters().stream().filter(p -> p.name().equals("threshold")).findFirst()
                .orElseThrow();
        assertEquals("dB", threshold.unit());
        assertEquals(-10, threshold.min());
        assertTrue(limiter.parameters().stream().anyMatch(p -> p.name().equals("enable") && p.isToggle()));
        Lv2Plugin noDelay = Lv2World.get().find(NO_DELAY_LINE, 48_000);
        InsertParameter mode = noDelay.parameters().stream().filter(p -> p.name().equals("report_latency"))
                .findFirst().orElseThrow();
        assertEquals(List.of("Delay, do not report latency", "Delay and report latency", "No delay, only report latency",
                "No delay, do not report latency"), mode.choices());
        assertEquals(1, mode.initial());
    }

    @Test
    void pluginsDeskCannotHostSayWhy() {
        Lv2Plugin scope = Lv2World.get().find(GONIOMETER, 48_000);
        assertEquals("it is an analyser that shows what it measures only in its own window (its UI), which Desk"
                + " cannot open; Desk's meters read levels in scripts", scope.problem());
        assertNull(InsertTypes.find("lv2:" + GONIOMETER, 48_000));
        assertTrue(InsertTypes.whyNot("lv2:" + GONIOMETER).contains("cannot be hosted: it is an analyser"));
        assertTrue(Lv2World.get().find(CONVOLVER, 48_000).hostable(), "a plugin that needs a worker has one");
        assertTrue(InsertTypes.whyNot("lv2:no such plugin").startsWith(
                "no installed LV2 plugin has the URI or name \"no such plugin\""));
        Rig rig = new Rig(48_000);
        int track = rig.track(1);
        EngineException refused = assertThrows(EngineException.class, () -> rig.engine.execute(
                new EngineCommand.AddInsert(rig.id(), track, "lv2:" + PEAK_LIMITER, -1, Map.of(), false)));
        assertTrue(refused.getMessage().contains("it takes 2 audio inputs, so it goes on stereo strips"),
                refused.getMessage());
    }

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void theAmplifierRaisesAMonoTrackByItsGain(int rate, BlockSizes blocks) {
        float[][] plain = render(rate, blocks, 1, null);
        float[][] amplified = render(rate, blocks, 1, 7.5);
        double gain = Math.pow(10, 7.5 / 20);
        for (int c = 0; c < 2; c++) {
            assertTrue(Rig.peakDb(plain[c], 0, plain[c].length) > -40, "a signal to amplify");
            assertTrue(residualDb(plain[c], amplified[c], gain) < -110, "residual " + residualDb(plain[c], amplified[c], gain));
        }
    }

    @Test
    void aMonoPluginRunsAsAPairOnAStereoTrack() {
        float[][] plain = render(44_100, BlockSizes.random(3, 1, 2048), 2, null);
        float[][] amplified = render(44_100, BlockSizes.random(3, 1, 2048), 2, -12.0);
        double gain = Math.pow(10, -12.0 / 20);
        for (int c = 0; c < 2; c++) {
            assertTrue(residualDb(plain[c], amplified[c], gain) < -110, "channel " + c);
        }
    }

    @ParameterizedTest(name = "{0} samples")
    @ValueSource(ints = {1, 480, 4099})
    void aPluginsReportedLatencyIsCompensatedOnTheMaster(int delay) {
        Rig rig = new Rig(48_000);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(true, -12, 5)));
        int delayed = rig.bus(StripKind.GROUP_BUS, 2);
        int dry = rig.bus(StripKind.GROUP_BUS, 2);
        rig.output(track, delayed);
        rig.send(track, dry, false, 0);
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), delayed, "lv2:" + NO_DELAY_LINE, -1,
                Map.of("delay", (double) delay), false));
        rig.engine.execute(new EngineCommand.SetPolarity(dry, new boolean[]{true, true}));
        assertEquals(delay, rig.engine.stripLatency(NodeIds.MASTER_ID), "the plugin's latency is the session's");
        float[][] out = rig.render(24_000, BlockSizes.random(9, 1, 1024));
        for (float[] channel : out) {
            assertTrue(Rig.peakDb(channel, 0, channel.length) < -100, "cancels: " + Rig.peakDb(channel, 0, channel.length));
        }
    }

    /**
     * x42's convolver loads its impulse response on its worker: the state names the file, the plugin schedules the
     * load from {@code restore}, the worker thread reads the file and the answer swaps it in on the audio thread.
     * An impulse through it comes out as the file's taps, at their exact samples, once the plugin's reported
     * latency is taken off, on every render. (Within 1e-6, not bit for bit: the plugin convolves with FFTs whose
     * plans it times as it starts, so their rounding differs in the last bits from render to render. The response is
     * one short partition: the plugin convolves longer ones on threads of its own, which offline renders outrun.)
     */
    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void theConvolverLoadsItsImpulseResponseOnItsWorker(int rate, BlockSizes blocks, @TempDir Path folder)
            throws Exception {
        Path response = folder.resolve("response.wav");
        float[] taps = new float[64];
        taps[0] = 0.5f;
        taps[37] = -0.25f;
        taps[63] = 0.125f;
        try (WavWriter writer = WavWriter.create(response, rate, 1, SampleFormat.FLOAT_32)) {
            writer.write(new float[][]{taps}, 0, taps.length);
        }
        String state = "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n"
                + "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
                + "@prefix state: <http://lv2plug.in/ns/ext/state#> .\n"
                + "<urn:desk:state> a pset:Preset ; lv2:appliesTo <" + CONVOLVER + "> ;\n"
                + "  state:state [ <http://gareus.org/oss/lv2/zeroconvolv#ir> <" + response.toUri() + "> ] .\n";
        int impulseAt = 100;
        for (int render = 0; render < 2; render++) {
            float[] out = convolve(rate, blocks, state);
            for (int i = 0; i < out.length; i++) {
                float expected = i >= impulseAt && i - impulseAt < taps.length ? taps[i - impulseAt] : 0;
                assertEquals(expected, out[i], 1e-6, "render " + render + ", sample " + i);
            }
        }
    }

    /** The left master channel through the convolver, divided by the track's own gain there (from a dry render). */
    private static float[] convolve(int rate, BlockSizes blocks, String state) {
        float[] dry = impulseThrough(rate, blocks, null);
        float[] wet = impulseThrough(rate, blocks, state);
        double gain = dry[100];
        assertTrue(gain > 0.1, "the impulse reaches the master: " + gain);
        float[] scaled = new float[wet.length];
        for (int i = 0; i < wet.length; i++) {
            scaled[i] = (float) (wet[i] / gain);
        }
        return scaled;
    }

    /** 4096 samples of the left master channel after its latency, for an impulse at 100 through a mono track. */
    private static float[] impulseThrough(int rate, BlockSizes blocks, String convolverState) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.impulse(0, 100, 0)));
        if (convolverState != null) {
            rig.engine.execute(new EngineCommand.AddInsert(rig.id(), track, "lv2:" + CONVOLVER, -1, Map.of(), false,
                    convolverState));
        }
        int latency = rig.engine.stripLatency(NodeIds.MASTER_ID);
        float[][] out = rig.render(4096 + latency, blocks);
        return Arrays.copyOfRange(out[0], latency, latency + 4096);
    }

    static final String AUTOTUNE = "http://gareus.org/oss/lv2/fat1";

    @Test
    void presetsComeFromThePluginsDataWithTheirParameterValuesAndState() {
        Lv2World world = Lv2World.get();
        assertEquals(List.of("Live", "Slightly Corrected"), world.presets(AUTOTUNE));
        Lv2Preset live = world.preset(AUTOTUNE, "live", 48_000);
        assertEquals("Live", live.label(), "found in any case");
        assertEquals(1, live.values().get("fastmode"), "a switch, on");
        assertEquals(0.84, live.values().get("corr"), 1e-6);
        assertNull(live.state(), "port values only");
        assertNull(world.preset(AUTOTUNE, "Studio", 48_000));
        assertEquals(List.of(), world.presets(AMP));
        Lv2Preset noOp = world.preset(CONVOLVER, "No-OP Mono", 48_000);
        assertTrue(noOp.state().contains("delta-48k.wav"), "the convolver's preset names its impulse response");
    }

    /** The convolver's own preset, a unit impulse response, passes the signal unchanged once its latency is off. */
    @ParameterizedTest(name = "blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void theConvolversNoOpPresetPassesTheSignalUnchanged(int ignoredRate, BlockSizes blocks) {
        String state = Lv2World.get().preset(CONVOLVER, "No-OP Mono", 48_000).state();
        float[] dry = impulseThrough(48_000, blocks, null);
        float[] wet = impulseThrough(48_000, blocks, state);
        for (int i = 0; i < dry.length; i++) {
            assertEquals(dry[i], wet[i], 1e-6, "sample " + i);
        }
    }

    static final String SINGLE_BAND_EQ = "http://plugin.org.uk/swh-plugins/singlePara";

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void anLv2EqSetToA6DbPeakAt1KhzRaisesA1KhzSineBy6Db(int rate) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.sine(1000, -20)));
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), track, "lv2:" + SINGLE_BAND_EQ, -1,
                Map.of("gain", 6.0, "fc", 1000.0, "bw", 1.0), false));
        float[][] out = rig.render(rate, BlockSizes.fixed(512));
        double level = Rig.peakDb(out[0], rate / 2, rate) + 3.0103;
        assertEquals(-14.0, level, 0.01, "a -20 dBFS sine, +6 dB, centre-panned (-3 dB) on each side: " + level);
    }

    /**
     * swh's single-band parametric is the cookbook peaking filter with its bandwidth in octaves, computed in single
     * precision; Desk's {@code eq} is the same filter with its bandwidth as Q, in double precision. With Q worked
     * out from the bandwidth (Q = 1 / (2 sinh(ln 2 / 2 · BW · w0 / sin w0))) the two null on noise down to what
     * float coefficients allow: below -100 dB under the signal.
     */
    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void theLv2EqAndDesksEqSetAlikeNullAgainstEachOther(int rate) {
        double frequency = 2500;
        double bandwidth = 1.5;
        double w0 = 2 * Math.PI * frequency / rate;
        double q = 1 / (2 * Math.sinh(Math.log(2) / 2 * bandwidth * w0 / Math.sin(w0)));
        float[] plugin = renderEq(rate, "lv2:" + SINGLE_BAND_EQ, Map.of("gain", -7.5, "fc", frequency, "bw", bandwidth));
        float[] desk = renderEq(rate, "eq", Map.of("b1_freq", frequency, "b1_gain", -7.5, "b1_q", q));
        float[] dry = renderEq(rate, null, Map.of());
        float[] residual = new float[desk.length];
        float[] change = new float[desk.length];
        for (int i = 0; i < desk.length; i++) {
            residual[i] = plugin[i] - desk[i];
            change[i] = desk[i] - dry[i];
        }
        double signal = Rig.peakDb(desk, 0, desk.length);
        double difference = Rig.peakDb(residual, 0, residual.length);
        assertTrue(Rig.peakDb(change, 0, change.length) - signal > -20, "the EQ changes the signal");
        assertTrue(difference - signal < -100, "residual " + (difference - signal) + " dB under the signal");
    }

    private static float[] renderEq(int rate, String type, Map<String, Double> settings) {
        Rig rig = new Rig(rate);
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.noise(false, -12, 21)));
        if (type != null) {
            rig.engine.execute(new EngineCommand.AddInsert(rig.id(), track, type, -1, settings, false));
        }
        return rig.render(rate / 2, BlockSizes.random(5, 1, 2048))[0];
    }

    @Test
    void aRateRelativeRangeIsInHzAtTheSessionsRate() {
        InsertParameter at48 = Lv2World.get().find(SINGLE_BAND_EQ, 48_000).parameters().get(1);
        InsertParameter at96 = Lv2World.get().find(SINGLE_BAND_EQ, 96_000).parameters().get(1);
        assertEquals("fc", at48.name());
        assertEquals("Hz", at48.unit());
        assertEquals(0.4 * 48_000, at48.max(), 0.01);
        assertEquals(0.4 * 96_000, at96.max(), 0.01);
        assertEquals(440, at96.initial(), 1e-9);
    }

    static final String FIL4_MONO = "http://gareus.org/oss/lv2/fil4#mono";

    @Test
    void aPluginsStateIsSavedAsTurtleAndRestoredBeforeItsFirstBlock() throws Exception {
        ProcessorType type = InsertTypes.find("lv2:" + FIL4_MONO, 48_000);
        double[] values = type.initialValues();
        values[type.indexOf("gain1")] = 4;
        Processor original = type.create(48_000, 1, values);
        float[] heard = process(original, 7);
        String state = original.saveState();
        assertNotNull(state, "fil4 has the state interface");
        assertTrue(state.contains("urn:desk:state"), state);
        Processor restored = type.create(48_000, 1, values, state);
        Processor again = type.create(48_000, 1, values, state);
        assertEquals(state, restored.saveState(), "what is restored is what was saved");
        assertTrue(java.util.Arrays.equals(process(restored, 7), process(again, 7)));
        for (Processor processor : List.of(original, restored, again)) {
            ((AutoCloseable) processor).close();
        }
        assertTrue(heard.length > 0);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> type.create(48_000, 1, values, "not turtle at all"));
        assertTrue(refused.getMessage().contains("not lilv state"), refused.getMessage());
    }

    /** {@code processor}'s output for 188 blocks of 256 frames of seeded noise. */
    private static float[] process(Processor processor, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] out = new float[48_128];
        float[][] io = {new float[256]};
        for (int at = 0; at < out.length; at += 256) {
            for (int i = 0; i < 256; i++) {
                io[0][i] = (float) (0.1 * random.nextGaussian());
            }
            processor.rtProcess(io, 256, null);
            System.arraycopy(io[0], 0, out, at, 256);
        }
        return out;
    }

    @Test
    void aProcessorIsClosedOnceAndFreesItsInstances() throws Exception {
        ProcessorType type = InsertTypes.find("lv2:" + AMP, 48_000);
        Processor processor = type.create(48_000, 2, type.initialValues());
        float[][] io = {new float[64], new float[64]};
        io[0][0] = 1;
        processor.rtProcess(io, 64, null);
        assertEquals(1, io[0][0]);
        ((AutoCloseable) processor).close();
        ((AutoCloseable) processor).close();
    }

    private static float[][] render(int rate, BlockSizes blocks, int channels, Double gain) {
        Rig rig = new Rig(rate);
        int track = rig.track(channels);
        rig.feed(track, channels, rig.generator(GeneratorSpec.noise(false, -14, 11)));
        if (gain != null) {
            rig.engine.execute(new EngineCommand.AddInsert(rig.id(), track, "lv2:" + AMP, -1, Map.of("gain", gain), false));
        }
        return rig.render(rate / 2, blocks);
    }

    /** The level of {@code actual} less {@code reference} times {@code gain}, dBFS. */
    private static double residualDb(float[] reference, float[] actual, double gain) {
        float[] residual = new float[reference.length];
        for (int i = 0; i < reference.length; i++) {
            residual[i] = (float) (actual[i] - reference[i] * gain);
        }
        return Rig.peakDb(residual, 0, residual.length);
    }
}
