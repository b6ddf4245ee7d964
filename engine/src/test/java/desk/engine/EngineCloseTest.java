package desk.engine;

import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Closing an engine stops the threads it started: the clip reader ends instead of polling for ever. */
class EngineCloseTest {
    @Test
    void closeStopsTheClipReaderThread(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("clip.wav");
        try (WavWriter writer = WavWriter.create(file, 48000, 1, SampleFormat.FLOAT_32)) {
            writer.write(new float[][]{new float[4800]}, 0, 4800);
        }
        Set<Thread> before = readers();
        Engine engine = new Engine(48000, 0);
        engine.execute(new EngineCommand.CreateStrip(NodeIds.FIRST_FREE_ID, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.SetClips(NodeIds.FIRST_FREE_ID,
                List.of(new EngineCommand.Clip(file, 0, 4800, 0, 0, 0, 0, false))));
        Set<Thread> started = readers();
        started.removeAll(before);
        assertEquals(1, started.size(), "setting clips starts this engine's clip reader");

        engine.close();

        assertFalse(started.iterator().next().isAlive(), "close stopped it (and waited for it)");
    }

    /** The clip reader threads alive now, of every engine in this JVM. */
    private static Set<Thread> readers() {
        Set<Thread> readers = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("desk-clip-reader") && thread.isAlive()) {
                readers.add(thread);
            }
        }
        return readers;
    }
}
