package desk.repl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real terminal for tests: one command in a detached tmux session of 120x40 on a tmux server of its own.
 * Keys go in with {@code send-keys}, the screen comes back with {@code capture-pane}; the command's exit
 * status is written to a file, as tmux marks a pane dead when its terminal closes but does not always learn
 * the status of a process it started directly. Threads: the test's thread.
 */
final class TmuxPane {
    /**
     * Runs the command ("$@" after the status file $1) and writes its exit status to that file. The trap keeps
     * the shell itself alive through a Ctrl-C; the command gets the default handling back.
     */
    private static final String RECORD_EXIT_STATUS = "status=$1; shift; trap : INT; \"$@\"; echo $? >\"$status\"";
    private static final Pattern TMUX_VERSION = Pattern.compile("tmux (?:next-)?(\\d+)\\.");
    private static final String SESSION = "pane";
    private static final Random RANDOM = new Random();

    private final String socket = "desk-test-" + Long.toHexString(RANDOM.nextLong() >>> 1);
    private final Path exitStatus;

    /**
     * Starts {@code command} (with {@code environment}, "NAME=value" entries) in a new terminal; {@code folder}
     * keeps the tmux configuration and the exit status.
     */
    TmuxPane(Path folder, List<String> environment, List<String> command) throws IOException {
        Path config = Files.writeString(folder.resolve("tmux.conf"), "");
        exitStatus = folder.resolve(socket + ".status");
        List<String> arguments = new ArrayList<>(List.of("-f", config.toString(), "new-session", "-d", "-s", SESSION,
                "-x", "120", "-y", "40", "sh", "-c", RECORD_EXIT_STATUS, "sh", exitStatus.toString(), "env",
                "TERM=xterm-256color"));
        arguments.addAll(environment);
        arguments.addAll(command);
        arguments.addAll(List.of(";", "set-option", "-t", SESSION, "remain-on-exit", "on"));
        tmux(arguments.toArray(String[]::new));
    }

    /**
     * The command that starts Desk's REPL in a JVM of its own, from the test class path: this JVM's java, the
     * serial collector, native access, {@code jvmOptions}, then {@code arguments} for Desk.
     */
    static List<String> deskCommand(List<String> jvmOptions, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Fails unless tmux 3.0 or newer is on the PATH (it runs a command without a shell from 3.0 on). */
    static void requireTmux(String who) {
        String version;
        try {
            version = run(List.of("tmux", "-V")).strip();
        } catch (IOException e) {
            throw new AssertionError(who + " drives the REPL in a real terminal and needs tmux 3.0 or newer"
                    + " on the PATH; install tmux (CI does): " + e.getMessage(), e);
        }
        Matcher major = TMUX_VERSION.matcher(version);
        if (major.lookingAt() && Integer.parseInt(major.group(1)) < 3) {
            fail(who + " needs tmux 3.0 or newer to run a command without a shell; found " + version);
        }
    }

    /** Kills the tmux server, and so the command, and removes the socket file tmux leaves behind. */
    void kill() {
        try {
            String socketFile = run(List.of("tmux", "-L", socket, "display-message", "-p", "#{socket_path}")).strip();
            run(List.of("tmux", "-L", socket, "kill-server"));
            Files.deleteIfExists(Path.of(socketFile));
        } catch (IOException | AssertionError e) {
            System.out.println("tmux server " + socket + " was gone already: " + e.getMessage());
        }
    }

    /** The exit status the shell recorded, or null while the command runs. */
    String exitStatus() throws IOException {
        return Files.exists(exitStatus) && !Files.readString(exitStatus).isBlank()
                ? Files.readString(exitStatus).strip() : null;
    }

    /** True once the pane's terminal has closed. */
    boolean dead() {
        try {
            return run(List.of("tmux", "-L", socket, "display-message", "-p", "-t", SESSION, "#{pane_dead}"))
                    .strip().equals("1");
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    /** The process id of the shell that runs the command. */
    long shellPid() {
        return Long.parseLong(tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip());
    }

    /**
     * Polls the screen every few milliseconds until {@code condition} holds and returns that screen; fails with
     * the last screen when {@code timeout} passes first.
     */
    String awaitScreen(Predicate<String> condition, Duration timeout) {
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
    boolean cursorBelowText() {
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
    String capture() {
        return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", SESSION);
    }

    /** The visible screen's lines. */
    List<String> visibleLines() {
        return lines(tmux("capture-pane", "-p", "-t", SESSION));
    }

    /** Forgets the scrollback. */
    void clearHistory() {
        tmux("clear-history", "-t", SESSION);
    }

    /** Types {@code text} as it is. */
    void type(String text) {
        tmux("send-keys", "-t", SESSION, "-l", "--", text);
    }

    /** Types {@code line} and Enter. */
    void enter(String line) {
        tmux("send-keys", "-t", SESSION, "-l", "--", line, ";", "send-keys", "-t", SESSION, "Enter");
    }

    /** Presses a key by its tmux name ("C-c", "Enter", "F2"). */
    void press(String key) {
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

    /**
     * Types {@code input} at the JavaScript prompt and returns the lines the REPL answered with, once the prompt is
     * back (within {@code answer}), leaving out the xrun reports and notices that may come between.
     */
    List<String> eval(String input, Duration answer) {
        String echo = "js> " + input.split("[({]", 2)[0];
        long before = lines(capture()).stream().filter(line -> line.startsWith(echo)).count();
        enter(input);
        String screen = awaitScreen(s -> lines(s).stream().filter(line -> line.startsWith(echo)).count() > before
                && lastLine(s).equals("js>"), answer);
        List<String> lines = lines(screen);
        int echoed = lines.size() - 1;
        while (!lines.get(echoed).startsWith(echo)) {
            echoed--;
        }
        return lines.subList(echoed + 1, lines.size() - 1).stream()
                .filter(line -> !line.startsWith("xruns:") && !line.startsWith("desk:")).toList();
    }

    /** Waits a few milliseconds between two looks at the screen. */
    static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling the screen", e);
        }
    }

    /** The lines of a capture, trailing spaces and trailing empty lines dropped. */
    static List<String> lines(String screen) {
        List<String> lines = new ArrayList<>(screen.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    /** The last line of a capture. */
    static String lastLine(String screen) {
        List<String> lines = lines(screen);
        return lines.isEmpty() ? "" : lines.getLast();
    }

    /** True when a capture's last lines are {@code last}. */
    static boolean endsWith(String screen, String... last) {
        List<String> lines = lines(screen);
        return lines.size() >= last.length
                && lines.subList(lines.size() - last.length, lines.size()).equals(List.of(last));
    }
}
