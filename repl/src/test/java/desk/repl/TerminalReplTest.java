package desk.repl;

import desk.engine.backend.JavaSoundBackend;
import desk.engine.backend.VirtualSoundCards;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static desk.repl.TmuxPane.endsWith;
import static desk.repl.TmuxPane.lastLine;
import static desk.repl.TmuxPane.lines;
import static desk.repl.TmuxPane.pause;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The interactive REPL in a real terminal: {@code desk.repl.Main} runs in a detached tmux session of 120x40
 * on a tmux server of its own, keys go in with {@code send-keys} and the screen comes back with
 * {@code capture-pane}. One REPL serves the class, so Python starts once; before each test the REPL is
 * brought back to a cleared JavaScript prompt, or started again if a test ended it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerminalReplTest {
    private static final String JS = "js>";
    private static final String PY = "py>";
    private static final String CONTINUATION = "...";
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration PYTHON_START = Duration.ofSeconds(60);
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final long CTRL_C_BUDGET_MS = 200;

    @TempDir
    static Path temp;

    private final Random random = new Random();
    private TmuxPane pane;
    private Path stateHome;

    @BeforeAll
    void needsTmux() {
        TmuxPane.requireTmux("TerminalReplTest");
    }

    @AfterAll
    void stopTmux() {
        if (pane != null) {
            pane.kill();
        }
    }

    @BeforeEach
    void freshJavaScriptPrompt() throws IOException {
        if (pane == null || pane.dead()) {
            start();
        }
        String last = lastLine(pane.capture());
        if (!last.equals(JS) && !last.equals(PY)) {
            pane.press("C-c");
            pane.awaitScreen(screen -> isPrompt(lastLine(screen)), ANSWER);
        }
        if (lastLine(pane.capture()).equals(PY)) {
            pane.enter(":js");
            pane.awaitScreen(screen -> lastLine(screen).equals(JS), ANSWER);
        }
        pane.press("C-l");
        pane.awaitScreen(screen -> pane.visibleLines().equals(List.of(JS)), ANSWER);
        pane.clearHistory();
    }

    @Test
    @Order(1)
    void typedLinesPrintTheirResultsAndRefusedValuesOneLine() {
        assertEquals(List.of("2"), eval(JS, "1+1"));
        eval(JS, "var vox = session.track(\"Vox\")");
        eval(JS, "vox.fader = -6");
        List<String> shown = eval(JS, "vox");
        assertTrue(shown.stream().anyMatch(line -> line.contains("Track Vox (mono)") && line.contains("fader -6.0 dB")),
                "vox printed " + shown);
        List<String> refused = eval(JS, "vox.fader = \"loud\"");
        assertTrue(refused.stream().anyMatch(line -> line.contains("Vox.fader \"loud\" is not a number")),
                "the refused value printed " + refused);
        String screen = pane.capture();
        assertFalse(screen.contains("at desk."), "a stack trace reached the screen:\n" + screen);
        assertFalse(screen.contains("Exception"), "an exception reached the screen:\n" + screen);
    }

    @Test
    @Order(2)
    void tabCompletesAMemberAfterADot() {
        eval(JS, "var vox = session.track(\"Vox\")");
        pane.type("vox.fa");
        pane.press("Tab");
        pane.awaitScreen(screen -> lastLine(screen).equals(JS + " vox.fader"), ANSWER);
        pane.press("C-u");
        pane.type("session.tracks[0].fa");
        pane.press("Tab");
        pane.awaitScreen(screen -> lastLine(screen).equals(JS + " session.tracks[0].fader"), ANSWER);
        pane.press("C-u");
        pane.type("session.find(\"Vox\").mu");
        pane.press("Tab");
        pane.awaitScreen(screen -> lastLine(screen).equals(JS + " session.find(\"Vox\").mute"), ANSWER);
        pane.press("C-u");
        pane.type("session.track(\"Made\").fa");
        pane.press("Tab");
        pane.press("C-u");
        assertEquals(List.of("null"), eval(JS, "session.find(\"Made\")"),
                "completing after a call that makes something does not make it");
    }

    @Test
    @Order(3)
    void tabCompletesANameInsideQuotes() {
        eval(JS, "var vox = session.track(\"Vox\")");
        pane.type("session.track(\"V");
        pane.press("Tab");
        pane.awaitScreen(screen -> lastLine(screen).startsWith(JS + " session.track(\"Vox"), ANSWER);
    }

    @Test
    @Order(3)
    void tabCompletesAnInsertsParameterAndAnInsertTypeInsideQuotes() {
        eval(JS, "var vox = session.track(\"Vox\")");
        eval(JS, "var lim = vox.insert(\"limiter\")");
        pane.type("lim.cei");
        pane.press("Tab");
        pane.awaitScreen(screen -> lastLine(screen).equals(JS + " lim.ceiling"), ANSWER);
        pane.press("C-u");
        pane.type("vox.insert(\"rev");
        pane.press("Tab");
        pane.awaitScreen(screen -> lastLine(screen).startsWith(JS + " vox.insert(\"reverb"), ANSWER);
    }

    @Test
    @Order(3)
    void tabInsideQuotesOffersOnlyWhatThePlaceTakesInEitherLanguage() {
        eval(JS, "var vox = session.track(\"Vox\")");
        pane.type("vox.input = \"sys");
        pane.press("Tab");
        String ports = pane.awaitScreen(screen -> lines(screen).contains(JS + " vox.input = \"system:capture_"), ANSWER);
        pane.press("Tab");
        ports += pane.awaitScreen(screen -> screen.contains("system:capture_1 "), ANSWER);
        assertFalse(ports.contains("playback"), "an input offered a playback port:\n" + ports);
        clearedPrompt(JS);
        pane.type("session.generator(\"");
        pane.press("Tab");
        String types = pane.awaitScreen(screen -> screen.contains("impulse") && screen.contains("silence"), ANSWER);
        for (String other : List.of("Vox", "reverb", "white", "aux", "capture")) {
            assertFalse(types.contains(other), "a generator offered " + other + ":\n" + types);
        }
        clearedPrompt(JS);
        pane.enter(":py");
        pane.awaitScreen(screen -> lastLine(screen).equals(PY), PYTHON_START);
        clearedPrompt(PY);
        pane.type("session.bus(\"FX\", kind=\"");
        pane.press("Tab");
        String kinds = pane.awaitScreen(screen -> screen.contains("group") && screen.contains("aux"), ANSWER);
        assertFalse(kinds.contains("sine") || kinds.contains("Vox") || kinds.contains("master"),
                "a bus kind offered more than group and aux:\n" + kinds);
    }

    /** Drops the line being typed (if any) and clears the screen and its scrollback, leaving only {@code prompt}. */
    private void clearedPrompt(String prompt) {
        if (!lastLine(pane.capture()).equals(prompt)) {
            pane.press("C-c");
            pane.awaitScreen(screen -> lastLine(screen).equals(prompt), ANSWER);
        }
        pane.press("C-l");
        pane.awaitScreen(screen -> pane.visibleLines().equals(List.of(prompt)), ANSWER);
        pane.clearHistory();
    }

    @Test
    @Order(4)
    void anIncompleteStatementContinuesOnTheNextLine() {
        pane.enter("function twice(x) {");
        pane.awaitScreen(screen -> endsWith(screen, JS + " function twice(x) {", CONTINUATION), ANSWER);
        pane.enter("return 2 * x");
        pane.awaitScreen(screen -> endsWith(screen, CONTINUATION + " return 2 * x", CONTINUATION), ANSWER);
        pane.enter("}");
        pane.awaitScreen(screen -> endsWith(screen, CONTINUATION + " }", JS), ANSWER);
        assertEquals(List.of("42"), eval(JS, "twice(21)"));
    }

    @Test
    @Order(5)
    void ctrlCStopsARunawayJavaScriptLoop() {
        pane.enter("while(true){}");
        awaitRunning(JS + " while(true){}");
        long millis = interruptAndTime(JS);
        System.out.printf("Ctrl-C in JavaScript: prompt back after %d ms%n", millis);
        assertTrue(millis <= CTRL_C_BUDGET_MS, "the prompt came back " + millis + " ms after Ctrl-C; the budget is "
                + CTRL_C_BUDGET_MS + " ms");
        assertEquals(List.of("2"), eval(JS, "1+1"));
    }

    @Test
    @Order(6)
    void pythonTakesKeywordArgumentsAndCtrlCStopsItsLoop() {
        pane.enter(":py");
        pane.awaitScreen(screen -> lastLine(screen).equals(PY), PYTHON_START);
        pane.enter("while True: pass");
        pane.awaitScreen(screen -> endsWith(screen, PY + " while True: pass", CONTINUATION), ANSWER);
        pane.press("Enter");
        awaitRunning(CONTINUATION);
        long millis = interruptAndTime(PY);
        System.out.printf("Ctrl-C in Python: prompt back after %d ms%n", millis);
        assertTrue(millis <= CTRL_C_BUDGET_MS, "the prompt came back " + millis + " ms after Ctrl-C; the budget is "
                + CTRL_C_BUDGET_MS + " ms");
        assertEquals(List.of("5"), eval(PY, "2+3"));
        List<String> bus = eval(PY, "session.bus(\"Verb\", kind=\"aux\")");
        assertTrue(bus.stream().anyMatch(line -> line.contains("Bus Verb (aux, stereo)")), "the bus printed " + bus);
    }

    @Test
    @Order(7)
    void theMeterBridgeDrawsUpdatesAndGivesThePromptBackOnAKey() {
        eval(JS, "var hot = session.track(\"Hot\"); hot.input = session.generator(\"sine\", {level: -3}); hot.trim = 6");
        pane.enter(":meters");
        String first = pane.awaitScreen(screen -> screen.contains("Meters at") && bridgeRow(screen, "Hot").contains("CLIP")
                && !bridgeRow(screen, "master").isEmpty(), ANSWER);
        assertTrue(bridgeRow(first, "Hot").matches("Hot +\\[#+-*\\] +-?[0-9.]+ hold +-?[0-9.]+ rms .* CLIP \\d+"),
                "the track's row: " + bridgeRow(first, "Hot"));
        String clock = bridgeClock(first);
        long start = System.nanoTime();
        java.util.Set<String> clocks = new java.util.HashSet<>();
        while (System.nanoTime() - start < Duration.ofSeconds(1).toNanos()) {
            clocks.add(bridgeClock(pane.capture()));
            pause();
        }
        System.out.printf("meter bridge: %d different frames seen in 1 s of polling the screen%n", clocks.size());
        assertTrue(clocks.size() > 2 && !clocks.equals(java.util.Set.of(clock)), "the bridge updates: " + clocks);
        assertEquals(JS + " :meters", lastLineBefore(first, "Meters at"), "drawn below the command line");
        pane.press("q");
        pane.awaitScreen(screen -> !screen.contains("Meters at") && lastLine(screen).equals(JS), ANSWER);
        assertEquals(List.of("2"), eval(JS, "1+1"), "the key that ended the bridge was not typed into the prompt");
    }

    @Test
    @Order(8)
    void f2ShowsTheMetersWithoutDisturbingTheLineBeingTyped() {
        eval(JS, "var vox = session.track(\"Vox\")");
        pane.type("vox.fader = -");
        pane.awaitScreen(screen -> lastLine(screen).equals(JS + " vox.fader = -"), ANSWER);
        pane.press("F2");
        pane.awaitScreen(screen -> screen.contains("Meters at") && !bridgeRow(screen, "Vox").isEmpty(), ANSWER);
        pane.press("q");
        pane.awaitScreen(screen -> !screen.contains("Meters at") && lastLine(screen).equals(JS + " vox.fader = -"), ANSWER);
        pane.type("6");
        pane.press("Enter");
        pane.awaitScreen(screen -> lastLine(screen).equals(JS), ANSWER);
        assertEquals(List.of("-6"), eval(JS, "vox.fader"), "the line typed before F2 went on as typed");
    }

    @Test
    @Order(9)
    void ctrlDEndsTheProgramAndKeepsTheHistory() throws IOException {
        String typed = "var remembered = " + (1 + random.nextInt(1_000_000));
        eval(JS, typed);
        pane.press("C-d");
        assertEquals("0", awaitExit(), "exit status of the REPL");
        Path history = stateHome.resolve("desk").resolve("history-js");
        assertTrue(Files.isRegularFile(history), "no history file at " + history);
        List<String> saved = Files.readAllLines(history, StandardCharsets.UTF_8);
        assertTrue(saved.stream().anyMatch(line -> line.contains(typed)), "history-js holds " + saved);
    }

    /**
     * Starts the REPL on a new tmux server with a state folder of its own, and waits until Python has started
     * too, so that the language starting in the background does not compete with what the tests time.
     */
    private void start() throws IOException {
        if (pane != null) {
            pane.kill();
        }
        stateHome = Files.createTempDirectory(temp, "state");
        List<String> command = TmuxPane.deskCommand(
                List.of("-D" + JavaSoundBackend.DEVICE_PROPERTY + "=" + VirtualSoundCards.class.getName()));
        pane = new TmuxPane(Files.createTempDirectory(temp, "tmux"), List.of("XDG_STATE_HOME=" + stateHome), command);
        String screen = pane.awaitScreen(s -> lastLine(s).equals(JS), START);
        assertTrue(lines(screen).stream().anyMatch(line -> line.startsWith("Desk ")), "no banner:\n" + screen);
        pane.enter(":py");
        pane.awaitScreen(s -> lastLine(s).equals(PY), PYTHON_START);
        pane.enter(":js");
        pane.awaitScreen(s -> lastLine(s).equals(JS), ANSWER);
    }

    /**
     * Types {@code input} and Enter at {@code prompt}, waits until the prompt is back, and returns the lines
     * printed in between.
     */
    private List<String> eval(String prompt, String input) {
        String echo = prompt + " " + input;
        long before = lines(pane.capture()).stream().filter(echo::equals).count();
        pane.enter(input);
        String screen = pane.awaitScreen(s -> {
            List<String> lines = lines(s);
            int echoed = lines.lastIndexOf(echo);
            return lines.stream().filter(echo::equals).count() > before && echoed < lines.size() - 1
                    && lines.getLast().equals(prompt);
        }, ANSWER);
        List<String> lines = lines(screen);
        return List.copyOf(lines.subList(lines.lastIndexOf(echo) + 1, lines.size() - 1));
    }

    /**
     * Waits until the last line on screen, {@code lastInput}, has been accepted (the cursor has left it), then
     * checks that the evaluation keeps running for 300 ms, so that a Ctrl-C after this reaches the evaluation.
     */
    private void awaitRunning(String lastInput) {
        pane.awaitScreen(screen -> lastLine(screen).equals(lastInput) && pane.cursorBelowText(), ANSWER);
        long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
        while (System.nanoTime() < until) {
            String screen = pane.capture();
            assertEquals(lastInput, lastLine(screen), "the evaluation ended by itself:\n" + screen);
            pause();
        }
    }

    /** Presses Ctrl-C and returns the milliseconds until the prompt is back under an "interrupted" line. */
    private long interruptAndTime(String prompt) {
        long start = System.nanoTime();
        pane.press("C-c");
        pane.awaitScreen(screen -> {
            List<String> lines = lines(screen);
            return lines.size() >= 2 && lines.getLast().equals(prompt)
                    && lines.get(lines.size() - 2).endsWith("interrupted");
        }, ANSWER);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Waits until the REPL has ended and returns its exit status as the shell that started it recorded it. */
    private String awaitExit() throws IOException {
        long deadline = System.nanoTime() + EXIT.toNanos();
        while (pane.exitStatus() == null) {
            if (System.nanoTime() > deadline) {
                fail("the REPL has not ended " + EXIT.toMillis() + " ms after Ctrl-D; screen:\n" + pane.capture());
            }
            pause();
        }
        return pane.exitStatus();
    }

    /** The meter bridge's row for {@code strip}, or an empty string. */
    private static String bridgeRow(String screen, String strip) {
        return lines(screen).stream().filter(line -> line.startsWith(strip + " ") && line.contains("["))
                .findFirst().orElse("");
    }

    /** The engine time the bridge's header shows. */
    private static String bridgeClock(String screen) {
        Matcher clock = Pattern.compile("Meters at ([0-9.]+) s").matcher(screen);
        return clock.find() ? clock.group(1) : "";
    }

    private static String lastLineBefore(String screen, String marker) {
        List<String> lines = lines(screen);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith(marker)) {
                return lines.get(i - 1);
            }
        }
        return "";
    }

    private static boolean isPrompt(String line) {
        return line.equals(JS) || line.equals(PY);
    }
}
