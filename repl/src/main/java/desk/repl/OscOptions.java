package desk.repl;

import desk.control.OscSurface;
import desk.script.ScriptHost;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The REPL's OSC server options: {@code --osc [PORT]} starts it, {@code --osc-bind ADDR} chooses where it
 * listens (127.0.0.1 unless given) and {@code --osc-token TOKEN} the token every message must carry; a bind
 * other machines reach without {@code --osc-token} gets a token made and printed.
 * <p>
 * Threads: set by picocli on the main thread; used there.
 */
final class OscOptions {
    @Option(names = "--osc", arity = "0..1", paramLabel = "PORT", fallbackValue = "" + OscSurface.DEFAULT_PORT,
            description = "Listen for OSC control surfaces on PORT (default " + OscSurface.DEFAULT_PORT + "), on"
                    + " 127.0.0.1 unless --osc-bind says otherwise.")
    Integer port;

    @Option(names = "--osc-bind", paramLabel = "ADDR", description = "With --osc: the address to listen on"
            + " (default 127.0.0.1). One other machines reach needs a token: --osc-token, or one is made and printed.")
    String bind;

    @Option(names = "--osc-token", paramLabel = "TOKEN", description = "With --osc: every message must carry TOKEN"
            + " as its first argument.")
    String token;

    /** Starts the OSC server of {@code host} when asked, and says where in one line on {@code out}. */
    void start(ScriptHost host, PrintStream out) {
        if (port == null) {
            if (bind != null || token != null) {
                throw new IllegalArgumentException("--osc-bind and --osc-token go with --osc");
            }
            return;
        }
        String address = bind == null ? "127.0.0.1" : bind;
        String chosen = token;
        boolean made = false;
        if (chosen == null && !loopback(address)) {
            chosen = OscSurface.newToken();
            made = true;
        }
        InetSocketAddress bound = host.osc().listen(address, port, chosen);
        out.println("OSC on " + OscSurface.describe(bound) + (made ? ", token " + chosen + " (every message carries"
                + " it first)" : chosen != null ? ", with a token" : ""));
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--osc-bind " + address + ": no such host");
        }
    }
}
