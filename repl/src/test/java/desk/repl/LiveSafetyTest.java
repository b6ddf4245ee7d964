package desk.repl;

import desk.engine.backend.JackServer;
import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static desk.repl.TmuxPane.lastLine;
import static desk.repl.TmuxPane.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C stops a script, never the music: the REPL plays a tone on a JACK server of the test's own
 * ({@code jackd -d dummy}) in a real terminal (tmux) while jack-record captures the master. A scheduled
 * function that never returns (its budget raised out of the way) holds up the next statement; Ctrl-C, which
 * the terminal sends to the REPL's whole process group, stops the function, the statement then runs, and
 * the engine process, in a session of its own, plays on without a gap. Killing the REPL with SIGKILL then
 * ends the engine process.
 */
class LiveSafetyTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 256;
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration ANSWER = Duration.ofSeconds(10);

    @TempDir
    Path folder;

    @Test
    void ctrlCStopsARunawayCallbackAndTheEngineNeitherStopsNorOutlivesTheRepl() throws Exception {
        TmuxPane.requireTmux("LiveSafetyTest");
        JackServer.requireTools("jackd", "jack-record");
        try (JackServer server = new JackServer(RATE, PERIOD)) {
            List<String> command = TmuxPane.deskCommand(List.of(), "--backend", "jack", "--jack-server", server.name());
            TmuxPane pane = new TmuxPane(folder, List.of("XDG_STATE_HOME=" + folder), command);
            try {
                pane.awaitScreen(screen -> lastLine(screen).equals("js>"), START);
                pane.eval("var tone = session.track(\"Tone\"); tone.input = session.generator(\"sine\","
                        + " {freq: 1000, level: -20}); session.play(); session.callbackBudget = 60000; 1", ANSWER);
                Path captured = folder.resolve("master.wav");
                Process recording = server.tool("jack-record", "-p", "desk:master_out_%d", "-n", "1", "-t", "6",
                        captured.toString());

                pane.enter("after(0.01, () => { console.log(\"running\" + \" away\"); while (true) {} }); 1");
                pane.awaitScreen(screen -> screen.contains("running away"), ANSWER);
                pane.enter("1+1");
                long start = System.nanoTime();
                while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1500)) {
                    assertTrue(!lastLine(pane.capture()).equals("js>"), "the statement waits for the runaway");
                    TmuxPane.pause();
                }
                long pressed = System.nanoTime();
                pane.press("C-c");
                String screen = pane.awaitScreen(s -> lastLine(s).equals("js>")
                        && s.contains("after 0.01 failed and is cancelled: interrupted"), ANSWER);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pressed);
                System.out.printf("Ctrl-C with a runaway callback: the prompt came back after %d ms%n", millis);
                assertTrue(millis <= 1000, "the prompt came back " + millis + " ms after Ctrl-C");
                assertTrue(!screen.contains("engine process stopped"), "the engine played on:\n" + screen);
                assertEquals(List.of("5"), pane.eval("2+3", ANSWER), "a later statement runs");

                assertTrue(recording.waitFor(30, TimeUnit.SECONDS), "jack-record ended");
                float[] master = WavReader.read(captured).samples()[0];
                int gap = longestGap(master);
                System.out.printf("the master through the runaway and Ctrl-C: %d frames captured, longest gap %d"
                        + " frames%n", master.length, gap);
                assertTrue(master.length >= 5 * RATE, "captured " + master.length + " frames");
                assertTrue(gap <= PERIOD, "the master fell silent for " + gap + " frames");

                ProcessHandle repl = descendant(pane.shellPid(), Main.class.getName());
                ProcessHandle engine = descendant(repl.pid(), "desk.engine.server.EngineServer");
                repl.destroyForcibly();
                long killed = System.nanoTime();
                long deadline = killed + TimeUnit.SECONDS.toNanos(10);
                while (running(engine.pid()) && System.nanoTime() < deadline) {
                    TmuxPane.pause();
                }
                long ended = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                System.out.printf("the engine process ended %d ms after the REPL was killed%n", ended);
                assertTrue(ended <= 2000, "the engine process outlived the REPL by " + ended + " ms");
            } finally {
                pane.kill();
            }
        }
    }

    /**
     * Types {@code input} at the JavaScript prompt and returns the lines printed under its echo once the
     * prompt is back (the editor may redraw brackets in the echo: {@code input} is matched up to the first).
     */

    /** The longest run of silent frames after the first sound. */
    private static int longestGap(float[] samples) {
        int first = 0;
        while (first < samples.length && Math.abs(samples[first]) < 1e-4f) {
            first++;
        }
        int longest = 0;
        int run = 0;
        for (int i = first; i < samples.length; i++) {
            run = Math.abs(samples[i]) < 1e-4f ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /**
     * True while process {@code pid} runs: neither gone nor a zombie (an orphan's zombie waits for whatever
     * reaps orphans here, which may take a while).
     */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** The process below {@code ancestor} whose command line names {@code mainClass}. */
    private static ProcessHandle descendant(long ancestor, String mainClass) {
        Optional<ProcessHandle> found = ProcessHandle.of(ancestor).orElseThrow().descendants()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains(mainClass))
                .findFirst();
        assertTrue(found.isPresent(), "no process runs " + mainClass + " below " + ancestor);
        return found.get();
    }
}
