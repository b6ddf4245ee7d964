package desk.repl;

import desk.engine.backend.JackServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static desk.repl.TmuxPane.lastLine;
import static desk.repl.TmuxPane.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin that crashes takes down the engine process, not the show: on a JACK server of the test's own
 * ({@code jackd -d dummy}), the REPL in a real terminal plays a tone through a plugin built for the test (it writes
 * to address 0 in its run once its "crash" switch is on) and an amplifier plugin. Switched on, it takes the engine
 * process down; the REPL answers at once, says which plugin it was, and within 5 s the session is back in a fresh
 * engine process without it, the tone playing through the amplifier again.
 */
class LivePluginCrashTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 256;
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final String CRASH_LINE = "the engine process stopped inside this plugin (Crash test)";

    @TempDir
    Path folder;

    @Test
    void aPluginThatCrashesTheEngineIsLeftOutAndTheSessionComesBackWithoutIt() throws Exception {
        TmuxPane.requireTmux("LivePluginCrashTest");
        JackServer.requireTools("jackd", "gcc");
        Path bundles = TestPlugins.build(folder);
        try (JackServer server = new JackServer(RATE, PERIOD)) {
            List<String> command = TmuxPane.deskCommand(List.of(), "--backend", "jack", "--jack-server", server.name());
            TmuxPane pane = new TmuxPane(folder, List.of("XDG_STATE_HOME=" + folder,
                    "LV2_PATH=" + TestPlugins.lv2Path(bundles)), command);
            try {
                pane.awaitScreen(screen -> lastLine(screen).equals("js>"), START);
                assertEquals(List.of("2"), pane.eval("var tone = session.track(\"Tone\"); tone.input ="
                        + " session.generator(\"sine\", {freq: 1000, level: -20}); var crash = tone.insert(\"lv2:urn:"
                        + "desk:test:crash\"); var amp = tone.insert(\"lv2:http://plugin.org.uk/swh-plugins/amp\","
                        + " {gain: -6}); session.play(); tone.inserts.length", START));
                pane.enter("crash.crash = true; 1");
                long switched = System.nanoTime();
                pane.awaitScreen(screen -> screen.contains("engine process stopped unexpectedly"), ANSWER);
                long stopped = System.nanoTime();
                pane.enter("40+2");
                pane.awaitScreen(screen -> lines(screen).contains("42"), ANSWER);
                long answered = System.nanoTime();
                String screen = pane.awaitScreen(s -> s.contains(CRASH_LINE) && s.contains("session replayed"),
                        Duration.ofSeconds(20));
                long back = System.nanoTime();
                long answerMillis = TimeUnit.NANOSECONDS.toMillis(answered - stopped);
                long backMillis = TimeUnit.NANOSECONDS.toMillis(back - switched);
                System.out.printf("a plugin crashed the engine: the REPL answered %d ms after the engine stopped; the"
                        + " session was back %d ms after the crash%n", answerMillis, backMillis);
                assertTrue(answerMillis <= 200, "the REPL answered " + answerMillis + " ms after the engine stopped");
                assertTrue(backMillis <= 5000, "the session was back " + backMillis + " ms after the crash");
                assertTrue(screen.contains("Tone.inserts[0] (lv2:urn:desk:test:crash): " + CRASH_LINE), screen);
                assertEquals(List.of("\"the engine process stopped inside Crash test\""),
                        pane.eval("crash.failed", ANSWER));
                String level = "session.master.meter.peak > -29.5 && session.master.meter.peak < -28.5";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!pane.eval(level, ANSWER).equals(List.of("true"))) {
                    assertTrue(System.nanoTime() < deadline, "the tone (-20 dBFS, -6 dB, centre-panned) plays again at"
                            + " -29 dBFS on the master: " + pane.eval("session.master.meter.peak", ANSWER));
                    TmuxPane.pause();
                }
            } finally {
                pane.kill();
            }
        }
    }
}
