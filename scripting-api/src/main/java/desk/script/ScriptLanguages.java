package desk.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The script languages started ahead of the session: one polyglot engine and, for each language, a sandboxed
 * context with the language's own start-up done (for Python its core library, most of its start), all on
 * threads of their own, so that they get going while the audio backend is being found. A {@link ScriptHost}
 * takes them over and puts the Desk API into each context as it first uses it.
 * <p>
 * Threads: any thread may start and close it; JavaScript's context is made on the script thread (where it is
 * used), Python's on a thread of its own.
 */
public final class ScriptLanguages implements AutoCloseable {
    private final Path workingFolder;
    private final boolean allowIo;
    private final OutputStream out;
    private final OutputStream err;
    private final ExecutorService scriptThread;
    private final CompletableFuture<Engine> engine;
    private final Map<Language, CompletableFuture<Context>> started = new EnumMap<>(Language.class);
    private final Set<Language> taken = EnumSet.noneOf(Language.class);
    private boolean closed;

    private ScriptLanguages(Path workingFolder, boolean allowIo, OutputStream out, OutputStream err) {
        this.workingFolder = workingFolder.toAbsolutePath().normalize();
        this.allowIo = allowIo;
        this.out = out;
        this.err = err;
        this.scriptThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "desk-script");
            thread.setDaemon(true);
            return thread;
        });
        this.engine = CompletableFuture.supplyAsync(() -> Engine.newBuilder()
                .option("engine.WarnInterpreterOnly", "false")
                .out(out).err(err)
                .build(), scriptThread);
    }

    /**
     * Starts the engine and JavaScript now, and Python once JavaScript has started when {@code python}.
     * Script output goes to {@code out} and {@code err}; with {@code allowIo}, scripts may read and write
     * files inside {@code workingFolder}.
     */
    public static ScriptLanguages start(Path workingFolder, boolean allowIo, OutputStream out, OutputStream err,
                                        boolean python) {
        ScriptLanguages languages = new ScriptLanguages(workingFolder, allowIo, out, err);
        languages.startIfIdle(Language.JS);
        if (python) {
            // After JavaScript rather than beside it: on two cores the two would slow JavaScript's start.
            languages.started.get(Language.JS).whenComplete((context, failure) -> languages.startAhead(Language.PYTHON));
        }
        return languages;
    }

    Path workingFolder() {
        return workingFolder;
    }

    boolean allowIo() {
        return allowIo;
    }

    OutputStream err() {
        return err;
    }

    ExecutorService scriptThread() {
        return scriptThread;
    }

    CompletableFuture<Engine> engine() {
        return engine;
    }

    /** True while a context of {@code language} started ahead waits to be handed over. */
    synchronized boolean waiting(Language language) {
        return started.containsKey(language);
    }

    /**
     * The context of {@code language} started ahead, handed over once; after that (or when none was started) a
     * new one, started now.
     */
    synchronized CompletableFuture<Context> take(Language language) {
        if (closed) {
            throw new ScriptException("the script languages are closed", null);
        }
        taken.add(language);
        startIfIdle(language);
        return started.remove(language);
    }

    /** Starts {@code language} ahead unless a host has asked for it already (and so started it itself). */
    private synchronized void startAhead(Language language) {
        if (!taken.contains(language)) {
            startIfIdle(language);
        }
    }

    private synchronized void startIfIdle(Language language) {
        if (closed || started.containsKey(language)) {
            return;
        }
        started.put(language, CompletableFuture.supplyAsync(() -> bare(language),
                language == Language.JS ? scriptThread : Executors.newVirtualThreadPerTaskExecutor()));
    }

    /** A sandboxed context of {@code language} with the language started in it, before any Desk code. */
    private Context bare(Language language) {
        Context.Builder builder = Context.newBuilder(language.id())
                .engine(engine.join())
                .allowHostAccess(HostAccess.EXPLICIT)
                .allowHostClassLookup(name -> false)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowIO(allowIo ? IOAccess.newBuilder()
                        .fileSystem(FileSystem.allowInternalResources(new FolderFileSystem(workingFolder))).build()
                        : IOAccess.NONE)
                .in(new ByteArrayInputStream(new byte[0]))
                .out(out)
                .err(err);
        if (allowIo) {
            builder.currentWorkingDirectory(workingFolder);
        }
        Context context = builder.build();
        context.initialize(language.id());
        return context;
    }

    /** Closes the contexts never handed over, then the engine (cancelling whatever still runs in it). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (CompletableFuture<Context> context : started.values()) {
                context.thenAccept(ready -> ready.close(true));
            }
            started.clear();
        }
        scriptThread.shutdownNow();
        Engine ready = engine.getNow(null);
        if (ready != null) {
            ready.close(true);
        }
    }
}
