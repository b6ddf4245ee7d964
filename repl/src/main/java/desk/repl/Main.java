package desk.repl;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code desk} command line: with no subcommand it starts Desk on the embedded default backend;
 * {@code bench} measures the mixer. Errors are one line on stderr; {@code --verbose} adds the stack trace.
 * <p>
 * Threads: the main thread.
 */
@Command(name = "desk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A mixing desk you drive from code.",
        subcommands = {BenchCommand.class})
public final class Main implements Callable<Integer> {
    @Option(names = "--sample-rate", description = "Sample rate in Hz (default ${DEFAULT-VALUE}).", defaultValue = "48000")
    int sampleRate;

    /** Period of a live backend when --buffer is not given, in frames. */
    static final int DEFAULT_PERIOD = 256;
    /** Block size of offline rendering when --buffer is not given, in frames: offline has no latency to keep low. */
    static final int DEFAULT_OFFLINE_BLOCK = 1024;

    @Option(names = "--buffer", description = "Frames per block: the period of a live backend (default "
            + DEFAULT_PERIOD + ") or the block of an offline render (default " + DEFAULT_OFFLINE_BLOCK + ").")
    Integer buffer;

    @Option(names = "--verbose", description = "Show stack traces with errors.")
    boolean verbose;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the command line against the given streams and returns the exit status. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new Main(in, out));
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
            err.println("desk: " + exception.getMessage() + " (see desk --help)");
            return 2;
        });
        return commandLine.execute(args);
    }

    private final InputStream in;
    private final PrintStream out;

    Main(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        int period = buffer == null ? DEFAULT_PERIOD : buffer;
        try (LiveDesk desk = LiveDesk.startDummy(sampleRate, period)) {
            out.println("Desk " + Version.number() + ": engine running on the dummy backend at " + sampleRate
                    + " Hz, " + period + "-frame periods. The scripting REPL is not in this build yet;"
                    + " end with Ctrl-D.");
            while (in.read() >= 0) {
                out.flush();
            }
            out.println("Desk stopped after " + desk.periods() + " periods, " + desk.xruns() + " xruns.");
        }
        return 0;
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
