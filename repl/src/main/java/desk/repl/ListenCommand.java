package desk.repl;

import desk.engine.server.EngineListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code desk engine --listen HOST:PORT}: the engine alone on this machine, on its JACK server, for a desk on
 * another machine to drive ({@code ./desk --engine HOST:PORT}). It runs in a JVM of its own, as the engine
 * process of a local desk does ({@link EngineListener}), and ends with this command (Ctrl-C). Its exit status
 * is the engine's: 2 when the options are refused, 3 when no JACK server answered. The token goes to it in its
 * environment, out of sight of other users' process lists.
 * <p>
 * Threads: the main thread.
 */
@Command(name = "engine", mixinStandardHelpOptions = true, description = "Run the engine alone, listening on the"
        + " network for a desk to drive it (desk --engine HOST:PORT).")
final class ListenCommand implements Callable<Integer> {
    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Where to listen, e.g."
            + " 0.0.0.0:7770 (every address: needs TLS) or 127.0.0.1:7770.")
    String listen;

    @ParentCommand
    Main main;

    @Option(names = "--identity", paramLabel = "DIR", description = "Where the engine keeps its TLS key and"
            + " certificate (made the first time; default: ~/.config/desk/engine).")
    Path identity;

    /**
     * Runs the engine with --listen and --identity, and from the desk's options --token (at least
     * {@value EngineListener#MIN_TOKEN_CHARS} characters; default DESK_ENGINE_TOKEN, else one is made and
     * printed), --no-tls and --jack-server; refuses those that drive an engine rather than run one.
     */
    @Override
    public Integer call() throws Exception {
        if (main.engine != null || main.fingerprint != null || main.takeOver || main.backend != null) {
            throw new IllegalArgumentException("desk engine runs an engine on JACK: --engine, --fingerprint,"
                    + " --take-over and --backend are for the desk that drives one");
        }
        String token = main.token;
        String jackServer = main.jackServer;
        List<String> options = new ArrayList<>(List.of("--listen", listen));
        if (main.noTls) {
            options.add("--no-tls");
        }
        if (identity != null) {
            options.addAll(List.of("--identity", identity.toString()));
        }
        if (jackServer != null) {
            options.addAll(List.of("--jack-server", jackServer));
        }
        EngineListener.check(options, token);
        Path crashes = Path.of(System.getProperty("java.io.tmpdir"), "desk-engine-crash-%p.log");
        ProcessBuilder builder = new ProcessBuilder(EngineListener.command(options, crashes)).inheritIO();
        if (token != null) {
            builder.environment().put("DESK_ENGINE_TOKEN", token);
        }
        Process engine = builder.start();
        try {
            return engine.waitFor();
        } finally {
            engine.destroy();
        }
    }
}
