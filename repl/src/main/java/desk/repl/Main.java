package desk.repl;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import desk.engine.server.RemoteEngine;

import desk.script.ScriptHost;
import desk.script.ScriptLanguages;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code desk} command line: with no subcommand it starts the REPL over an engine on the embedded
 * default backend; {@code run} runs a script; {@code bench} measures the mixer. Errors are one line on stderr; {@code --verbose} adds the stack trace.
 * <p>
 * Threads: the main thread.
 */
@Command(name = "desk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A mixing desk you drive from code.",
        subcommands = {RunCommand.class, BenchCommand.class, MeterCommand.class, ListenCommand.class})
public final class Main implements Callable<Integer> {
    @Option(names = "--sample-rate", scope = CommandLine.ScopeType.INHERIT, description = "Sample rate in Hz (default ${DEFAULT-VALUE}).", defaultValue = "48000")
    int sampleRate;

    /** Period of a live backend when --buffer is not given, in frames. */
    static final int DEFAULT_PERIOD = 256;
    /** Block size of offline rendering when --buffer is not given, in frames: offline has no latency to keep low. */
    static final int DEFAULT_OFFLINE_BLOCK = 1024;

    @Option(names = "--buffer", scope = CommandLine.ScopeType.INHERIT, description = "Frames per block: the period of a live backend (default "
            + DEFAULT_PERIOD + ") or the block of an offline render (default " + DEFAULT_OFFLINE_BLOCK + ").")
    Integer buffer;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces with errors.")
    boolean verbose;

    @Option(names = "--allow-io", scope = CommandLine.ScopeType.INHERIT, description = "Let scripts read and write files in the working folder.")
    boolean allowIo;

    @Option(names = "--backend", scope = CommandLine.ScopeType.INHERIT, paramLabel = "jack|dummy|javasound|offline",
            description = "Where the engine plays: jack, dummy, javasound or offline (default: JACK when a server"
                    + " answers, else Java Sound output when a device plays, else the dummy clock).")
    String backend;

    @Option(names = "--jack-server", scope = CommandLine.ScopeType.INHERIT, paramLabel = "NAME",
            description = "The JACK server to play on (default: JACK_DEFAULT_SERVER, or \"default\").")
    String jackServer;
    @Option(names = "--engine", scope = CommandLine.ScopeType.INHERIT, paramLabel = "HOST:PORT",
            description = "Drive the engine listening there (desk engine --listen) instead of starting one.")
    String engine;

    @Option(names = "--token", scope = CommandLine.ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "With --engine: the engine's token (default: DESK_ENGINE_TOKEN).")
    String token;

    @Option(names = "--fingerprint", scope = CommandLine.ScopeType.INHERIT, paramLabel = "SHA256",
            description = "With --engine: the SHA-256 fingerprint of the engine's certificate, as it printed it.")
    String fingerprint;

    @Option(names = "--take-over", scope = CommandLine.ScopeType.INHERIT,
            description = "With --engine: take the engine over from the desk that drives it (it is told and let go).")
    boolean takeOver;

    @Option(names = "--no-tls", scope = CommandLine.ScopeType.INHERIT,
            description = "With --engine on a loopback address: speak without TLS, to an engine started with --no-tls.")
    boolean noTls;

    @Option(names = "--session", description = "The session folder of the REPL (created if missing): its saved"
            + " session (session.json) is opened first, :save saves there, takes are recorded there.")
    Path sessionFolder;

    @Mixin
    SessionOpenOptions opening = new SessionOpenOptions();

    @Mixin
    OscOptions osc = new OscOptions();

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        CrashFolder.openIfGiven();
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the command line against the given streams and returns the exit status. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new Main(in, out, err));
        withoutInheritedOptions(commandLine.getSubcommands().get("meter"));
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            err.println("desk: " + oneLine(exception));
            if (line.getCommandSpec().root().userObject() instanceof Main main && main.verbose) {
                exception.printStackTrace(err);
            }
            return 1;
        });
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            err.println("desk: " + exception.getMessage() + " (see " + exception.getCommandLine().getCommandSpec()
                    .qualifiedName() + " --help)");
            return 2;
        });
        return commandLine.execute(args);
    }

    /**
     * Takes from {@code command} the options the root passes down to its subcommands (engine and script
     * settings): {@code desk meter} starts no engine and runs no script, so they are not its own.
     */
    private static void withoutInheritedOptions(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        for (CommandLine.Model.OptionSpec option : java.util.List.copyOf(spec.options())) {
            if (option.inherited()) {
                spec.remove(option);
            }
        }
    }

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    Main(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        int period = livePeriod();
        boolean piped = !interactiveTerminal();
        CompletableFuture<Terminal> terminalReady = piped ? null : CompletableFuture.supplyAsync(Main::systemTerminal);
        // The languages start while the backend is found (on JACK, the engine process starts): on a terminal
        // Python too, so that it is ready soon after the first prompt.
        PromptSafeOutput scriptOut = new PromptSafeOutput(System.out);
        PromptSafeOutput scriptErr = new PromptSafeOutput(System.err);
        try (ScriptLanguages languages = ScriptLanguages.start(Path.of(""), allowIo, piped ? out : scriptOut,
                piped ? err : scriptErr, !piped);
             LiveDesk desk = LiveDesk.start(backendChoice(), jackServer, sampleRate, period, remoteEngine());
             ScriptHost host = new ScriptHost(desk.session(), languages)) {
            if (sessionFolder != null) {
                opening.open(desk.session(), sessionFolder);
            }
            osc.start(host, piped ? out : new PrintStream(scriptOut, true, StandardCharsets.UTF_8));
            int status = repl(desk, host, piped, terminalReady, scriptOut, scriptErr);
            host.control(desk.session().recorder()::finish);
            return status;
        }
    }

    /** Runs the REPL, piped or on the terminal, until its input ends; returns the exit status. */
    private int repl(LiveDesk desk, ScriptHost host, boolean piped, CompletableFuture<Terminal> terminalReady,
                     PromptSafeOutput... scriptOutputs) throws IOException {
        Repl repl = new Repl(host, historyFolder(), scriptOutputs);
        desk.onEvent(repl::notice);
        desk.session().onNotice(repl::notice);
        repl.onReconnect(desk::reconnect);
        if (piped) {
            PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
            PrintWriter errors = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
            if (desk.remote() && desk.notice() != null) {
                errors.println(desk.notice());
            }
            return repl.piped(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), writer, errors);
        }
        try (Terminal terminal = terminalReady.join()) {
            host.startJavaScript();
            host.warmUpPython();
            if (desk.notice() != null) {
                terminal.writer().println(desk.notice());
            }
            return repl.interactive(terminal, "Desk " + Version.number() + " on " + host.session().audio().describe()
                    + ". :help for help, Ctrl-D to quit.");
        }
    }

    /** The system terminal, built while the engine and the script languages start. */
    private static Terminal systemTerminal() {
        try {
            return TerminalBuilder.builder().system(true).providers("jni,ffm,exec").build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * True when standard input and output are a terminal. Until JDK 22 a console exists only then; from
     * JDK 22 on it exists always and says whether it is a terminal.
     */
    static boolean interactiveTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** The backend asked for with --backend, or null to choose JACK when a server answers. */
    LiveDesk.Backend backendChoice() {
        if (jackServer != null && backend != null && !backend.equals("jack")) {
            throw new IllegalArgumentException("--jack-server " + jackServer + " goes with --backend jack, not "
                    + backend);
        }
        return backend == null ? null : LiveDesk.Backend.parse(backend);
    }

    /**
     * The engine on the network --engine names, with its token (--token, else DESK_ENGINE_TOKEN), or null;
     * refuses the options that go with --engine alone when it is missing, and a backend beside it.
     */
    RemoteEngine remoteEngine() {
        if (engine == null) {
            if (token != null || fingerprint != null || takeOver || noTls) {
                throw new IllegalArgumentException("--token, --fingerprint, --take-over and --no-tls go with --engine"
                        + " HOST:PORT");
            }
            return null;
        }
        if (backend != null || jackServer != null) {
            throw new IllegalArgumentException("--engine " + engine + " drives an engine that has its own backend:"
                    + " leave out --backend and --jack-server (give them to desk engine there)");
        }
        return new RemoteEngine(engine, token != null ? token : System.getenv("DESK_ENGINE_TOKEN"), fingerprint,
                !noTls, takeOver);
    }

    /** Frames per period of a live backend: --buffer, or the default. */
    int livePeriod() {
        return buffer == null ? DEFAULT_PERIOD : buffer;
    }

    /** Frames per block of an offline render: --buffer, or the default. */
    int offlineBlock() {
        return buffer == null ? DEFAULT_OFFLINE_BLOCK : buffer;
    }

    /** The stream results and script output go to. */
    PrintStream out() {
        return out;
    }

    /** Where the REPL keeps its history: $XDG_STATE_HOME/desk, or ~/.local/state/desk. */
    static Path historyFolder() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("desk");
    }

    /** The message of an exception as one line, naming its type only when it has no message. */
    static String oneLine(Throwable exception) {
        String message = exception.getMessage();
        if (message == null || message.isBlank()) {
            return exception.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }

    /** Reads the version the build stamped into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        static String number() {
            Properties properties = new Properties();
            try (InputStream stream = Main.class.getResourceAsStream("version.properties")) {
                if (stream != null) {
                    properties.load(stream);
                }
            } catch (IOException e) {
                return "unknown";
            }
            return properties.getProperty("desk.version", "unknown");
        }

        @Override
        public String[] getVersion() {
            return new String[]{"desk " + number()};
        }
    }
}
