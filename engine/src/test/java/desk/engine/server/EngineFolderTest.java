package desk.engine.server;

import desk.engine.backend.JackServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine link's private folders: each is removed when its link closes, a folder left by a killed REPL is
 * removed by the next start, and folders of live processes, or without a readable owner, are never touched.
 * The processes run with a temporary-file folder of the test's own, so other runs' folders cannot show.
 */
class EngineFolderTest {
    private static final long STEP_SECONDS = 30;

    /** The {@code desk-engine-*} folders in {@code root}, by name. */
    private static List<String> folders(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith(EngineFolder.PREFIX)).sorted().toList();
        }
    }

    /** A folder in {@code root} called {@code name}, with an owner file holding {@code owner} unless null. */
    private static Path folder(Path root, String name, String owner) throws IOException {
        Path folder = Files.createDirectory(root.resolve(name));
        Files.writeString(folder.resolve("engine-1.log"), "engine: started\n");
        if (owner != null) {
            Files.writeString(folder.resolve(EngineFolder.OWNER_FILE), owner);
        }
        return folder;
    }

    /** The id of a process that has ended. */
    private static long endedPid() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        return ended.pid();
    }

    @Test
    void aSweepRemovesOnlyFoldersWhoseOwnerHasGone(@TempDir Path root) throws Exception {
        String gone = Long.toString(endedPid());
        String live = Long.toString(ProcessHandle.current().pid());
        folder(root, "desk-engine-1", gone);
        folder(root, "desk-engine-2", live);
        folder(root, "desk-engine-3", null);
        folder(root, "desk-engine-4", "not a pid");
        folder(root, "desk-other-5", gone);
        Files.writeString(root.resolve("desk-engine-6"), gone);

        assertEquals(1, EngineFolder.sweep(root));
        assertEquals(List.of("desk-engine-2", "desk-engine-3", "desk-engine-4", "desk-engine-6"), folders(root));
        assertTrue(Files.exists(root.resolve("desk-other-5")));

        EngineFolder made = EngineFolder.create(root);
        assertEquals(live, Files.readString(made.path().resolve(EngineFolder.OWNER_FILE)));
        made.delete();
        assertEquals(List.of("desk-engine-2", "desk-engine-3", "desk-engine-4", "desk-engine-6"), folders(root));
    }

    /** A JVM acting as the REPL, with its own temporary-file folder, talking over its standard streams. */
    private static final class Repl implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;
        private final long enginePid;

        Repl(Path tmp, String jackServer, String client) throws Exception {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Djava.io.tmpdir=" + tmp, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), StandInRepl.class.getName(), jackServer, client));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String started = awaitLine("engine ");
            enginePid = Long.parseLong(started.substring("engine ".length()));
        }

        /** The next line that starts with {@code prefix}, waiting at most {@value #STEP_SECONDS} s. */
        String awaitLine(String prefix) throws Exception {
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String next = out.readLine(); next != null; next = out.readLine()) {
                        if (next.startsWith(prefix)) {
                            return next;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            }).get(STEP_SECONDS, TimeUnit.SECONDS);
            assertNotNull(line, "the stand-in REPL said no \"" + prefix + "...\"");
            return line;
        }

        /** Closes the link as the REPL does on exit, and waits for the JVM to end. */
        void closeLink() throws Exception {
            in.write("close\n");
            in.flush();
            awaitLine("closed");
            assertTrue(process.waitFor(STEP_SECONDS, TimeUnit.SECONDS));
        }

        /** Kills the JVM with SIGKILL; its engine process sees its peer close and ends. */
        void kill() throws Exception {
            process.destroyForcibly();
            assertTrue(process.waitFor(STEP_SECONDS, TimeUnit.SECONDS));
            ProcessHandle engine = ProcessHandle.of(enginePid).orElse(null);
            if (engine != null) {
                engine.onExit().get(STEP_SECONDS, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void noFolderIsLeftAfterTwentyStartsAndStopsSomeEndedByKillingTheEngineOrTheRepl(@TempDir Path tmp)
            throws Exception {
        try (JackServer server = new JackServer(48000, 256);
             Repl neighbour = new Repl(tmp, server.name(), "desk-neighbour")) {
            List<String> neighbours = folders(tmp);
            assertEquals(1, neighbours.size(), "the neighbour's folder: " + neighbours);
            String stale = null;
            for (int run = 1; run <= 20; run++) {
                try (Repl repl = new Repl(tmp, server.name(), "desk-run-" + run)) {
                    List<String> now = folders(tmp);
                    assertEquals(2, now.size(), "run " + run + ": the neighbour's folder and this run's: " + now);
                    assertTrue(now.containsAll(neighbours), "run " + run + ": the live neighbour's folder is kept");
                    assertFalse(now.contains(stale), "run " + run + ": the killed run's folder was removed");
                    stale = null;
                    if (run % 4 == 1) {
                        repl.kill();
                        List<String> left = new ArrayList<>(folders(tmp));
                        left.removeAll(neighbours);
                        assertEquals(1, left.size(), "run " + run + ": the killed REPL left its folder: " + left);
                        stale = left.getFirst();
                        continue;
                    }
                    if (run % 4 == 3) {
                        long killed = repl.enginePid;
                        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
                        repl.awaitLine("event reconnected to JACK server");
                    }
                    repl.closeLink();
                    assertEquals(neighbours, folders(tmp), "run " + run + ": the run's folder was removed");
                }
            }
            neighbour.closeLink();
            assertEquals(List.of(), folders(tmp), "no folder left");
        }
    }
}
