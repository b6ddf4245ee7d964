package desk.repl;

import desk.script.Language;
import desk.script.ScriptException;
import desk.script.ScriptHost;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read-evaluate-print loop: JavaScript by default, {@code :py} for Python, multi-line input when a
 * statement is incomplete, Tab completion of API members and, inside quotes, of the names and words the place
 * takes (capture ports for an input, buses for an output, generator types, ...), history per
 * language kept across runs, Ctrl-C to interrupt a running evaluation, Ctrl-D or {@code :quit} to leave.
 * On a pipe it reads line by line and prints results without prompts.
 * <p>
 * Threads: the thread that calls {@link #interactive} or {@link #piped}; evaluation happens on the script
 * host's thread; the terminal's signal thread may call {@link ScriptHost#interrupt()}.
 */
final class Repl {
    /** A quoted name, in either kind of quotes, without escapes. */
    private static final String QUOTED = "(?:\"[^\"\\\\]*\"|'[^'\\\\]*')";
    /**
     * A path to a member being typed: names, indexes ({@code session.tracks[0]}, {@code ["Vox"]}) and
     * {@code find("Vox")}, which reads and changes nothing, so completing can evaluate it; no other call.
     */
    private static final Pattern MEMBER_ACCESS = Pattern.compile("([A-Za-z_$][\\w$]*(?:\\.find\\(" + QUOTED
            + "\\)|\\.[A-Za-z_$][\\w$]*|\\[(?:\\d+|" + QUOTED + ")\\])*)\\.([\\w$]*)$");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([A-Za-z_$][\\w$]*)$");
    private static final String METERS_WIDGET = "desk-meters";
    /** How errors name input read from a pipe: {@code <stdin>:7:1: ...}. */
    private static final String PIPED_SOURCE = "<stdin>";

    private final ScriptHost host;
    private final Path historyFolder;
    /** Where scripts print on a terminal: above the prompt while it waits. */
    private final PromptSafeOutput[] scriptOutputs;
    private Language language = Language.JS;
    private boolean verbose;
    private boolean failed;
    /** Whether the user was told once that quitting leaves unsaved edits. */
    private boolean warnedUnsaved;
    private long xrunsShown;
    private volatile LineReader activeReader;
    private volatile PrintWriter noticeWriter;
    private java.util.function.Supplier<String> reconnect = () -> ":reconnect applies to JACK";

    Repl(ScriptHost host, Path historyFolder, PromptSafeOutput... scriptOutputs) {
        this.host = host;
        this.historyFolder = historyFolder;
        this.scriptOutputs = scriptOutputs;
    }

    /** Runs the loop on a real terminal until Ctrl-D or :quit; returns the exit status. */
    int interactive(Terminal terminal, String banner) {
        PrintWriter out = terminal.writer();
        LineReader reader = LineReaderBuilder.builder()
                .appName("desk")
                .terminal(terminal)
                .parser(new ScriptParser())
                .completer(new ApiCompleter())
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P... ")
                .variable(LineReader.INDENTATION, 2)
                .option(LineReader.Option.INSERT_BRACKET, false)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        bindMeterBridgeKey(reader, terminal);
        useHistory(reader, language);
        activeReader = reader;
        for (PromptSafeOutput output : scriptOutputs) {
            output.attach(reader);
        }
        out.println(banner);
        out.flush();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> host.interrupt());
        AutoCloseable loop = startControlLoop(line -> reader.printAbove("desk: " + line));
        try {
            while (true) {
                String line;
                String prompt = prompt();
                setPrompting(true);
                try {
                    line = reader.readLine(prompt);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    line = null;
                } finally {
                    setPrompting(false);
                }
                if ((line == null || !handle(line, out, reader)) && !unsavedWarning(out)) {
                    break;
                }
            }
        } finally {
            stop(loop);
            activeReader = null;
            for (PromptSafeOutput output : scriptOutputs) {
                output.attach(null);
            }
            terminal.handle(Terminal.Signal.INT, previous);
            saveHistory(reader);
        }
        return 0;
    }

    private void setPrompting(boolean waiting) {
        for (PromptSafeOutput output : scriptOutputs) {
            output.prompting(waiting);
        }
    }

    /**
     * The prompt: the language, after the session folder's name and a star while it has unsaved edits, e.g.
     * {@code ballad* js> }; just the language without a session folder.
     */
    private String prompt() {
        String[] session = new String[1];
        host.control(() -> {
            java.nio.file.Path folder = host.session().recorder().folder();
            session[0] = folder == null ? "" : folder.getFileName() + (host.session().unsaved() ? "*" : "") + " ";
        });
        return session[0] + language.shortName() + "> ";
    }

    /**
     * On the first quit with unsaved edits in a session folder, says so and stays (true); the next quit leaves.
     */
    private boolean unsavedWarning(PrintWriter out) {
        boolean[] unsaved = new boolean[1];
        host.control(() -> unsaved[0] = host.session().recorder().folder() != null && host.session().unsaved());
        if (!unsaved[0] || warnedUnsaved) {
            return false;
        }
        warnedUnsaved = true;
        out.println("The session has unsaved changes: :save keeps them; quit again to leave without saving"
                + " (Desk keeps a copy that --recover opens).");
        out.flush();
        return true;
    }

    /** Starts running the session's scheduled functions; failures are shown through {@code report}. */
    private AutoCloseable startControlLoop(java.util.function.Consumer<String> report) {
        long lookahead = Math.round(RunCommand.LIVE_LOOKAHEAD_SECONDS * host.session().sampleRate());
        return host.startControlLoop(lookahead, report);
    }

    private static void stop(AutoCloseable loop) {
        try {
            loop.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Evaluates lines from a pipe, joining incomplete statements; returns 1 if any failed. */
    int piped(BufferedReader in, PrintWriter out, PrintWriter err) throws IOException {
        noticeWriter = err;
        AutoCloseable loop = startControlLoop(line -> {
            synchronized (err) {
                err.println("desk: " + line);
                err.flush();
            }
        });
        try {
            return pipedLines(in, out, err);
        } finally {
            stop(loop);
        }
    }

    private int pipedLines(BufferedReader in, PrintWriter out, PrintWriter err) throws IOException {
        StringBuilder pending = new StringBuilder();
        int lineNumber = 0;
        int firstLine = 1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            if (pending.isEmpty() && line.startsWith(":")) {
                if (!handleCommand(line.strip(), out, err, null)) {
                    break;
                }
                continue;
            }
            if (pending.isEmpty()) {
                firstLine = lineNumber;
            }
            pending.append(line).append('\n');
            if (pending.toString().isBlank()) {
                pending.setLength(0);
                continue;
            }
            if (host.isIncomplete(language, pending.toString())) {
                continue;
            }
            evaluate(pending.toString(), PIPED_SOURCE, firstLine, out, err);
            pending.setLength(0);
        }
        if (!pending.toString().isBlank()) {
            evaluate(pending.toString(), PIPED_SOURCE, firstLine, out, err);
        }
        out.flush();
        err.flush();
        return failed ? 1 : 0;
    }

    /** Handles one line; false when the REPL should end. */
    private boolean handle(String line, PrintWriter out, LineReader reader) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return true;
        }
        if (trimmed.startsWith(":")) {
            return handleCommand(trimmed, out, out, reader);
        }
        evaluate(line, "<" + language.shortName() + ">", 1, out, out);
        return true;
    }

    /** Evaluates {@code code}, which starts on line {@code firstLine} of {@code sourceName}, and prints the result. */
    private void evaluate(String code, String sourceName, int firstLine, PrintWriter out, PrintWriter err) {
        long failuresBefore = host.session().link().failures();
        try {
            String text = host.evaluate(language, code, sourceName, firstLine, value -> ValueText.of(value, language));
            if (text != null) {
                out.println(text);
            }
        } catch (ScriptException e) {
            failed = true;
            err.println(e.getMessage());
            if (verbose && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
        } catch (RuntimeException e) {
            failed = true;
            err.println("error: " + Main.oneLine(e));
            if (verbose) {
                e.printStackTrace(err);
            }
        }
        long xruns = host.session().xruns();
        if (xruns > xrunsShown && activeReader != null) {
            out.println("xruns: " + (xruns - xrunsShown) + " new, " + xruns + " since the engine started");
            xrunsShown = xruns;
        }
        long failures = host.session().link().failures() - failuresBefore;
        if (failures > 0) {
            failed = true;
            err.println("engine: " + failures + " failure" + (failures == 1 ? "" : "s") + " inside DSP (a failing node"
                    + " is bypassed, the rest plays on): " + Main.oneLine(host.session().link().lastFailure()));
        }
        out.flush();
        err.flush();
    }

    /** What {@code :reconnect} does: reconnects to the audio server and says how it went. */
    void onReconnect(java.util.function.Supplier<String> action) {
        reconnect = action;
    }

    /**
     * Shows one line from the engine's side (the server stopped, a reconnection) at once: above the prompt on
     * a terminal, on the error stream on a pipe. Any thread.
     */
    void notice(String line) {
        LineReader reader = activeReader;
        if (reader != null) {
            reader.printAbove(line);
            return;
        }
        PrintWriter writer = noticeWriter;
        if (writer != null) {
            writer.println(line);
            writer.flush();
        }
    }

    private boolean handleCommand(String command, PrintWriter out, PrintWriter err, LineReader reader) {
        String[] words = command.split("\\s+", 2);
        String argument = words.length > 1 ? words[1].strip() : "";
        switch (words[0]) {
            case ":quit", ":q", ":exit" -> {
                return false;
            }
            case ":js", ":py" -> switchTo(words[0].equals(":js") ? Language.JS : Language.PYTHON, out, reader);
            case ":help", ":h" -> out.print(ReplHelp.text(argument, host.registry()));
            case ":load" -> load(argument, out, err);
            case ":meters" -> meters(out, reader);
            case ":gain" -> gain(argument, out, err);
            case ":routing" -> routing(argument, out, err);
            case ":save" -> save(argument, out, err);
            case ":undo", ":redo" -> undo(words[0].equals(":undo"), out, err);
            case ":reconnect" -> out.println(reconnect.get());
            case ":verbose" -> {
                verbose = !verbose;
                out.println("stack traces " + (verbose ? "on" : "off"));
            }
            default -> {
                failed = true;
                err.println("unknown command " + words[0] + ": try :help");
            }
        }
        out.flush();
        return true;
    }

    /** F2 shows the meter bridge below the line being typed and gives the line back as it was. */
    private void bindMeterBridgeKey(LineReader reader, Terminal terminal) {
        reader.getWidgets().put(METERS_WIDGET, () -> {
            try {
                new MeterBridge(host.session()).run(terminal, true);
            } catch (IOException e) {
                reader.printAbove("meters: " + e.getMessage());
            }
            reader.callWidget(LineReader.REDRAW_LINE);
            reader.callWidget(LineReader.REDISPLAY);
            return true;
        });
        String f2 = org.jline.keymap.KeyMap.key(terminal, org.jline.utils.InfoCmp.Capability.key_f2);
        if (f2 != null) {
            reader.getKeyMaps().get(LineReader.MAIN).bind(new org.jline.reader.Reference(METERS_WIDGET), f2);
        }
    }

    /** The meter bridge until a key is pressed on a terminal; one frame of it on a pipe. */
    private void meters(PrintWriter out, LineReader reader) {
        MeterBridge bridge = new MeterBridge(host.session());
        if (reader == null) {
            bridge.frame(120, Integer.MAX_VALUE).forEach(out::println);
            return;
        }
        try {
            bridge.run(reader.getTerminal(), false);
        } catch (IOException e) {
            failed = true;
            out.println("meters: " + e.getMessage());
        }
    }

    /** The gain-staging assistant's report: {@code :gain}, {@code :gain tracking} or {@code :gain mastering}. */
    private void gain(String stage, PrintWriter out, PrintWriter err) {
        try {
            out.println(host.session().gainReport(stage.isEmpty() ? "mixing" : stage));
        } catch (desk.session.DeskException e) {
            failed = true;
            err.println(e.getMessage());
        }
    }

    /** The routing as a tree ({@code :routing}) or as Graphviz DOT ({@code :routing dot}), read on the script thread. */
    private void routing(String format, PrintWriter out, PrintWriter err) {
        String[] drawn = new String[1];
        try {
            host.control(() -> drawn[0] = desk.session.RoutingView.draw(host.session(), format.isEmpty() ? "tree" : format,
                    ":routing"));
            out.print(drawn[0]);
        } catch (desk.session.DeskException e) {
            failed = true;
            err.println(e.getMessage());
        }
    }

    /** Takes the last change group back ({@code :undo}) or makes it again ({@code :redo}), saying what it was. */
    private void undo(boolean back, PrintWriter out, PrintWriter err) {
        String[] words = new String[1];
        try {
            host.control(() -> words[0] = back ? host.session().undo() : host.session().redo());
            out.println((back ? "undone: " : "redone: ") + words[0]);
        } catch (desk.session.DeskException e) {
            failed = true;
            err.println(e.getMessage());
        }
    }

    /** Saves the session into its folder ({@code :save}) or into another one ({@code :save DIR}), on the script thread. */
    private void save(String folder, PrintWriter out, PrintWriter err) {
        java.nio.file.Path[] saved = new java.nio.file.Path[1];
        try {
            host.control(() -> saved[0] = folder.isEmpty() ? host.session().save()
                    : host.session().saveAs(java.nio.file.Path.of(folder)));
            out.println("saved " + saved[0]);
        } catch (desk.session.DeskException e) {
            failed = true;
            err.println(e.getMessage());
        }
    }

    private void switchTo(Language next, PrintWriter out, LineReader reader) {
        if (next == Language.PYTHON && !host.isReady(Language.PYTHON) && reader != null) {
            out.println("Python is starting...");
            out.flush();
        }
        try {
            host.warmUpPython();
            host.isIncomplete(next, "");
        } catch (ScriptException e) {
            out.println(e.getMessage());
            return;
        }
        if (reader != null) {
            saveHistory(reader);
        }
        language = next;
        if (reader != null) {
            useHistory(reader, next);
        }
    }

    private void load(String argument, PrintWriter out, PrintWriter err) {
        if (argument.isEmpty()) {
            failed = true;
            err.println(":load needs a file: :load FILE.js or :load FILE.py");
            return;
        }
        try {
            host.run(Path.of(argument));
            out.println("loaded " + argument);
        } catch (ScriptException e) {
            failed = true;
            err.println(e.getMessage());
        }
    }

    private void useHistory(LineReader reader, Language next) {
        try {
            Files.createDirectories(historyFolder);
        } catch (IOException e) {
            return;
        }
        reader.setVariable(LineReader.HISTORY_FILE, historyFolder.resolve("history-" + next.shortName()));
        History history = reader.getHistory();
        try {
            history.attach(reader);
            history.load();
        } catch (IOException | IllegalArgumentException e) {
            reader.getTerminal().writer().println("history not loaded: " + e.getMessage());
        }
    }

    private static void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            reader.getTerminal().writer().println("history not saved: " + e.getMessage());
        }
    }

    /**
     * Asks the language whether the input so far is a complete statement, so Enter can continue it. Python
     * follows its own REPL: a compound statement ends with an empty line.
     */
    private final class ScriptParser implements Parser {
        private final DefaultParser words = new DefaultParser();

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !line.strip().startsWith(":") && !line.isBlank()) {
                boolean incomplete;
                try {
                    incomplete = host.isIncomplete(language, line + "\n");
                } catch (ScriptException e) {
                    incomplete = false;
                }
                if (incomplete) {
                    throw new EOFError(-1, -1, "incomplete statement");
                }
            }
            return words.parse(line, cursor, context);
        }
    }

    /** Completes API members after a dot, names inside quotes, and the globals. */
    private final class ApiCompleter implements Completer {
        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            String before = line.line().substring(0, line.cursor());
            int quote = QuotedNames.openQuote(before);
            if (quote >= 0) {
                String typed = before.substring(quote + 1);
                String word = line.word().substring(0, line.wordCursor());
                String prefix = word.substring(0, Math.max(0, word.length() - typed.length()));
                for (String name : names(before.substring(0, quote))) {
                    candidates.add(new Candidate(prefix + name, name, null, null, null, null, false));
                }
                return;
            }
            Matcher member = MEMBER_ACCESS.matcher(before);
            if (member.find()) {
                for (String name : members(member.group(1))) {
                    candidates.add(new Candidate(member.group(1) + "." + name, name, null, null, null, null, true));
                }
                return;
            }
            Matcher identifier = IDENTIFIER.matcher(before);
            if (identifier.find()) {
                for (String name : globals()) {
                    candidates.add(new Candidate(name));
                }
            }
        }

        private List<String> members(String expression) {
            String listing = language == Language.JS
                    ? "(function(){try{var o=" + expression + ";return o==null?[]:Object.keys(o)}catch(e){return []}})()"
                    : "[m for m in dir(" + expression + ") if not m.startswith('_')]";
            try {
                return host.evaluate(language, listing, "<complete>", Repl::strings);
            } catch (ScriptException e) {
                return List.of();
            }
        }

        /** What the place before the opening quote accepts, read on the script thread, as the session is. */
        private List<String> names(String beforeQuote) {
            List<List<String>> names = new ArrayList<>(List.of(List.of()));
            try {
                host.control(() -> names.set(0, QuotedNames.values(beforeQuote, host.session())));
            } catch (ScriptException | desk.session.DeskException e) {
                return List.of();
            }
            return names.getFirst();
        }

        private List<String> globals() {
            String listing = language == Language.JS ? "Object.keys(globalThis)" : "[g for g in globals() if not g.startswith('_')]";
            List<String> names = new ArrayList<>(List.of("session"));
            try {
                for (String name : host.evaluate(language, listing, "<complete>", Repl::strings)) {
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                }
            } catch (ScriptException e) {
                return names;
            }
            return names;
        }
    }

    private static List<String> strings(org.graalvm.polyglot.Value value) {
        List<String> result = new ArrayList<>();
        if (value != null && value.hasArrayElements()) {
            for (long i = 0; i < value.getArraySize(); i++) {
                result.add(value.getArrayElement(i).asString());
            }
        }
        return result;
    }
}
