package desk.engine.backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JACK server counts as absent only when none of the files a JACK 2 or JACK 1 server, or PipeWire, leaves for
 * its clients is there; what JACK leaves behind when a server ends does not count, and anything unclear counts
 * as a server that may answer. What a real server, started here, leaves is seen.
 */
class JackPresenceTest {
    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    @Test
    void whatJackLeavesBehindWhenAServerEndsCountsAsNoServer(@TempDir Path shm) throws IOException {
        assertFalse(JackPresence.serverMayAnswer("Linux", shm, NO_ENVIRONMENT), "empty");
        Files.createFile(shm.resolve("jack-shm-registry"));
        Files.createFile(shm.resolve("jack_sem.1000_default_desk"));
        Files.createDirectory(shm.resolve("jack_db-1000"));
        Files.createFile(shm.resolve("pulse-shm-1234"));
        assertFalse(JackPresence.serverMayAnswer("Linux", shm, NO_ENVIRONMENT), "registry, semaphore, metadata database, pulse");
    }

    @Test
    void aJackServersSocketOrFolderCounts(@TempDir Path shm) throws IOException {
        for (String name : new String[] {"jack_default_1000_0", "jack_studio_0", "jack-1000"}) {
            Path file = Files.createFile(shm.resolve(name));
            assertTrue(JackPresence.serverMayAnswer("Linux", shm, NO_ENVIRONMENT), name);
            Files.delete(file);
        }
    }

    @Test
    void pipeWireStandingInForJackCounts(@TempDir Path shm, @TempDir Path runtime) throws IOException {
        Map<String, String> environment = Map.of("XDG_RUNTIME_DIR", runtime.toString());
        assertFalse(JackPresence.serverMayAnswer("Linux", shm, environment), "no socket yet");
        Files.createFile(runtime.resolve("pipewire-0"));
        assertTrue(JackPresence.serverMayAnswer("Linux", shm, environment), "XDG_RUNTIME_DIR/pipewire-0");
        assertTrue(JackPresence.serverMayAnswer("Linux", shm, Map.of("PIPEWIRE_RUNTIME_DIR", runtime.toString())),
                "PIPEWIRE_RUNTIME_DIR/pipewire-0");
        assertTrue(JackPresence.serverMayAnswer("Linux", shm, Map.of("PIPEWIRE_REMOTE", "studio")), "PIPEWIRE_REMOTE");
    }

    @Test
    void anythingUnclearCountsAsAServerThatMayAnswer(@TempDir Path shm) {
        assertTrue(JackPresence.serverMayAnswer("Mac OS X", shm, NO_ENVIRONMENT), "another system");
        assertTrue(JackPresence.serverMayAnswer("Linux", shm.resolve("missing"), NO_ENVIRONMENT), "no such folder");
    }

    @Test
    void whatARunningServerLeavesIsSeen(@TempDir Path copy) throws Exception {
        JackServer.requireTools("jackd", "jack_wait");
        Path shm = Path.of("/dev/shm");
        Set<String> before = names(shm);
        try (JackServer server = new JackServer(48000, 256)) {
            Set<String> left = names(shm);
            left.removeAll(before);
            for (String name : left) {
                Files.createFile(copy.resolve(name));
            }
            assertTrue(JackPresence.serverMayAnswer("Linux", copy, NO_ENVIRONMENT),
                    "jackd -n " + server.name() + " left " + left);
            assertTrue(JackPresence.serverMayAnswer(), "jackd -n " + server.name() + " is running");
        }
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(entry -> entry.getFileName().toString()).collect(Collectors.toCollection(HashSet::new));
        }
    }
}
