package desk.engine.lv2;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.Processor;

import java.lang.ref.Cleaner;

/**
 * An LV2 plugin in a strip's chain: one instance per strip, or a pair on a stereo strip for a mono plugin. Each
 * instance has its ports connected once, to native buffers of its own; each block copies the strip's signal
 * into them, sets the control inputs that changed, calls the plugin's {@code run} through libffi (no allocation)
 * and copies the outputs back. Parameters are handed to the plugin as set; smoothing them is the plugin's own
 * business, as in every LV2 host. Its latency is read from its latency port once, with the values it was made
 * with. {@link #rtReset} cannot reset a plugin (LV2 has no real-time reset), so the plugin keeps its history.
 * <p>
 * Threads: made, prepared and closed on the control thread; the {@code rt} methods on the audio thread.
 */
final class Lv2Processor implements Processor, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    /**
     * Blocks of silence, and their frames, run to read the latency port: some plugins report a new delay only a
     * block or two after it is set, so the port is read until it holds still for three blocks.
     */
    private static final int LATENCY_PROBE = 64;
    private static final int LATENCY_PROBE_BLOCKS = 32;

    private final Lv2World world;
    private final Lv2World.Entry entry;
    private final PortLayout layout;
    private final double[] values;
    private Lv2Instance[] instances = new Lv2Instance[0];
    private int sampleRate;
    private Cleaner.Cleanable cleanable;
    private int latency = -1;
    private volatile boolean offline;

    Lv2Processor(Lv2World world, Lv2World.Entry entry) {
        this.world = world;
        this.entry = entry;
        this.layout = entry.layout();
        this.values = new double[layout.parameterPort().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = entry.plugin().parameters().get(i).initial();
        }
    }

    @Override
    public void prepare(int sampleRate, int channels) {
        String problem = entry.plugin().problemOn(channels);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.sampleRate = sampleRate;
        int count = entry.plugin().instancesOn(channels);
        Lv2Instance[] made = new Lv2Instance[count];
        Freeing freeing = new Freeing(world, made);
        try {
            for (int i = 0; i < count; i++) {
                made[i] = new Lv2Instance(world, entry, sampleRate, i * entry.plugin().audioInputs());
            }
        } catch (RuntimeException e) {
            freeing.run();
            throw e;
        }
        instances = made;
        cleanable = CLEANER.register(this, freeing);
    }

    /** Frees the instances when the processor is closed or, failing that, collected. */
    private record Freeing(Lv2World world, Lv2Instance[] instances) implements Runnable {
        @Override
        public void run() {
            for (Lv2Instance instance : instances) {
                if (instance != null) {
                    instance.free(world);
                }
            }
        }
    }

    /**
     * The delay the plugin reports on its latency port, read the first time this is asked (on the control thread,
     * before the processor reaches the audio thread) by running short blocks of silence, after which the plugin
     * is started afresh. The background work the plugin asks for meanwhile (loading what its state names) is
     * waited for, since it may change the latency.
     */
    @Override
    public synchronized int latency() {
        if (latency < 0) {
            latency = 0;
            if (layout.latencyPort() >= 0 && instances.length > 0) {
                for (Lv2Instance instance : instances) {
                    instance.waitForWork(true);
                }
                float[][] silence = new float[Limits.MAX_TRACK_CHANNELS][LATENCY_PROBE];
                float reported = Float.NaN;
                int steady = 0;
                for (int block = 0; block < LATENCY_PROBE_BLOCKS && steady < 3; block++) {
                    for (Lv2Instance instance : instances) {
                        instance.rtRun(silence, LATENCY_PROBE, null, values, layout);
                    }
                    float now = instances[0].controlOutput(layout.latencyPort());
                    steady = now == reported ? steady + 1 : 0;
                    reported = now;
                }
                latency = Float.isFinite(reported) ? Math.max(0, Math.round(reported)) : 0;
                for (Lv2Instance instance : instances) {
                    instance.restart();
                    instance.waitForWork(offline);
                }
            }
        }
        return latency;
    }

    @Override
    public boolean runsNativeCode() {
        return true;
    }

    /** The first instance's LV2 state (the pair's instances are set alike), or null for a plugin without one. */
    @Override
    public String saveState() {
        return instances.length == 0 ? null : world.saveState(entry, instances[0].instance(), sampleRate);
    }

    @Override
    public void restoreState(String state) {
        for (Lv2Instance instance : instances) {
            world.restoreState(entry, instance.instance(), sampleRate, instance.worker(), state);
        }
    }

    /** The plugin's background work (its LV2 worker) is waited for within the block that asks for it. */
    @Override
    public void renderOffline() {
        offline = true;
        for (Lv2Instance instance : instances) {
            instance.waitForWork(true);
        }
    }

    @Override
    @RealTime
    public void rtSet(int index, double value) {
        values[index] = value;
    }

    @Override
    @RealTime
    public void rtReset() {
        // An LV2 plugin can be started afresh only off the audio thread; the values set reach it with the next block.
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        if (frames <= 0) {
            return;
        }
        for (Lv2Instance instance : instances) {
            instance.rtRun(io, frames, key, values, layout);
        }
    }

    /** Deactivates and frees the plugin's instances; the audio thread has let go of the processor. */
    @Override
    public void close() {
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    /** The plugin's URI, for messages. */
    @Override
    public String toString() {
        return entry.plugin().typeName();
    }
}
