package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import desk.engine.Engine;
import desk.engine.LocalEngineLink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The ways a session document gets into a session, each through a {@link SessionOpener}: opening a session
 * folder (its file, or the copy of unsaved changes), checking a document whole in a scratch session first,
 * building a checked one (with what a session taken up needs done first and last), a copy of the session
 * for rendering apart from the desk, and applying parts of a document (undo, redo, a scene).
 * <p>
 * Threads: the session's control thread.
 */
final class SessionOpening {
    private SessionOpening() {
    }

    /** An opener that applies parts of {@code root} to {@code session} as {@code label} (undo, redo, a scene). */
    static SessionOpener applying(Session session, JsonNode root, String label) {
        Path folder = session.recorder().folder();
        return new SessionOpener(session, new SessionJson.Parsed(root, () -> { throw new IOException("no text: the document was made, not read"); }), label,
                folder == null ? Path.of("").toAbsolutePath() : folder, false, true);
    }

    /**
     * Opens {@code folder}'s session file into {@code session}, which must have no tracks or buses; a folder
     * without one leaves the session empty. {@code missingOffline}: leave out media whose files are missing.
     */
    static void open(Session session, Path folder, boolean missingOffline, boolean recover) {
        Path saved = folder.resolve(SessionOpener.FILE);
        Path copy = folder.resolve(SessionAutosave.FILE);
        if (recover && !Files.isRegularFile(copy)) {
            throw new DeskException(copy + ": there are no unsaved changes to recover in " + folder);
        }
        if (!recover && Files.isRegularFile(copy) && SessionAutosave.newer(copy, saved)) {
            session.notice(folder + ": unsaved changes from " + SessionAutosave.modified(copy) + " are kept in " + SessionAutosave.FILE
                    + "; --recover opens them (saving what is open now discards them)");
        }
        Path file = recover ? copy : saved;
        String label = file.toString();
        if (!Files.exists(file)) {
            return;
        }
        if (!session.tracks().isEmpty() || !session.buses().isEmpty()) {
            throw new DeskException(label + ": a session opens into an empty desk; this one has tracks or buses");
        }
        SessionJson.Parsed parsed = SessionJson.parse(file, label, session.sampleRate());
        check(session, parsed, label, folder, missingOffline);
        session.nodeParts().clear();
        new SessionOpener(session, parsed, label, folder, false, missingOffline).build();
    }

    static Set<String> partKeys(Session session) {
        Set<String> keys = new java.util.HashSet<>();
        session.parts().forEach(part -> keys.add(part.key()));
        return keys;
    }

    /**
     * A new session in an engine of its own that holds what {@code session} holds now (everything the session
     * file keeps: not scripts' functions, nor live inputs, which are silent there), for rendering apart from the
     * desk: a bounce or a freeze. Its files are {@code session}'s; the caller closes its engine.
     */
    static Session copyOf(Session session) {
        Path folder = session.recorder().folder();
        Path base = folder == null ? Path.of("").toAbsolutePath() : folder;
        session.refreshPluginStates();
        JsonNode root = SessionDocument.known(session, base);
        Session copy = new Session(new LocalEngineLink(new Engine(session.sampleRate(), 0)));
        SessionOpener opener = new SessionOpener(copy, new SessionJson.Parsed(root, () -> {
            throw new IOException("no text: the document was made, not read");
        }), "a copy of the session", base, false, true);
        opener.partKeys = partKeys(session);
        opener.build();
        return copy;
    }

    /**
     * Checks {@code parsed} whole by building it into a scratch session (an offline engine at the same rate), as
     * it would go into {@code session}; {@code missingOffline}: media whose files are missing are left out.
     */
    static void check(Session session, SessionJson.Parsed parsed, String label, Path folder, boolean missingOffline) {
        Session trial = new Session(new LocalEngineLink(new Engine(session.sampleRate(), 0)));
        trial.recorder().folder(folder);
        SessionOpener check = new SessionOpener(trial, parsed, label, folder, true, missingOffline);
        check.partKeys = partKeys(session);
        check.build();
    }

    /**
     * Builds {@code parsed}, checked already, into {@code session}, between {@code first} and {@code last} under
     * the same hold of updates; media that went missing since is left offline.
     */
    static void build(Session session, SessionJson.Parsed parsed, String label, Path folder, Runnable first,
                      Runnable last) {
        SessionOpener opener = new SessionOpener(session, parsed, label, folder, false, true);
        opener.first = first;
        opener.last = last;
        opener.build();
    }

}
