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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
    private static final String SESSION = "repl";
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration PYTHON_START = Duration.ofSeconds(60);
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final long CTRL_C_BUDGET_MS = 200;
    /**
     * Runs the REPL ("$@" after the status file $1) and writes its exit status to that file: tmux marks a pane
     * dead when its terminal closes but does not always learn the status of a process it started directly.
     * The trap keeps the shell itself alive through a Ctrl-C; the REPL gets the default handling back.
     */
    private static final String RECORD_EXIT_STATUS = "status=$1; shift; trap : INT; \"$@\"; echo $? >\"$status\"";
    private static final Pattern TMUX_VERSION = Pattern.compile("tmux (?:next-)?(\\d+)\\.");

    @TempDir
    static Path temp;

    private final Random random = new Random();
    private String socket;
    private Path stateHome;
    private Path exitStatus;

    @BeforeAll
    void needsTmux() {
        String version;
        try {
            version = run(List.of("tmux", "-V")).strip();
        } catch (IOException e) {
            throw new AssertionError("TerminalReplTest drives the REPL in a real terminal and needs tmux 3.0 or newer"
                    + " on the PATH; install tmux (CI does): " + e.getMessage(), e);
        }
        Matcher major = TMUX_VERSION.matcher(version);
        if (major.lookingAt() && Integer.parseInt(major.group(1)) < 3) {
            fail("TerminalReplTest needs tmux 3.0 or newer to run a command without a shell; found " + version);
        }
    }

    @AfterAll
    void stopTmux() {
        killServer();
    }

    @BeforeEach
    void freshJavaScriptPrompt() throws IOException {
        if (socket == null || paneDead()) {
            start();
        }
        String last = lastLine(capture());
        if (!last.equals(JS) && !last.equals(PY)) {
            press("C-c");
            awaitScreen(screen -> isPrompt(lastLine(screen)), ANSWER);
        }
        if (lastLine(capture()).equals(PY)) {
            enter(":js");
            awaitScreen(screen -> lastLine(screen).equals(JS), ANSWER);
        }
        press("C-l");
        awaitScreen(screen -> visibleLines().equals(List.of(JS)), ANSWER);
        tmux("clear-history", "-t", SESSION);
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
        String screen = capture();
        assertFalse(screen.contains("at desk."), "a stack trace reached the screen:\n" + screen);
        assertFalse(screen.contains("Exception"), "an exception reached the screen:\n" + screen);
    }

    @Test
    @Order(2)
    void tabCompletesAMemberAfterADot() {
        eval(JS, "var vox = session.track(\"Vox\")");
        type("vox.fa");
        press("Tab");
        awaitScreen(screen -> lastLine(screen).equals(JS + " vox.fader"), ANSWER);
    }

    @Test
    @Order(3)
    void tabCompletesANameInsideQuotes() {
        eval(JS, "var vox = session.track(\"Vox\")");
        type("session.track(\"V");
        press("Tab");
        awaitScreen(screen -> lastLine(screen).startsWith(JS + " session.track(\"Vox"), ANSWER);
    }

    @Test
    @Order(3)
    void tabCompletesAnInsertsParameterAndAnInsertTypeInsideQuotes() {
        eval(JS, "var vox = session.track(\"Vox\")");
        eval(JS, "var lim = vox.insert(\"limiter\")");
        type("lim.cei");
        press("Tab");
        awaitScreen(screen -> lastLine(screen).equals(JS + " lim.ceiling"), ANSWER);
        press("C-u");
        type("vox.insert(\"rev");
        press("Tab");
        awaitScreen(screen -> lastLine(screen).startsWith(JS + " vox.insert(\"reverb"), ANSWER);
    }

    @Test
    @Order(4)
    void anIncompleteStatementContinuesOnTheNextLine() {
        enter("function twice(x) {");
        awaitScreen(screen -> endsWith(screen, JS + " function twice(x) {", CONTINUATION), ANSWER);
        enter("return 2 * x");
        awaitScreen(screen -> endsWith(screen, CONTINUATION + " return 2 * x", CONTINUATION), ANSWER);
        enter("}");
        awaitScreen(screen -> endsWith(screen, CONTINUATION + " }", JS), ANSWER);
        assertEquals(List.of("42"), eval(JS, "twice(21)"));
    }

    @Test
    @Order(5)
    void ctrlCStopsARunawayJavaScriptLoop() {
        enter("while(true){}");
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
        enter(":py");
        awaitScreen(screen -> lastLine(screen).equals(PY), PYTHON_START);
        enter("while True: pass");
        awaitScreen(screen -> endsWith(screen, PY + " while True: pass", CONTINUATION), ANSWER);
        press("Enter");
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
        enter(":meters");
        String first = awaitScreen(screen -> screen.contains("Meters at") && bridgeRow(screen, "Hot").contains("CLIP")
                && !bridgeRow(screen, "master").isEmpty(), ANSWER);
        assertTrue(bridgeRow(first, "Hot").matches("Hot +\\[#+-*\\] +-?[0-9.]+ hold +-?[0-9.]+ rms .* CLIP \\d+"),
                "the track's row: " + bridgeRow(first, "Hot"));
        String clock = bridgeClock(first);
        long start = System.nanoTime();
        java.util.Set<String> clocks = new java.util.HashSet<>();
        while (System.nanoTime() - start < Duration.ofSeconds(1).toNanos()) {
            clocks.add(bridgeClock(capture()));
            pause();
        }
        System.out.printf("meter bridge: %d different frames seen in 1 s of polling the screen%n", clocks.size());
        assertTrue(clocks.size() > 2 && !clocks.equals(java.util.Set.of(clock)), "the bridge updates: " + clocks);
        assertEquals(JS + " :meters", lastLineBefore(first, "Meters at"), "drawn below the command line");
        press("q");
        awaitScreen(screen -> !screen.contains("Meters at") && lastLine(screen).equals(JS), ANSWER);
        assertEquals(List.of("2"), eval(JS, "1+1"), "the key that ended the bridge was not typed into the prompt");
    }

    @Test
    @Order(8)
    void f2ShowsTheMetersWithoutDisturbingTheLineBeingTyped() {
        eval(JS, "var vox = session.track(\"Vox\")");
        type("vox.fader = -");
        awaitScreen(screen -> lastLine(screen).equals(JS + " vox.fader = -"), ANSWER);
        press("F2");
        awaitScreen(screen -> screen.contains("Meters at") && !bridgeRow(screen, "Vox").isEmpty(), ANSWER);
        press("q");
        awaitScreen(screen -> !screen.contains("Meters at") && lastLine(screen).equals(JS + " vox.fader = -"), ANSWER);
        type("6");
        press("Enter");
        awaitScreen(screen -> lastLine(screen).equals(JS), ANSWER);
        assertEquals(List.of("-6"), eval(JS, "vox.fader"), "the line typed before F2 went on as typed");
    }

    @Test
    @Order(9)
    void ctrlDEndsTheProgramAndKeepsTheHistory() throws IOException {
        String typed = "var remembered = " + (1 + random.nextInt(1_000_000));
        eval(JS, typed);
        press("C-d");
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
        killServer();
        socket = "desk-test-" + Long.toHexString(random.nextLong() >>> 1);
        stateHome = Files.createTempDirectory(temp, "state");
        Path config = Files.writeString(temp.resolve("tmux.conf"), "");
        exitStatus = temp.resolve(socket + ".status");
        List<String> command = new ArrayList<>(List.of("-f", config.toString(), "new-session", "-d", "-s", SESSION,
                "-x", "120", "-y", "40", "sh", "-c", RECORD_EXIT_STATUS, "sh", exitStatus.toString(),
                "env", "XDG_STATE_HOME=" + stateHome, "TERM=xterm-256color",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-D" + JavaSoundBackend.DEVICE_PROPERTY + "=" + VirtualSoundCards.class.getName()));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                ";", "set-option", "-t", SESSION, "remain-on-exit", "on"));
        tmux(command.toArray(String[]::new));
        String screen = awaitScreen(s -> lastLine(s).equals(JS), START);
        assertTrue(lines(screen).stream().anyMatch(line -> line.startsWith("Desk ")), "no banner:\n" + screen);
        enter(":py");
        awaitScreen(s -> lastLine(s).equals(PY), PYTHON_START);
        enter(":js");
        awaitScreen(s -> lastLine(s).equals(JS), ANSWER);
    }

    /** Kills this test's tmux server, if one runs, and removes the socket file tmux leaves behind. */
    private void killServer() {
        if (socket == null) {
            return;
        }
        try {
            String socketFile = run(List.of("tmux", "-L", socket, "display-message", "-p", "#{socket_path}")).strip();
            run(List.of("tmux", "-L", socket, "kill-server"));
            Files.deleteIfExists(Path.of(socketFile));
        } catch (IOException | AssertionError e) {
            System.out.println("tmux server " + socket + " was gone already: " + e.getMessage());
        }
    }

    /**
     * Types {@code input} and Enter at {@code prompt}, waits until the prompt is back, and returns the lines
     * printed in between.
     */
    private List<String> eval(String prompt, String input) {
        String echo = prompt + " " + input;
        long before = lines(capture()).stream().filter(echo::equals).count();
        enter(input);
        String screen = awaitScreen(s -> {
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
        awaitScreen(screen -> lastLine(screen).equals(lastInput) && cursorBelowText(), ANSWER);
        long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
        while (System.nanoTime() < until) {
            String screen = capture();
            assertEquals(lastInput, lastLine(screen), "the evaluation ended by itself:\n" + screen);
            pause();
        }
    }

    /** Presses Ctrl-C and returns the milliseconds until the prompt is back under an "interrupted" line. */
    private long interruptAndTime(String prompt) {
        long start = System.nanoTime();
        press("C-c");
        awaitScreen(screen -> {
            List<String> lines = lines(screen);
            return lines.size() >= 2 && lines.getLast().equals(prompt)
                    && lines.get(lines.size() - 2).endsWith("interrupted");
        }, ANSWER);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Waits until the REPL has ended and returns its exit status as the shell that started it recorded it. */
    private String awaitExit() throws IOException {
        long deadline = System.nanoTime() + EXIT.toNanos();
        while (!Files.exists(exitStatus) || Files.readString(exitStatus).isBlank()) {
            if (System.nanoTime() > deadline) {
                fail("the REPL has not ended " + EXIT.toMillis() + " ms after Ctrl-D; screen:\n" + capture());
            }
            pause();
        }
        return Files.readString(exitStatus).strip();
    }

    private boolean paneDead() {
        try {
            return run(List.of("tmux", "-L", socket, "display-message", "-p", "-t", SESSION, "#{pane_dead}"))
                    .strip().equals("1");
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    /**
     * Polls the screen every few milliseconds until {@code condition} holds and returns that screen; fails with
     * the last screen when {@code timeout} passes first.
     */
    private String awaitScreen(Predicate<String> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String screen = capture();
            if (condition.test(screen)) {
                return screen;
            }
            if (System.nanoTime() > deadline) {
                fail("the screen did not reach the expected state within " + timeout.toMillis() + " ms; last screen:\n"
                        + screen);
            }
            pause();
        }
    }

    /** True when the cursor sits on a row below every row with text: the typed line went in, nothing came back. */
    private boolean cursorBelowText() {
        String[] rows = tmux("display-message", "-p", "-t", SESSION, "#{cursor_y}", ";",
                "capture-pane", "-p", "-t", SESSION).split("\n", -1);
        int cursor = Integer.parseInt(rows[0].strip());
        int lastText = -1;
        for (int row = 1; row < rows.length; row++) {
            if (!rows[row].isBlank()) {
                lastText = row - 1;
            }
        }
        return cursor > lastText;
    }

    /** The screen and its scrollback, wrapped lines joined. */
    private String capture() {
        return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", SESSION);
    }

    private List<String> visibleLines() {
        return lines(tmux("capture-pane", "-p", "-t", SESSION));
    }

    private void type(String text) {
        tmux("send-keys", "-t", SESSION, "-l", "--", text);
    }

    private void enter(String line) {
        tmux("send-keys", "-t", SESSION, "-l", "--", line, ";", "send-keys", "-t", SESSION, "Enter");
    }

    private void press(String key) {
        tmux("send-keys", "-t", SESSION, key);
    }

    private String tmux(String... arguments) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(Arrays.asList(arguments));
        try {
            return run(command);
        } catch (IOException e) {
            throw new AssertionError("tmux failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a command and returns its output; fails when it exits with an error. An argument ending in a
     * semicolon would end a tmux command, so that semicolon is escaped; a lone semicolon still separates.
     */
    private static String run(List<String> command) throws IOException {
        List<String> escaped = command.stream()
                .map(argument -> argument.length() > 1 && argument.endsWith(";")
                        ? argument.substring(0, argument.length() - 1) + "\\;" : argument)
                .toList();
        ProcessBuilder builder = new ProcessBuilder(escaped).redirectErrorStream(true);
        builder.environment().remove("TMUX");
        builder.environment().remove("TMUX_PANE");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                        + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command.getFirst(), e);
        }
        return output;
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling the screen", e);
        }
    }

    /** The lines of a capture, trailing spaces and trailing empty lines dropped. */
    private static List<String> lines(String screen) {
        List<String> lines = new ArrayList<>(screen.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    private static String lastLine(String screen) {
        List<String> lines = lines(screen);
        return lines.isEmpty() ? "" : lines.getLast();
    }

    private static boolean endsWith(String screen, String... last) {
        List<String> lines = lines(screen);
        return lines.size() >= last.length
                && lines.subList(lines.size() - last.length, lines.size()).equals(List.of(last));
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
