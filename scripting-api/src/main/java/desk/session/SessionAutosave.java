package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import desk.engine.EngineCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What the session has not saved, kept safe: it counts the edits (every command that changes what a session
 * file holds; not the transport, meter resets or takes), says whether there are unsaved ones, and while
 * there are, writes the session into {@code session.autosave.json} in the session folder, at most a quarter
 * of a second after an edit, so that a desk killed outright loses at most the last second. Saving removes the
 * copy; opening a folder whose copy is newer than its file says so, and {@code --recover} opens the copy.
 * <p>
 * Threads: the session's control thread makes the document (a tree nothing changes afterwards); a thread of
 * its own writes it.
 */
final class SessionAutosave {
    /** The copy's name in the session folder. */
    static final String FILE = "session.autosave.json";
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Session session;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "desk-autosave");
        thread.setDaemon(true);
        return thread;
    });
    private long edits;
    private long savedEdits;
    private long copiedEdits;
    private long copiedAt = System.nanoTime() - INTERVAL_NANOS;
    private long keptEdits = -1;
    private long keptAt = System.nanoTime() - INTERVAL_NANOS;

    SessionAutosave(Session session) {
        this.session = session;
    }

    /** Counts {@code command} if it changes what a session file holds. */
    void sent(EngineCommand command) {
        EngineCommand inner = command instanceof EngineCommand.At at ? at.command() : command;
        if (!(inner instanceof EngineCommand.SetTransport || inner instanceof EngineCommand.Locate
                || inner instanceof EngineCommand.ResetMeters || inner instanceof EngineCommand.ResetMetersAfterTrim
                || inner instanceof EngineCommand.StartTake || inner instanceof EngineCommand.StopTake
                || inner instanceof EngineCommand.HoldUpdates)) {
            edits++;
        }
    }

    /** Counts an edit that sends no command (a setting kept by the session alone). */
    void edited() {
        edits++;
    }

    /** Edits counted so far. */
    long edits() {
        return edits;
    }

    /** Whether there are edits since the session was last saved or opened. */
    boolean unsaved() {
        return edits != savedEdits;
    }

    /** The session was saved: the copy goes. */
    void saved(Path folder) {
        savedEdits = edits;
        copiedEdits = edits;
        Path copy = folder.resolve(FILE);
        writer.execute(() -> {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                session.notice(copy + ": cannot be removed (" + e.getMessage() + ")");
            }
        });
    }

    /**
     * The session was opened, from its file or, {@code recovered}, from the copy (then it stays unsaved); a copy
     * left there stays until the next edit replaces it or a save removes it.
     */
    void opened(boolean recovered) {
        savedEdits = recovered ? -1 : edits;
        copiedEdits = edits;
    }

    /**
     * The control loop's turn: writes the copy if there are edits it lacks and the last one was long enough ago;
     * the same for the state left with an engine that keeps one.
     */
    void tick() {
        Path folder = session.recorder().folder();
        long now = System.nanoTime();
        if (session.link().keepsSession() && edits != keptEdits && now - keptAt >= INTERVAL_NANOS) {
            keptEdits = edits;
            keptAt = now;
            session.link().keepSession(KeptSessions.of(session));
        }
        if (folder == null || !unsaved() || edits == copiedEdits || now - copiedAt < INTERVAL_NANOS) {
            return;
        }
        copiedEdits = edits;
        copiedAt = now;
        JsonNode document = SessionDocument.known(session, folder);
        Path copy = folder.resolve(FILE);
        writer.execute(() -> {
            try {
                AtomicFile.write(copy, document, false);
            } catch (IOException e) {
                session.notice(copy + ": the copy of unsaved changes cannot be written (" + e.getMessage() + ")");
            }
        });
    }

    /** Waits until the copies asked for are written. */
    void flush() {
        try {
            writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            session.notice("the copy of unsaved changes is not written yet (" + e.getMessage() + ")");
        }
    }

    /** Whether the copy of unsaved changes {@code copy} is newer than the saved file {@code saved} (or it is missing). */
    static boolean newer(Path copy, Path saved) {
        try {
            return !Files.exists(saved) || Files.getLastModifiedTime(copy).compareTo(Files.getLastModifiedTime(saved)) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** When {@code file} was last written, in words, for a notice. */
    static String modified(Path file) {
        try {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(java.time.LocalDateTime
                    .ofInstant(Files.getLastModifiedTime(file).toInstant(), java.time.ZoneId.systemDefault()));
        } catch (IOException e) {
            return "an earlier run";
        }
    }
}
