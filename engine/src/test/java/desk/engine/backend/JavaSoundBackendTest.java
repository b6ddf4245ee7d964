package desk.engine.backend;

import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.GeneratorSpec;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.dsp.Decibels;
import desk.engine.dsp.PanLaw;
import desk.engine.io.SampleFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on a Java Sound output line, played by {@link VirtualSoundCard}s that consume audio at the
 * real-time rate of their format: the device and format chosen, the samples that reach the line, real-time
 * pacing, xruns, failures of the device, release of the line, and no allocation on the writer thread.
 */
class JavaSoundBackendTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 128;
    private static final int TRACK = 2;
    private static final int TONE = 3;
    private static final double TONE_HZ = 1000;
    private static final double TONE_DB = -12;
    private static final double FADER_DB = -6;
    private static final double PAN = 0.5;
    private static final AudioFormat.Encoding FLOAT = AudioFormat.Encoding.PCM_FLOAT;
    private static final AudioFormat.Encoding SIGNED = AudioFormat.Encoding.PCM_SIGNED;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<VirtualSoundCard> cards = new ArrayList<>();
    private final List<JavaSoundBackend> backends = new ArrayList<>();

    @AfterEach
    void unplugEverything() {
        backends.forEach(JavaSoundBackend::close);
        cards.forEach(VirtualSoundCard::unplug);
    }

    private VirtualSoundCard card(String name, int maxLines, int recordBytes, AudioFormat... formats) {
        VirtualSoundCard card = VirtualSoundCard.plugIn(name, maxLines, recordBytes, formats);
        cards.add(card);
        return card;
    }

    private JavaSoundBackend open(Engine engine, int period) {
        JavaSoundBackend backend = JavaSoundBackend.open(engine, period);
        backends.add(backend);
        return backend;
    }

    /** An engine at {@code rate} playing a sine on a mono track at the test's fader and pan. */
    private static Engine toneEngine(int rate) {
        Engine engine = new Engine(rate, 0);
        engine.execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.CreateGenerator(TONE, GeneratorSpec.sine(TONE_HZ, TONE_DB)));
        engine.execute(new EngineCommand.SetInput(TRACK, 0, TONE, 0));
        engine.execute(new EngineCommand.SetParameter(TRACK, Parameter.FADER, FADER_DB));
        engine.execute(new EngineCommand.SetParameter(TRACK, Parameter.PAN, PAN));
        return engine;
    }

    /** Waits until {@code engine} has played {@code frames} frames. */
    private static void awaitPosition(Engine engine, long frames) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (engine.position() < frames) {
            assertTrue(System.nanoTime() < deadline, "the engine reached " + engine.position() + " of " + frames);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Decodes little-endian stereo {@code format} bytes into two channels, full scale 1.0. */
    private static double[][] decode(byte[] bytes, AudioFormat format) {
        int sampleBytes = format.getSampleSizeInBits() / 8;
        int frames = bytes.length / format.getFrameSize();
        double[][] channels = new double[2][frames];
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < 2; c++) {
                int at = i * format.getFrameSize() + c * sampleBytes;
                int value = 0;
                for (int b = 0; b < sampleBytes; b++) {
                    value |= (bytes[at + b] & 0xff) << (8 * b);
                }
                if (format.getEncoding().equals(FLOAT)) {
                    channels[c][i] = Float.intBitsToFloat(value);
                } else {
                    int shift = 32 - 8 * sampleBytes;
                    channels[c][i] = ((value << shift) >> shift) / Math.pow(2, 8 * sampleBytes - 1);
                }
            }
        }
        return channels;
    }

    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void aToneOnATrackReachesTheLineAtItsGainAndPanInTheFormatTheCardTakes(SampleFormat sampleFormat) {
        AudioFormat offered = VirtualSoundCard.stereo(sampleFormat.isFloat() ? FLOAT : SIGNED,
                sampleFormat.bitsPerSample(), AudioSystem.NOT_SPECIFIED);
        int seconds = 1;
        VirtualSoundCard card = card("Virtual " + sampleFormat, 1, 2 * seconds * RATE * 2 * 4, offered);
        Engine engine = toneEngine(RATE);
        JavaSoundBackend backend = open(engine, PERIOD);
        VirtualLine line = card.lines().getFirst();
        AudioFormat format = line.getFormat();
        assertEquals(offered.getEncoding(), format.getEncoding());
        assertEquals(sampleFormat.bitsPerSample(), format.getSampleSizeInBits());
        assertEquals(2, format.getChannels());
        assertEquals(RATE, format.getSampleRate());
        assertFalse(format.isBigEndian());
        assertEquals(format, backend.format());
        assertEquals(JavaSoundBackend.LINE_PERIODS * PERIOD, backend.bufferFrames(), "the buffer asked for");
        assertEquals(PERIOD * JavaSoundBackend.LINE_PERIODS * format.getFrameSize(), line.getBufferSize());
        assertTrue(backend.describe().startsWith("Java Sound output \"Virtual " + sampleFormat + "\" ("),
                backend.describe());

        long start = System.nanoTime();
        backend.start();
        awaitPosition(engine, (long) seconds * RATE);
        long elapsed = System.nanoTime() - start;
        long frames = engine.position();
        assertTrue(frames <= RATE * elapsed / 1e9 + backend.bufferFrames() + PERIOD,
                "paced by the line: " + frames + " frames in " + elapsed / 1e6 + " ms");
        backend.close();
        assertEquals(engine.position() / PERIOD, backend.periods(), "whole periods only");
        assertEquals(0, engine.position() % PERIOD);

        double[][] out = decode(line.recording(), format);
        int silence = backend.bufferFrames();
        for (int i = 0; i < silence; i++) {
            assertEquals(0.0, out[0][i], "the buffer starts full of silence, frame " + i);
            assertEquals(0.0, out[1][i], "the buffer starts full of silence, frame " + i);
        }
        double step = sampleFormat.isFloat() ? 1e-6 : Math.pow(2, 1 - sampleFormat.bitsPerSample());
        double amplitude = Decibels.toGain(TONE_DB) * Decibels.toGain(FADER_DB);
        double[] sides = {amplitude * PanLaw.MINUS_3_DB.left(PAN), amplitude * PanLaw.MINUS_3_DB.right(PAN)};
        int compared = 0;
        for (int i = silence; i < out[0].length && i - silence < frames; i++) {
            double wave = Math.sin(2 * Math.PI * TONE_HZ * (i - silence) / RATE);
            for (int c = 0; c < 2; c++) {
                assertEquals(sides[c] * wave, out[c][i], step, "channel " + c + ", engine frame " + (i - silence));
            }
            compared++;
        }
        assertTrue(compared >= RATE * seconds - silence, "frames compared: " + compared);
        assertEquals(0, engine.failures());
    }

    @Test
    void theLineRunningDryCountsAsAnXrun() {
        VirtualSoundCard card = card("Virtual", 1, 0, VirtualSoundCard.stereo(SIGNED, 16, RATE));
        Engine engine = toneEngine(RATE);
        JavaSoundBackend backend = open(engine, PERIOD);
        backend.start();
        awaitPosition(engine, RATE / 10);
        VirtualLine line = card.lines().getFirst();
        long before = backend.xruns();
        line.skip(3L * backend.bufferFrames());
        awaitPosition(engine, engine.position() + 4L * PERIOD);
        assertTrue(backend.xruns() > before, "xruns " + before + " then " + backend.xruns());
        assertTrue(line.underruns() >= 1, "the line ran dry");
    }

    @Test
    void stopAndCloseReleaseTheLineAndTheEngineStandsStill() {
        VirtualSoundCard card = card("Exclusive", 1, 0, VirtualSoundCard.stereo(SIGNED, 24, AudioSystem.NOT_SPECIFIED));
        Engine engine = toneEngine(RATE);
        JavaSoundBackend backend = open(engine, PERIOD);
        EngineException busy = assertThrows(EngineException.class,
                () -> JavaSoundBackend.open(new Engine(RATE, 0), PERIOD));
        assertEquals("Java Sound output \"Exclusive\" would not open a line: every line of the card is in use",
                busy.getMessage());
        backend.start();
        VirtualLine line = card.lines().getFirst();
        assertTrue(line.isRunning());
        awaitPosition(engine, RATE / 10);
        backend.close();
        assertFalse(line.isOpen(), "the line is closed");
        assertFalse(line.isRunning());
        long position = engine.position();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        assertEquals(position, engine.position(), "stopped: the position stands still");
        engine.execute(new EngineCommand.SetParameter(TRACK, Parameter.FADER, -20));
        backend.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, backend::start);
        assertEquals("Java Sound output \"Exclusive\" is closed", closed.getMessage());

        JavaSoundBackend again = open(new Engine(RATE, 0), PERIOD);
        assertTrue(card.lines().get(card.lines().size() - 1).isOpen(), "the card's only line was free again");
        again.close();
        assertEquals(0, engine.failures());
    }

    @Test
    void aDeviceThatGoesAwayOrBreaksStopsTheWriterWithOneLineAndTheEngineTakesCommands() throws Exception {
        for (boolean unplug : new boolean[]{true, false}) {
            VirtualSoundCard card = card("Flaky", 1, 0, VirtualSoundCard.stereo(SIGNED, 16, RATE));
            Engine engine = toneEngine(RATE);
            JavaSoundBackend backend = open(engine, PERIOD);
            CountDownLatch reported = new CountDownLatch(1);
            AtomicReference<String> event = new AtomicReference<>();
            backend.onEvent(line -> {
                event.set(line);
                reported.countDown();
            });
            backend.start();
            awaitPosition(engine, RATE / 20);
            assertNull(backend.failure(), "playing");
            if (unplug) {
                card.unplug();
            } else {
                card.lines().getFirst().failNextWrite(new IllegalStateException("device broke"));
            }
            assertTrue(reported.await(10, TimeUnit.SECONDS), "the failure was reported");
            assertTrue(event.get().startsWith("Java Sound output \"Flaky\" failed ("), event.get());
            assertTrue(event.get().endsWith("): the engine stands still; the session is kept"), event.get());
            assertTrue(event.get().contains(unplug ? "of " + PERIOD * 4 + " bytes of a period)" : "(device broke)"),
                    event.get());
            assertEquals(event.get(), backend.failure());
            long position = engine.position();
            engine.execute(new EngineCommand.SetParameter(TRACK, Parameter.FADER, -20));
            assertEquals(position, engine.position(), "the engine stands still");
            backend.close();
            assertFalse(card.lines().getFirst().isOpen());
        }
    }

    @Test
    void theDeviceThatMixesComesFirstAndTheBestFormatItTakes() {
        card("Exclusive", 1, 0, VirtualSoundCard.stereo(FLOAT, 32, AudioSystem.NOT_SPECIFIED));
        VirtualSoundCard mixing = card("Shared", AudioSystem.NOT_SPECIFIED, 0,
                VirtualSoundCard.stereo(SIGNED, 16, RATE), VirtualSoundCard.stereo(SIGNED, 24, RATE));
        JavaSoundBackend backend = open(new Engine(RATE, 0), 256);
        assertEquals("Shared", backend.deviceName());
        assertEquals(24, backend.format().getSampleSizeInBits());
        assertSame(backend.format(), mixing.lines().getFirst().getFormat());
        assertEquals("Java Sound output \"Shared\" (24-bit PCM) at 48000 Hz, 256-frame periods, 1024-frame buffer",
                backend.describe());
        backend.close();

        String named = System.getProperty(JavaSoundBackend.DEVICE_PROPERTY);
        try {
            System.setProperty(JavaSoundBackend.DEVICE_PROPERTY, named + "#Exclusive");
            JavaSoundBackend exclusive = open(new Engine(RATE, 0), 256);
            assertEquals("Exclusive", exclusive.deviceName(), "the device the property names");
            assertEquals(AudioFormat.Encoding.PCM_FLOAT, exclusive.format().getEncoding());
            exclusive.close();
            System.setProperty(JavaSoundBackend.DEVICE_PROPERTY, named + "#Missing");
            EngineException missing = assertThrows(EngineException.class, () -> open(new Engine(RATE, 0), 256));
            assertEquals("Java Sound has no output device named by " + JavaSoundBackend.DEVICE_PROPERTY + "=" + named
                    + "#Missing (looked for one playing stereo at 48000 Hz in 32-bit float or 24- or 16-bit"
                    + " little-endian PCM)", missing.getMessage());
        } finally {
            System.setProperty(JavaSoundBackend.DEVICE_PROPERTY, named);
        }
    }

    @Test
    void noDeviceOrNoneAtTheRateIsRefusedInOneLineSayingWhatWasLookedFor() {
        String among = " named by " + JavaSoundBackend.DEVICE_PROPERTY + "=" + VirtualSoundCards.class.getName();
        EngineException none = assertThrows(EngineException.class,
                () -> JavaSoundBackend.open(new Engine(RATE, 0), 256));
        assertEquals("Java Sound has no output device" + among + " (looked for one playing stereo at 48000 Hz in"
                + " 32-bit float or 24- or 16-bit little-endian PCM)", none.getMessage());
        card("CD player", 1, 0, VirtualSoundCard.stereo(SIGNED, 16, 44100));
        card("Mono", 1, 0, new AudioFormat(RATE, 16, 1, true, false));
        EngineException wrongRate = assertThrows(EngineException.class,
                () -> JavaSoundBackend.open(new Engine(RATE, 0), 256));
        assertEquals("no Java Sound output device" + among + " plays stereo at 48000 Hz in 32-bit float or 24- or"
                + " 16-bit little-endian PCM (found \"CD player\", \"Mono\")", wrongRate.getMessage());
        IllegalArgumentException period = assertThrows(IllegalArgumentException.class,
                () -> JavaSoundBackend.open(new Engine(RATE, 0), 0));
        assertEquals("period 0 frames: must be 1..8192", period.getMessage());
    }

    @Test
    void samplesAreRoundedHalfAwayFromZeroAndClipped() {
        float half16 = 0.5f / 32768;
        float[][] samples = {{0.25f, 1.5f, -1.5f, half16, Float.NaN}, {-0.25f, 1f, -1f, -half16, 2 * half16}};
        byte[] pcm16 = new byte[5 * 4];
        JavaSoundBackend.rtEncode(samples, 5, SampleFormat.PCM_16, pcm16);
        double[][] decoded = decode(pcm16, VirtualSoundCard.stereo(SIGNED, 16, RATE));
        assertEquals(List.of(8192.0, 32767.0, -32768.0, 1.0, 0.0), scaled(decoded[0], 32768));
        assertEquals(List.of(-8192.0, 32767.0, -32768.0, -1.0, 1.0), scaled(decoded[1], 32768));

        byte[] pcm24 = new byte[5 * 6];
        JavaSoundBackend.rtEncode(samples, 5, SampleFormat.PCM_24, pcm24);
        decoded = decode(pcm24, VirtualSoundCard.stereo(SIGNED, 24, RATE));
        assertEquals(List.of(2097152.0, 8388607.0, -8388608.0, 128.0, 0.0), scaled(decoded[0], 8388608));

        byte[] float32 = new byte[5 * 8];
        JavaSoundBackend.rtEncode(samples, 5, SampleFormat.FLOAT_32, float32);
        decoded = decode(float32, VirtualSoundCard.stereo(FLOAT, 32, RATE));
        assertEquals(List.of(0.25, 1.0, -1.0, (double) half16, 0.0), scaled(decoded[0], 1));
        assertEquals(List.of(-0.25, 1.0, -1.0, (double) -half16, (double) (2 * half16)), scaled(decoded[1], 1));
    }

    private static List<Double> scaled(double[] values, double by) {
        List<Double> list = new ArrayList<>();
        for (double value : values) {
            list.add(value * by);
        }
        return list;
    }

    /**
     * The writer thread allocates nothing once warm: at 96 kHz in 32-frame periods (3,000 writes a second)
     * it warms up in one-second windows until three in a row allocate nothing (the JIT resolves constants on
     * the thread that first runs the code, a few bytes each, until it has compiled it), then plays 15,000
     * periods whose allocation must be 0.
     */
    @Test
    void theWriterThreadAllocatesNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM measures allocation per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        int rate = 96000;
        int period = 32;
        card("Fast", 1, 0, VirtualSoundCard.stereo(SIGNED, 24, rate));
        Engine engine = toneEngine(rate);
        JavaSoundBackend backend = open(engine, period);
        backend.start();
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("desk-javasound-audio") && thread.isAlive())
                .findFirst().orElse(null);
        assertNotNull(writer, "the writer thread runs");
        int window = rate / period;
        int quiet = 0;
        long warmUpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (quiet < 3 && System.nanoTime() < warmUpDeadline) {
            long before = threads.getThreadAllocatedBytes(writer.threadId());
            awaitPeriods(backend, window);
            quiet = threads.getThreadAllocatedBytes(writer.threadId()) == before ? quiet + 1 : 0;
        }
        long periodsBefore = backend.periods();
        long before = threads.getThreadAllocatedBytes(writer.threadId());
        awaitPeriods(backend, 15_000);
        long allocated = threads.getThreadAllocatedBytes(writer.threadId()) - before;
        long measured = backend.periods() - periodsBefore;
        assertEquals(0, allocated, "bytes allocated by the writer thread over " + measured + " periods");
        assertEquals(0, engine.failures());
    }

    private static void awaitPeriods(JavaSoundBackend backend, long count) {
        long target = backend.periods() + count;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (backend.periods() < target) {
            assertTrue(System.nanoTime() < deadline, "the writer played " + backend.periods() + " of " + target);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
