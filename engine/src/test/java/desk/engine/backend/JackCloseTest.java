package desk.engine.backend;

import desk.engine.Engine;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing the JACK backend while its engine overruns every period. libjack ends the process thread with an
 * asynchronous {@code pthread_cancel} on deactivation; a thread cancelled while in Java leaves the JVM to
 * crash or abort once it next walks its threads' stacks, and the thread stays on the JVM's list of threads for
 * good: no thread of the process callback's may be left after the closes.
 */
class JackCloseTest {
    private static final int CLOSES = 12;
    /** The name JNAJack gives the process thread while it is attached to the JVM. */
    private static final String PROCESS_THREAD = "JNAJack";
    private static final long OVERRUN_NANOS = TimeUnit.MILLISECONDS.toNanos(8);

    @Test
    void closingWhileTheEngineOverrunsLeavesTheJvmRunning() throws Exception {
        JackServer.requireTools("jackd");
        AtomicLong slowCycles = new AtomicLong();
        try (JackServer server = new JackServer(48000, 64)) {
            for (int i = 0; i < CLOSES; i++) {
                JackBackend<SlowEngine> backend = JackBackend.open("desk", server.name(), null,
                        (rate, capture, playback) -> new SlowEngine(new Engine(rate, capture, playback), slowCycles));
                long started = slowCycles.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (slowCycles.get() < started + 3 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                backend.close();
            }
        }
        System.gc();
        List<String> left = new ArrayList<>();
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (thread.getThreadName().equals(PROCESS_THREAD)) {
                left.add(thread.getThreadName() + " " + thread.getThreadState());
            }
        }
        assertTrue(slowCycles.get() >= 3L * CLOSES, "slow cycles: " + slowCycles.get());
        assertEquals(List.of(), left, "process threads the JVM still counts after " + CLOSES + " closes");
    }

    /** An engine whose every cycle takes six periods of 64 frames at 48 kHz. */
    private record SlowEngine(Engine engine, AtomicLong cycles) implements AudioCallback {
        @Override
        public int sampleRate() {
            return engine.sampleRate();
        }

        @Override
        public void setAudioThreadRunning(boolean running) {
            engine.setAudioThreadRunning(running);
        }

        @Override
        public void rtProcess(float[][] capture, float[][] playback, int offset, int frames) {
            cycles.incrementAndGet();
            LockSupport.parkNanos(OVERRUN_NANOS);
            engine.rtProcess(capture, playback, offset, frames);
        }

        @Override
        public void rtMidiIn(int port, int frame, int message) {
            engine.rtMidiIn(port, frame, message);
        }

        @Override
        public desk.engine.midi.MidiOutgoing rtMidiOut() {
            return engine.rtMidiOut();
        }

        @Override
        public long rtPosition() {
            return engine.rtPosition();
        }

        @Override
        public void setLatency(int captureSamples, int playbackSamples) {
            engine.setLatency(captureSamples, playbackSamples);
        }

        @Override
        public int processingLatency() {
            return engine.processingLatency();
        }

        @Override
        public boolean playbackSilent(int[] channels) {
            return engine.playbackSilent(channels);
        }

        @Override
        public long position() {
            return engine.position();
        }

        @Override
        public void renderOffline() {
            engine.renderOffline();
        }

        @Override
        public void maintain() {
            engine.maintain();
        }

        @Override
        public void awaitRecorderRoom(int frames) {
            engine.awaitRecorderRoom(frames);
        }
    }
}
