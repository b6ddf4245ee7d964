package desk.engine.server;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The command that starts an engine process ({@link EngineServer}): this JVM's java, the serial collector and
 * a modest heap, only the engine module and its libraries on the class path (the engine runs no scripts),
 * in a session of its own where setsid(1) is found (away from the terminal's Ctrl-C and Ctrl-Z), told this
 * process's id so that it ends with it. Extra JVM options come from the caller and from
 * {@code DESK_ENGINE_JAVA_OPTS}.
 * <p>
 * Threads: any thread; immutable.
 */
final class EngineCommandLine {
    /**
     * JVM options of the engine process: the serial collector and a modest heap. Its audio thread allocates
     * nothing and its steady requests make no garbage, so the heap grows only with the session, and a young
     * generation of 6 MB fills only while a session is built (a larger one is all resident once it has filled);
     * touching all of a large heap up front would only cost memory and half a second at every start. No core
     * dump if a plugin crashes it: its crash report goes beside its socket.
     */
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms48m", "-Xmn6m", "-Xmx192m",
            "--enable-native-access=ALL-UNNAMED", "-XX:-CreateCoredumpOnCrash");
    /** The engine module and its libraries (Jackson, JNA, JNAJack). */
    private static final String CLASS_PATH = classPathOf(EngineServer.class,
            com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
            com.fasterxml.jackson.annotation.JsonAutoDetect.class, com.sun.jna.Native.class,
            org.jaudiolibs.jnajack.Jack.class);
    /** setsid(1), or null where it is missing (the engine then only ignores SIGINT). */
    private static final Path SETSID = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "setsid")).filter(Files::isExecutable)
            .findFirst().orElse(null);

    private final String jackServer;
    private final String clientName;
    private final List<String> jvmOptions;

    /** Engine processes on {@code jackServer} (null: the default) as client {@code clientName}. */
    EngineCommandLine(String jackServer, String clientName, List<String> jvmOptions) {
        this.jackServer = jackServer;
        this.clientName = clientName;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The command of one engine process that connects to {@code socket}; with {@code wait}, it waits for the server. */
    List<String> command(Path socket, boolean wait) {
        List<String> command = java(socket.resolveSibling("crash-%p.log"), jvmOptions);
        command.addAll(List.of("-cp", CLASS_PATH, EngineServer.class.getName(), "--socket", socket.toString(),
                "--client", clientName, "--parent", Long.toString(ProcessHandle.current().pid())));
        if (jackServer != null) {
            command.addAll(List.of("--jack-server", jackServer));
        }
        if (wait) {
            command.add("--wait");
        }
        return command;
    }

    /**
     * The command of an engine that listens on the network ({@link EngineListener}) with {@code options}, ending
     * with this process; a crash report goes to {@code errorFile}.
     */
    static List<String> listening(List<String> options, Path errorFile) {
        List<String> command = java(errorFile, List.of());
        command.addAll(List.of("-cp", CLASS_PATH, EngineListener.class.getName()));
        command.addAll(options);
        command.addAll(List.of("--parent", Long.toString(ProcessHandle.current().pid())));
        return command;
    }

    /** setsid where found, this JVM's java, the engine's JVM options, {@code extra} and those of the environment. */
    private static List<String> java(Path errorFile, List<String> extra) {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID.toString());
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_OPTIONS);
        command.add("-XX:ErrorFile=" + errorFile);
        command.addAll(extra);
        String environment = System.getenv("DESK_ENGINE_JAVA_OPTS");
        if (environment != null && !environment.isBlank()) {
            command.addAll(Arrays.asList(environment.strip().split("\\s+")));
        }
        return command;
    }

    /**
     * The class path entries (jars or folders) the given classes load from, or this JVM's whole class path
     * when one cannot be told.
     */
    private static String classPathOf(Class<?>... classes) {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : classes) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return System.getProperty("java.class.path");
            }
            try {
                entries.add(Path.of(source.getLocation().toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                return System.getProperty("java.class.path");
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
