package desk.engine.backend;

import desk.engine.EngineException;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackStatus;

import java.lang.reflect.Field;
import java.util.EnumSet;

/**
 * Opening clients on a JACK server: libjack through JNAJack, quiet (its last message kept for reports),
 * aimed at a named server; clients that never start a server; the native handle JNAJack keeps to itself;
 * and a listening client that counts the server's own xruns.
 * <p>
 * Threads: any control thread; never the audio thread.
 */
public final class JackClients {
    private static final JackNative.MessageHandler QUIET = message -> lastMessage = message;
    private static volatile String lastMessage;

    private JackClients() {
    }

    /** The last message libjack printed (an error or information line), or null. */
    static String lastMessage() {
        return lastMessage;
    }

    /**
     * The xruns the JACK server {@code serverName} (null: the default) has in {@code millis} ms with no Desk
     * client processing: a client that only listens for xruns, for a baseline.
     */
    public static long baselineXruns(String serverName, long millis) throws InterruptedException {
        JackClient client = openClient(library(serverName), JackBackend.DEFAULT_CLIENT_NAME + "-baseline",
                JackPresence.serverLabel(serverName));
        long[] count = {0};
        try {
            client.setXrunCallback(c -> count[0]++);
            client.activate();
        } catch (JackException e) {
            throw new EngineException("JACK: cannot open a client to count the server's own xruns");
        }
        try {
            Thread.sleep(millis);
        } finally {
            client.deactivate();
            client.close();
        }
        return count[0];
    }

    /** libjack through JNAJack, quiet, aimed at {@code serverName} (null: the default server). */
    static Jack library(String serverName) {
        try {
            JackNative.jack_set_error_function(QUIET);
            JackNative.jack_set_info_function(QUIET);
            if (serverName != null) {
                JackNative.setEnvironment("JACK_DEFAULT_SERVER", serverName);
            }
            return Jack.getInstance();
        } catch (UnsatisfiedLinkError | JackException e) {
            throw new EngineException("JACK is not installed here (libjack not found): install jackd2");
        }
    }

    static JackClient openClient(Jack jack, String clientName, String server) {
        EnumSet<JackStatus> status = EnumSet.noneOf(JackStatus.class);
        try {
            return jack.openClient(clientName, EnumSet.of(JackOptions.JackNoStartServer), status);
        } catch (JackException e) {
            throw new EngineException(JackPresence.noServerRunning(server)
                    + (status.contains(JackStatus.JackServerFailed) || status.isEmpty() ? ""
                    : " (" + status + ")"));
        }
    }

    /** The libjack client handle behind a JNAJack client, which JNAJack keeps to itself. */
    static long nativeClient(JackClient client) throws JackException {
        try {
            Field field = JackClient.class.getDeclaredField("clientPtr");
            field.setAccessible(true);
            com.sun.jna.PointerType handle = (com.sun.jna.PointerType) field.get(client);
            return com.sun.jna.Pointer.nativeValue(handle.getPointer());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new JackException("this JNAJack version hides its client handle", e);
        }
    }
}
