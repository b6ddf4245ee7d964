package desk.engine;

import desk.engine.fx.EqBatch;
import desk.engine.io.SampleFormat;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audio thread allocates nothing in steady state: a session with tracks, buses, sends, meters (loudness
 * and true peak at every pick-off point), every generator and automation lanes runs 20,000 blocks on its own
 * thread while another thread keeps moving faders, trims, sends, mutes and solos, resets meters, moves
 * loudness meters, sends timed changes and ramps, re-routes tracks (crossfades), adds and removes sends,
 * turns buses' direct outs on and off and moves them between playback channels, starts, stops, locates and
 * loops the transport, maps MIDI controls (every kind) to faders and pans while a controller sends control changes,
 * 14-bit halves, NRPN and pitch bends into every block and messages are injected, sent and reported, adds,
 * removes, bypasses, automates and ramps inserts (a limiter with lookahead and a
 * delay among them, so paths are delay-compensated, and EQs run side by side with the vector API), runs LV2 plugins (a mono amplifier as a pair, whose gain
 * changes, and a stereo peak limiter with atom ports and latency), and starts and stops takes of two armed tracks (one of them monitoring "auto"), while
 * a third plays clips from the disk reader and has them edited; the processing thread's allocated-bytes
 * counter does not move.
 * <p>
 * Steady state begins once the JIT has compiled the processing code: before the first C2 compilation of a
 * class HotSpot resolves that class's string constants on the thread that asked for it, a few bytes each
 * (measured here: none after about 60,000 blocks on an idle machine, later under load). So the test warms
 * up in short calls, enough invocations for C2 to compile the loop itself rather than replace it
 * mid-measurement, until four chunks of 5,000 blocks in a row allocate nothing; then it measures. Under the
 * whole suite, whose earlier tests leave the JIT warm, the first window of 20,000 blocks sometimes holds one
 * allocation of 448 bytes, with no deoptimization on the thread around it (recorded with JFR), that does not come
 * back; so a window that allocates is followed by a second, which must allocate nothing: an allocation made per
 * block, or every few blocks, shows in both.
 */
class AllocationTest {
    private static final int CHUNK_BLOCKS = 5_000;
    private static final int QUIET_CHUNKS = 4;
    private static final int MAX_WARM_UP_BLOCKS = 400_000;
    private static final int MEASURED_BLOCKS = 20_000;
    /** Windows measured at most: a second only after a first that allocated. */
    private static final int MEASURED_WINDOWS = 2;
    /** The controllers a controller of the test sends: bound ones, 14-bit halves, NRPN selection and data; -1: bend. */
    private static final int[] CONTROLLERS = {7, 1, 33, 99, 98, 6, 38, 64, 120, -1};
    private static final int NRPN_MSB = 99;
    private static final int NRPN_LSB = 98;
    /**
     * The NRPN parameter the bindings take. Half the selections name it: picked at random, the first data entry
     * reaching it came late (HotSpot then ran that path for the first time, and resolved its constants, while
     * measuring, not warming up).
     */
    private static final int NRPN_BOUND = 300;

    /** The audio thread's loop: one method for warm-up and measurement, so both run the same compiled code. */
    private static void runBlocks(Engine engine, float[][] capture, float[][] playback, SplittableRandom sizes,
                                  int blocks) {
        for (int i = 0; i < blocks; i++) {
            int frames = 1 + sizes.nextInt(256);
            for (int m = sizes.nextInt(8); m > 0; m--) {
                int controller = CONTROLLERS[sizes.nextInt(CONTROLLERS.length)];
                int value = sizes.nextInt(128);
                if (sizes.nextBoolean() && (controller == NRPN_MSB || controller == NRPN_LSB)) {
                    value = controller == NRPN_MSB ? NRPN_BOUND >> 7 : NRPN_BOUND & 0x7F;
                }
                engine.rtMidiIn(0, sizes.nextInt(frames), controller < 0
                        ? desk.engine.midi.MidiMessages.pack(0xE0 | sizes.nextInt(16), sizes.nextInt(128), sizes.nextInt(128))
                        : desk.engine.midi.MidiMessages.pack(0xB0 | sizes.nextInt(16), controller, value));
            }
            engine.rtProcess(capture, playback, frames);
            engine.rtMidiOut().rtClearOutgoing();
        }
    }

    @Test
    void processingAllocatesNothingInSteadyState(@TempDir Path folder) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM measures allocation per thread");
        threads.setThreadAllocatedMemoryEnabled(true);

        Rig rig = new Rig(48000, Limits.FIRST_DIRECT_OUT + 8);
        int group = rig.bus(StripKind.GROUP_BUS, 2);
        int aux = rig.bus(StripKind.AUX_BUS, 2);
        int monoAux = rig.bus(StripKind.AUX_BUS, 1);
        int[] sources = {
            rig.generator(GeneratorSpec.sine(440, -12)),
            rig.generator(GeneratorSpec.square(110, -20)),
            rig.generator(GeneratorSpec.noise(false, -18, 1)),
            rig.generator(GeneratorSpec.noise(true, -18, 2)),
            rig.generator(GeneratorSpec.impulse(-6, 100, 4800)),
            NodeIds.CAPTURE_ID,
        };
        int[] tracks = new int[12];
        int[] sends = new int[12];
        for (int i = 0; i < tracks.length; i++) {
            int channels = i % 3 == 0 ? 1 : (i % 3 == 1 ? 2 : 6);
            tracks[i] = rig.track(channels);
            rig.feed(tracks[i], channels, sources[i % (sources.length - 1)]);
            rig.output(tracks[i], i % 2 == 0 ? group : NodeIds.MASTER_ID);
            sends[i] = rig.send(tracks[i], i % 4 == 0 ? monoAux : aux, i % 3 == 0, -12);
        }
        rig.output(monoAux, aux);
        rig.engine.execute(new EngineCommand.SetDirectOut(group, new int[]{2, 3}));
        rig.engine.execute(new EngineCommand.SetDirectOut(monoAux, new int[]{9}));
        Interpolation[] shapes = {Interpolation.DB, Interpolation.S_CURVE, Interpolation.GAIN, Interpolation.STEP};
        rig.engine.execute(new EngineCommand.SetLane(tracks[1], Parameter.FADER, new AutomationLane(
                new long[]{0, 20_000, 40_000, 40_000}, new double[]{0, -30, -10, -20}, shapes)));
        rig.engine.execute(new EngineCommand.SetLane(tracks[3], Parameter.PAN, new AutomationLane(
                new long[]{0, 30_000, 60_000, 90_000}, new double[]{-1, 1, 0, 0.5}, shapes)));
        rig.engine.execute(new EngineCommand.SetLane(tracks[5], Parameter.MUTE, new AutomationLane(
                new long[]{0, 10_000, 20_000, 30_000}, new double[]{0, 1, 0, 1}, shapes)));
        int[] utilities = new int[tracks.length];
        int[] extraInserts = new int[tracks.length];
        java.util.Arrays.fill(extraInserts, -1);
        for (int i = 0; i < tracks.length; i++) {
            utilities[i] = rig.id();
            rig.engine.execute(new EngineCommand.AddInsert(utilities[i], tracks[i], "utility", -1,
                    Map.of("gain", -3.0), false));
        }
        for (int i = 0; i < tracks.length; i += 2) {
            rig.engine.execute(new EngineCommand.AddInsert(rig.id(), tracks[i], "eq", -1, Map.of("b1_gain", -2.0,
                    "b2_gain", 3.0, "b3_gain", -1.5, "b4_gain", 2.0), false));
        }
        int automated = rig.id();
        rig.engine.execute(new EngineCommand.AddInsert(automated, tracks[4], "utility", -1, Map.of(), false));
        rig.engine.execute(new EngineCommand.SetInsertLane(automated, "gain", new AutomationLane(
                new long[]{0, 50_000}, new double[]{0, -20}, new Interpolation[]{shapes[0], shapes[1]})));
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), group, "limiter", -1, Map.of(), false));
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), aux, "delay", -1, Map.of(), false));
        int plugin = rig.id();
        rig.engine.execute(new EngineCommand.AddInsert(plugin, group, "lv2:" + Lv2HostTest.AMP, -1, Map.of("gain", -2.0),
                false));
        rig.engine.execute(new EngineCommand.AddInsert(rig.id(), aux, "lv2:" + Lv2HostTest.PEAK_LIMITER, -1, Map.of(),
                false));
        List<desk.engine.midi.MidiBinding> bindings = new java.util.ArrayList<>();
        desk.engine.midi.MidiControlType[] types = desk.engine.midi.MidiControlType.values();
        for (int channel = 1; channel <= 16; channel++) {
            desk.engine.midi.MidiControlType type = types[channel % types.length];
            int number = switch (type) {
                case CC -> 7;
                case CC14 -> 1;
                case NRPN -> NRPN_BOUND;
                case PITCH_BEND -> 0;
            };
            bindings.add(new desk.engine.midi.MidiBinding(channel, 0, channel, type, number, tracks[channel % tracks.length],
                    channel % 2 == 0 ? Parameter.FADER : Parameter.PAN, -60, 6, desk.engine.midi.MidiCurve.values()[channel % 2],
                    channel % 3 == 0));
        }
        rig.engine.execute(new EngineCommand.SetMidiMap(bindings));
        desk.engine.midi.MidiReportSink ignore = (sample, port, message, binding, value, applied) -> { };
        rig.engine.execute(new EngineCommand.SetTransport(true));
        for (int i = 0; i < tracks.length; i++) {
            rig.engine.execute(new EngineCommand.SetLoudness(tracks[i], MeterPoint.values()[i % 3]));
        }
        rig.engine.execute(new EngineCommand.SetArmed(tracks[0], true));
        rig.engine.execute(new EngineCommand.SetArmed(tracks[1], true));
        rig.engine.execute(new EngineCommand.SetMonitoring(tracks[1], MonitorMode.AUTO));
        Path clipFile = folder.resolve("clip.wav");
        try (desk.engine.io.WavWriter writer = desk.engine.io.WavWriter.create(clipFile, 48000, 1, SampleFormat.PCM_24)) {
            float[][] tone = new float[1][96_000];
            for (int i = 0; i < tone[0].length; i++) {
                tone[0][i] = (float) Math.sin(i * 0.01) * 0.5f;
            }
            writer.write(tone, 0, tone[0].length);
        }
        rig.engine.execute(new EngineCommand.SetMonitoring(tracks[2], MonitorMode.OFF));
        long takeLength = 48_000;
        long nextTake = 0;
        int takeCount = 0;
        boolean recording = false;

        assertTrue(EqBatch.awaitTaking(60, TimeUnit.SECONDS), "the EQs run side by side");
        AtomicLong measured = new AtomicLong(-1);
        List<Long> windows = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicLong sideBySide = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread audio = new Thread(() -> {
            try {
                float[][] capture = {new float[256]};
                float[][] playback = new float[Limits.FIRST_DIRECT_OUT + 8][256];
                SplittableRandom blockSizes = new SplittableRandom(5);
                rig.engine.setAudioThreadRunning(true);
                int quiet = 0;
                for (int warmed = 0; quiet < QUIET_CHUNKS && warmed < MAX_WARM_UP_BLOCKS; warmed += CHUNK_BLOCKS) {
                    long chunkStart = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < CHUNK_BLOCKS / 100; i++) {
                        runBlocks(rig.engine, capture, playback, blockSizes, 100);
                    }
                    quiet = threads.getCurrentThreadAllocatedBytes() == chunkStart ? quiet + 1 : 0;
                }
                for (int window = 0; window < MEASURED_WINDOWS && measured.get() != 0; window++) {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    long lanesBefore = EqBatch.lanesRun();
                    runBlocks(rig.engine, capture, playback, blockSizes, MEASURED_BLOCKS);
                    measured.set(threads.getCurrentThreadAllocatedBytes() - before);
                    sideBySide.set(EqBatch.lanesRun() - lanesBefore);
                    windows.add(measured.get());
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.set(true);
            }
        }, "allocation-test-audio");
        audio.start();

        SplittableRandom random = new SplittableRandom(9);
        long changes = 0;
        int extraSend = -1;
        while (!done.get()) {
            int i = random.nextInt(tracks.length);
            long soon = rig.engine.position() + random.nextInt(1, 20_000);
            switch (random.nextInt(10)) {
                case 0 -> rig.engine.execute(new EngineCommand.At(soon,
                        new EngineCommand.SetOutput(tracks[i], random.nextBoolean() ? group : NodeIds.MASTER_ID)));
                case 1 -> rig.engine.execute(new EngineCommand.At(soon,
                        new EngineCommand.SetParameter(tracks[i], Parameter.TRIM, random.nextInt(-6, 7))));
                case 2 -> rig.engine.execute(new EngineCommand.Glide(tracks[0], Parameter.FADER, -random.nextInt(30),
                        random.nextInt(1, 5_000), shapes[random.nextInt(shapes.length)]));
                case 3 -> rig.engine.execute(new EngineCommand.At(soon, switch (random.nextInt(3)) {
                    case 0 -> new EngineCommand.SetTransport(random.nextInt(4) > 0);
                    case 1 -> new EngineCommand.Locate(random.nextInt(100_000));
                    default -> {
                        long start = random.nextInt(80_000);
                        yield new EngineCommand.SetLoop(random.nextInt(4) == 0 ? null
                                : new LoopRange(start, start + random.nextInt(1, 20_000)));
                    }
                }));
                case 4 -> {
                    if (extraSend < 0) {
                        extraSend = rig.send(tracks[2], group, false, -10);
                    } else {
                        rig.engine.execute(new EngineCommand.RemoveSend(extraSend));
                        extraSend = -1;
                    }
                }
                case 5 -> rig.engine.execute(new EngineCommand.At(soon, new EngineCommand.SetClips(tracks[2], List.of(
                        new EngineCommand.Clip(clipFile, random.nextInt(1000), 90_000, random.nextInt(50_000),
                                -random.nextInt(12), 100, 100, false)))));
                case 6 -> {
                    boolean first = random.nextBoolean();
                    int[] channels = random.nextInt(3) == 0 ? new int[0] : first ? new int[]{2, 3} : new int[]{3, 2};
                    rig.engine.execute(new EngineCommand.At(soon, new EngineCommand.SetDirectOut(group, channels)));
                    rig.engine.execute(new EngineCommand.SetDirectOut(aux, first ? new int[]{6, 7} : new int[]{5, 4}));
                }
                case 7 -> {
                    int utility = utilities[i];
                    switch (random.nextInt(5)) {
                        case 0 -> rig.engine.execute(new EngineCommand.SetInsertBypass(utility, random.nextBoolean()));
                        case 1 -> rig.engine.execute(new EngineCommand.At(soon,
                                new EngineCommand.SetInsertParameter(utility, "width", random.nextInt(201))));
                        case 2 -> rig.engine.execute(new EngineCommand.GlideInsert(utility, "gain", -random.nextInt(30),
                                random.nextInt(1, 5_000), null));
                        case 3 -> {
                            rig.engine.execute(new EngineCommand.RemoveInsert(utility));
                            utilities[i] = rig.id();
                            rig.engine.execute(new EngineCommand.AddInsert(utilities[i], tracks[i], "utility", 0,
                                    Map.of("mono", 1.0), false));
                        }
                        default -> {
                            if (extraInserts[i] < 0) {
                                extraInserts[i] = rig.id();
                                rig.engine.execute(new EngineCommand.AddInsert(extraInserts[i], tracks[i], "delay", 0,
                                        Map.of("time", 20.0), random.nextBoolean()));
                                rig.engine.execute(new EngineCommand.MoveInsert(utilities[i], 0));
                            } else {
                                rig.engine.execute(new EngineCommand.RemoveInsert(extraInserts[i]));
                                extraInserts[i] = -1;
                            }
                        }
                    }
                }
                case 8 -> {
                    rig.engine.execute(new EngineCommand.At(soon, new EngineCommand.ReceiveMidi(0, 0xB1, 7, random.nextInt(128))));
                    rig.engine.execute(new EngineCommand.SendMidi(1, 0x90, 60, random.nextInt(128)));
                    rig.engine.execute(new EngineCommand.SetInsertParameter(plugin, "gain", -random.nextInt(12)));
                    rig.engine.execute(new EngineCommand.SetMidiCurrent(1 + random.nextInt(16), random.nextDouble()));
                    rig.engine.midiEvents(random.nextBoolean(), ignore);
                }
                default -> rig.engine.maintain();
            }
            rig.set(tracks[i], Parameter.FADER, -random.nextInt(40));
            rig.set(tracks[i], Parameter.TRIM, random.nextInt(-6, 7));
            rig.set(sends[i], Parameter.SEND_LEVEL, -random.nextInt(30));
            rig.set(tracks[i], Parameter.MUTE, random.nextInt(2));
            rig.set(tracks[random.nextInt(tracks.length)], Parameter.SOLO, random.nextInt(2));
            rig.engine.meter(tracks[i], MeterPoint.values()[i % 3]);
            if (changes % 500 == 0) {
                rig.engine.execute(new EngineCommand.ResetMeters(random.nextBoolean() ? tracks[i] : NodeIds.NO_NODE));
                rig.engine.execute(new EngineCommand.SetLoudness(tracks[i], MeterPoint.values()[random.nextInt(3)]));
            }
            long now = rig.engine.position();
            if (!recording && now >= nextTake) {
                takeCount++;
                rig.engine.execute(new EngineCommand.StartTake(List.of(
                        new EngineCommand.TakeTrack(tracks[0], folder.resolve("take-" + takeCount + "-a.wav")),
                        new EngineCommand.TakeTrack(tracks[1], folder.resolve("take-" + takeCount + "-b.wav"))),
                        SampleFormat.PCM_24, 5));
                recording = true;
                nextTake = now + takeLength;
            } else if (recording && now >= nextTake) {
                rig.engine.execute(new EngineCommand.StopTake());
                recording = false;
                nextTake = now + 9 * takeLength;
            }
            changes++;
            Thread.onSpinWait();
        }
        audio.join();
        assertNull(failure.get());
        assertEquals(0, rig.engine.failures(), "no failure inside DSP");
        assertTrue(changes > 100, "parameters moved while measuring: " + changes);
        assertTrue(takeCount > 2, "takes recorded: " + takeCount);
        rig.engine.setAudioThreadRunning(false);
        if (recording) {
            rig.engine.execute(new EngineCommand.StopTake());
        }
        rig.engine.rtProcess(new float[1][1], new float[2][1], 1);
        RecordTest.waitForTakes(rig.engine);
        System.out.println("audio thread allocation per window of " + MEASURED_BLOCKS + " blocks: " + windows + " bytes");
        assertEquals(0, measured.get(), "bytes allocated by the audio thread over " + MEASURED_BLOCKS + " blocks, in"
                + " each window measured: " + windows);
        assertTrue(sideBySide.get() > 0, "EQs ran side by side while measured: " + sideBySide.get() + " lanes");
    }
}
