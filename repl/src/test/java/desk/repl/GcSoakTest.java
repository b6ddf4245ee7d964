package desk.repl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import desk.engine.backend.JackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short form of {@code desk bench --jack --soak}, on a JACK server of the test's own ({@code jackd -d
 * dummy}): 64 tracks play in the engine process while a script moves every fader every 10 ms; after 20 s of
 * warm-up, the engine's GC log shows no collection in the next 30 s, and neither the audio thread nor the
 * thread that answers requests allocates (a few hundred bytes in all may still come from the JIT, which
 * resolves constants on the thread that first needs them compiled). Skipped without jackd, except in CI
 * (CI=true), where that fails.
 */
class GcSoakTest {
    private static final int TRACKS = 64;
    private static final int SECONDS = 30;
    /** The engine process's own resident memory with 64 stereo tracks: 97.8 MB measured, 135 MB before 1024-frame spans. */
    private static final long OWN_MEMORY_BOUND = 115_000_000L;
    private final String server = "desk-soak-" + UUID.randomUUID().toString().substring(0, 8);
    private Process jackd;

    @TempDir
    Path folder;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (jackd != null) {
            jackd.destroy();
            if (!jackd.waitFor(10, TimeUnit.SECONDS)) {
                jackd.destroyForcibly();
            }
        }
    }

    @Test
    void theEngineProcessCollectsNoGarbageWhileAScriptMovesEveryFader() throws Exception {
        JackServer.requireTools("jackd", "jack_wait");
        jackd = jack("jackd", "--no-realtime", "-n", server, "-d", "dummy", "-r", "48000", "-p", "256");
        Process wait = jack("jack_wait", "-w", "-t", "10");
        assertTrue(wait.waitFor(15, TimeUnit.SECONDS) && wait.exitValue() == 0, "jackd answers");

        Path log = folder.resolve("engine-gc.log");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[]{"bench", "--jack", "--soak", "--jack-server", server, "--tracks",
                        Integer.toString(TRACKS), "--seconds", Integer.toString(SECONDS), "--warm-up", "20", "--gc-log",
                        log.toString(), "--json"}, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        JsonNode result = new ObjectMapper().readTree(printed);

        assertTrue(Files.readString(log).contains("Using Serial"), "the engine process logged its collections");
        assertEquals(0, result.path("gc_collections_after_warm_up").asLong(), printed);
        assertEquals(0, status, "the soak's exit status says so too");
        assertTrue(result.path("fader_moves").asLong() > TRACKS * SECONDS * 10L,
                "the faders moved (at least a tenth of 64 every 10 ms): " + printed);
        assertTrue(result.path("requests").asLong() >= result.path("fader_moves").asLong(), printed);
        assertTrue(result.path("callbacks").asLong() > 0, printed);
        assertTrue(result.path("alloc_bytes_per_callback").asDouble() < 1, printed);
        assertTrue(result.path("alloc_bytes_per_request").asDouble() < 1, printed);
        long resident = result.path("resident_bytes").asLong();
        long own = resident - result.path("resident_shared_memory_bytes").asLong();
        assertTrue(resident > 0 && own < OWN_MEMORY_BOUND, "the engine process stays lean: " + resident
                + " bytes resident, " + own + " of them its own (not JACK's shared port buffers)");
    }

    @Test
    void theCollectionsAfterTheWarmUpAreNamedWithTheirCause() throws Exception {
        Path log = folder.resolve("gc.log");
        Files.writeString(log, """
                [0.012s][info][gc,init     ] Using Serial
                [0.289s][info][gc,start    ] GC(0) Pause Young (Allocation Failure)
                [0.294s][info][gc          ] GC(0) Pause Young (Allocation Failure) 14M->4M(46M) 4.564ms
                [31.5s][info][gc,start    ] GC(1) Pause Full (CodeCache GC Threshold)
                [31.5s][info][gc,metaspace] GC(1) Metaspace: 3983K(4160K)->3983K(4160K)
                [31.6s][info][gc          ] GC(1) Pause Full (CodeCache GC Threshold) 20M->12M(46M) 40.1ms
                """);

        assertEquals(2, GcSoak.collections(log));
        assertEquals(java.util.List.of("Pause Full (CodeCache GC Threshold) 20M->12M(46M) 40.1ms"),
                GcSoak.summaries(log, 1));
        assertEquals(2, GcSoak.summaries(log, 0).size());
    }

    /** Starts a JACK program against the test's server, its output discarded. */
    private Process jack(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JACK_DEFAULT_SERVER", server);
        return builder.start();
    }
}
