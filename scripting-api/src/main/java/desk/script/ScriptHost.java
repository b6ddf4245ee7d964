package desk.script;

import desk.control.MidiSurface;
import desk.control.OscSurface;
import desk.session.CallbackFailure;
import desk.session.Session;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The polyglot host: JavaScript and Python contexts over one session, sandboxed (only the Desk API is
 * visible: no host classes, files, processes, threads or environment unless allowed), with all script code
 * run on one script thread. The languages may be started ahead, before the session exists
 * ({@link ScriptLanguages}); otherwise JavaScript starts on that thread as soon as the host exists. Python
 * starts in the background when started ahead, on first use or when {@link #warmUpPython()} is called, and
 * nothing JavaScript does waits for it.
 * <p>
 * Threads: any thread may submit work; evaluation happens on the script thread; {@link #interrupt()} from
 * any other thread stops a running evaluation and leaves the contexts usable.
 */
public final class ScriptHost implements AutoCloseable {
    /** How often the live control loop runs scheduled functions, ms. */
    public static final int CONTROL_PERIOD_MILLISECONDS = 5;
    /** How often the watchdog looks at the callback running now, ms. */
    private static final int WATCHDOG_PERIOD_MILLISECONDS = 5;
    private final Session session;
    private final ScriptLanguages languages;
    private final ExecutorService scriptThread;
    private final Map<Language, CompletableFuture<Context>> contexts = new EnumMap<>(Language.class);
    private final ApiRegistry registry;
    private final OscSurface osc;
    private final MidiSurface midi;
    private final ScheduledExecutorService watchdog;
    private volatile Language running;

    /**
     * A host over {@code session}; script output goes to {@code out} and {@code err}, and so do the session's
     * notices ({@link Session#onNotice}), to {@code err}. With {@code allowIo}, scripts may read and write files
     * inside {@code workingFolder}.
     */
    public ScriptHost(Session session, Path workingFolder, boolean allowIo, OutputStream out, OutputStream err) {
        this(session, ScriptLanguages.start(workingFolder, allowIo, out, err, false));
    }

    /**
     * A host over {@code session} taking over {@code languages}, started ahead (the working folder, file access
     * and output streams are theirs); closing the host closes them.
     */
    public ScriptHost(Session session, ScriptLanguages languages) {
        this.session = session;
        this.languages = languages;
        java.io.PrintStream notices = new java.io.PrintStream(languages.err(), true, StandardCharsets.UTF_8);
        session.onNotice(notices::println);
        this.scriptThread = languages.scriptThread();
        this.osc = new OscSurface(session, this::post, session::notice, java.time.Clock.systemUTC(), languages.allowIo());
        this.midi = new MidiSurface(session, session::notice);
        this.registry = DeskApi.registry(session, languages.workingFolder(), osc, midi);
        context(Language.JS);
        if (languages.waiting(Language.PYTHON)) {
            context(Language.PYTHON);
        }
        this.watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "desk-callback-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.scheduleWithFixedDelay(() -> {
            if (session.callbackBudget().overran()) {
                interruptAll();
            }
        }, WATCHDOG_PERIOD_MILLISECONDS, WATCHDOG_PERIOD_MILLISECONDS, TimeUnit.MILLISECONDS);
    }

    /** The session scripts drive. */
    public Session session() {
        return session;
    }

    /** The OSC server of {@code session.osc}. */
    public OscSurface osc() {
        return osc;
    }

    /** The MIDI side of {@code session.midi}. */
    public MidiSurface midi() {
        return midi;
    }

    /**
     * Runs {@code task} on the script thread later, without waiting: a failure becomes a notice, and a task
     * posted after the host closed is dropped. Any thread.
     */
    public void post(Runnable task) {
        try {
            scriptThread.execute(() -> {
                try {
                    runControl(task);
                } catch (RuntimeException failure) {
                    session.notice(failure.getMessage() == null ? failure.toString() : failure.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // The host is closing: nothing runs on its thread any more.
        }
    }

    /** The API registry (for completion and help). */
    public ApiRegistry registry() {
        return registry;
    }

    /** Creates the JavaScript context now (on the script thread) and returns once it is ready. */
    public void startJavaScript() {
        await(context(Language.JS));
    }

    /** Starts Python in the background if it has not started; returns at once. */
    public CompletableFuture<Context> warmUpPython() {
        return context(Language.PYTHON);
    }

    /** True once {@code language}'s context is ready. */
    public boolean isReady(Language language) {
        CompletableFuture<Context> context;
        synchronized (contexts) {
            context = contexts.get(language);
        }
        return context != null && context.isDone() && !context.isCompletedExceptionally();
    }

    /**
     * Evaluates {@code code} in {@code language} on the script thread and returns what {@code render} makes
     * of the result there. Script failures arrive as {@link ScriptException}s with a one-line message.
     */
    public <R> R evaluate(Language language, String code, String sourceName, java.util.function.Function<Value, R> render) {
        return evaluate(language, code, sourceName, 1, render);
    }

    /**
     * As {@link #evaluate(Language, String, String, java.util.function.Function)} for code that starts on line
     * {@code firstLine} of {@code sourceName} (a statement read from a pipe), so that errors, {@code expect}
     * names and failing callbacks give the line in that source.
     */
    public <R> R evaluate(Language language, String code, String sourceName, int firstLine,
                          java.util.function.Function<Value, R> render) {
        String placed = "\n".repeat(Math.max(0, firstLine - 1)) + code;
        Context context = await(context(language));
        return onScriptThread(() -> {
            running = language;
            // Changes made since the last group (from a control surface) stay apart from this line's.
            session.checkpoint();
            try {
                Source source = Source.newBuilder(language.id(), placed, sourceName).interactive(false).buildLiteral();
                return render.apply(context.eval(source));
            } catch (PolyglotException failure) {
                if (failure.isExit()) {
                    throw new ScriptException("exit " + failure.getExitStatus(), failure, failure.getExitStatus());
                }
                throw new ScriptException(ScriptError.oneLine(failure, sourceName, placed), failure);
            } finally {
                running = null;
                Thread.interrupted();
                session.checkpoint();
            }
        });
    }

    /** Runs a script file. */
    public void run(Path file) {
        Language language = Language.ofFile(file);
        if (language == null) {
            throw new ScriptException("script " + file + ": the name must end in .js or .py", null);
        }
        String code;
        try {
            code = java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScriptException("script " + file + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "file not found" : e.getMessage()), null);
        }
        evaluate(language, code, file.getFileName().toString(), value -> null);
    }

    /**
     * Runs {@code task} (which may call into scripts, e.g. scheduled functions) on the script thread and waits
     * for it; a script failure inside becomes a {@link ScriptException} with one line.
     */
    public void control(Runnable task) {
        onScriptThread(() -> {
            runControl(task);
            return null;
        });
    }

    /**
     * Runs {@code task} here, on the script thread, turning script failures into one-line exceptions. A
     * script stopped by an interrupt may leave the thread's interrupt flag set; it is cleared after, so that
     * the next task's waits and file reads are not cut short.
     */
    private static void runControl(Runnable task) {
        try {
            task.run();
        } catch (CallbackFailure failure) {
            if (failure.getCause() instanceof PolyglotException script && script.isExit()) {
                throw new ScriptException("exit " + script.getExitStatus(), script, script.getExitStatus());
            }
            throw new ScriptException(ScriptError.oneLine(failure), failure);
        } catch (PolyglotException failure) {
            if (failure.isExit()) {
                throw new ScriptException("exit " + failure.getExitStatus(), failure, failure.getExitStatus());
            }
            throw new ScriptException(ScriptError.oneLine(failure), failure);
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * Starts the live control loop: every {@value #CONTROL_PERIOD_MILLISECONDS} ms it runs, on the script
     * thread, the session's scheduled functions due within {@code lookaheadSamples} of the engine's
     * position. A failing function is reported through {@code failures} (one line) and the loop goes on. A
     * tick waits while the script thread is busy (a long evaluation delays scheduled functions; their changes
     * then land late). Closing the returned handle stops the loop.
     */
    public AutoCloseable startControlLoop(long lookaheadSamples, java.util.function.Consumer<String> failures) {
        java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "desk-control");
            thread.setDaemon(true);
            return thread;
        });
        java.util.concurrent.atomic.AtomicBoolean queued = new java.util.concurrent.atomic.AtomicBoolean();
        timer.scheduleAtFixedRate(() -> {
            if (!queued.compareAndSet(false, true)) {
                return;
            }
            scriptThread.execute(() -> {
                try {
                    runControl(() -> session.tickAhead(lookaheadSamples));
                } catch (ScriptException failure) {
                    failures.accept(failure.getMessage());
                } catch (RuntimeException failure) {
                    failures.accept(failure.getMessage() == null ? failure.toString() : failure.getMessage());
                } finally {
                    queued.set(false);
                }
            });
        }, CONTROL_PERIOD_MILLISECONDS, CONTROL_PERIOD_MILLISECONDS, java.util.concurrent.TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** True when {@code code} is an incomplete statement in {@code language} (the REPL then asks for more). */
    public boolean isIncomplete(Language language, String code) {
        Context context = await(context(language));
        return onScriptThread(() -> {
            try {
                context.parse(Source.newBuilder(language.id(), code, "<input>").interactive(true).buildLiteral());
                return false;
            } catch (PolyglotException failure) {
                return failure.isIncompleteSource();
            }
        });
    }

    /**
     * Stops the evaluation under way or, between evaluations, the scheduled function or watch callback
     * running now, leaving the contexts usable; any thread but the script thread. A context that does not
     * stop within 2 s, or refuses, is cancelled and a fresh one is made on next use.
     */
    public void interrupt() {
        Language language = running;
        if (language == null) {
            interruptAll();
        } else {
            interrupt(language);
        }
    }

    /** Stops whatever runs in either language (a callback may be either). */
    private void interruptAll() {
        for (Language language : Language.values()) {
            interrupt(language);
        }
    }

    private void interrupt(Language language) {
        CompletableFuture<Context> pending;
        synchronized (contexts) {
            pending = contexts.get(language);
        }
        Context context = pending == null ? null : pending.getNow(null);
        if (context == null) {
            return;
        }
        try {
            context.interrupt(Duration.ofSeconds(2));
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            synchronized (contexts) {
                contexts.remove(language, pending);
            }
            context.close(true);
        }
    }

    /**
     * The context of {@code language} with the Desk API in it: the one started ahead, or a new one, made ready
     * on the thread it was started on (JavaScript's on the script thread).
     */
    private CompletableFuture<Context> context(Language language) {
        synchronized (contexts) {
            return contexts.computeIfAbsent(language, key -> languages.take(key).thenApplyAsync(
                    context -> withApi(context, key),
                    key == Language.JS ? scriptThread : Executors.newVirtualThreadPerTaskExecutor()));
        }
    }

    /** Puts the session and the language's prelude into {@code context}. */
    private Context withApi(Context context, Language language) {
        Object api = registry.toScript(session);
        if (language == Language.PYTHON) {
            Value prelude = context.eval(Source.newBuilder("python", prelude("prelude.py"), "<desk>").internal(true).buildLiteral());
            prelude.execute(api);
        } else {
            context.getBindings(language.id()).putMember("session", api);
            Value prelude = context.eval(Source.newBuilder("js", prelude("prelude.js"), "<desk>").internal(true)
                    .buildLiteral());
            prelude.execute(api);
        }
        return context;
    }

    private static String prelude(String name) {
        try (InputStream stream = ScriptHost.class.getResourceAsStream(name)) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <R> R onScriptThread(Callable<R> task) {
        Future<R> future = scriptThread.submit(task);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupt();
            throw new ScriptException("interrupted", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ScriptException(e.getCause().toString(), e.getCause());
        }
    }

    private static Context await(CompletableFuture<Context> context) {
        try {
            return context.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScriptException("interrupted while starting the language", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof PolyglotException failure ? ScriptError.oneLine(failure, "<desk>", "") : String.valueOf(cause);
            throw new ScriptException("the language failed to start: " + message, cause);
        }
    }

    @Override
    public void close() {
        osc.close();
        midi.close();
        watchdog.shutdownNow();
        synchronized (contexts) {
            for (CompletableFuture<Context> context : contexts.values()) {
                Context ready = context.getNow(null);
                if (ready != null) {
                    ready.close(true);
                }
            }
        }
        languages.close();
    }
}
