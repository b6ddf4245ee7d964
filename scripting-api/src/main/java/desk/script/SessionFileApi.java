package desk.script;

import desk.session.DeskException;
import desk.session.Session;
import org.graalvm.polyglot.Value;

import java.nio.file.Path;
import java.util.Set;

/**
 * The part of the script API that deals with the session as a document: saving and opening it, undo and redo
 * with the history of changes, and scenes stored and recalled.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class SessionFileApi {
    private SessionFileApi() {
    }

    /** Adds these members to the session type. */
    static ApiType<Session> sessionMembers(ApiType<Session> type, Path folder) {
        return type
                .method("save", "save()", "Saves the session into session.json in the session folder, atomically"
                        + " (the previous version kept as session.json.bak); returns the file's path.", Set.of(),
                        (s, a) -> {
                        a.check(0, Set.of());
                        return s.save().toString();
                    })
                .method("saveAs", "saveAs(folder)", "Makes folder (inside the working folder; made if missing) the"
                        + " session folder, where takes go from now on, and saves there; returns the file's path.",
                        Set.of(), (s, a) -> {
                        a.check(1, Set.of());
                        String path = Convert.text(a.required(0, "a folder"), a.method() + " folder");
                        return s.saveAs(DeskApi.insideFolder(folder, path, a.method())).toString();
                    })
                .method("open", "open(folder, {missingMedia, recover})", "Opens the session saved in folder (inside"
                        + " the working folder) into this one, which must have no tracks or buses yet; missingMedia:"
                        + " \"refuse\" (default) or \"offline\" (clips and files whose files are missing are left out,"
                        + " each with a notice); recover: true opens the unsaved changes Desk kept there instead.",
                        Set.of("missingMedia", "recover"), (s, a) -> {
                        a.check(1, Set.of("missingMedia", "recover"));
                        Value recover = a.option("recover");
                        String path = Convert.text(a.required(0, "a folder"), a.method() + " folder");
                        Value missing = a.option("missingMedia");
                        String mode = missing == null ? "refuse" : Convert.text(missing, a.method() + " missingMedia");
                        if (!mode.equals("refuse") && !mode.equals("offline")) {
                            throw new DeskException(a.method() + " missingMedia \"" + mode
                                    + "\": must be \"refuse\" or \"offline\"");
                        }
                        s.open(DeskApi.insideFolder(folder, path, a.method()), mode.equals("offline"),
                                recover != null && Convert.bool(recover, a.method() + " recover"));
                        return ApiType.NOTHING;
                    })
                .property("unsaved", "Whether there are edits since the session was last saved or opened.",
                        Session::unsaved)
                .method("undo", "undo()", "Takes the last change group back (a REPL line, a script, a scheduled"
                        + " function), click-free while playing; returns what it changed, in words.", Set.of(),
                        (s, a) -> {
                        a.check(0, Set.of());
                        return s.undo();
                    })
                .method("redo", "redo()", "Makes the last change group undone again; returns what it changed, in"
                        + " words.", Set.of(), (s, a) -> {
                        a.check(0, Set.of());
                        return s.redo();
                    })
                .property("history", "The change groups undo would take back, the latest last, in words (at most"
                        + " 100).", Session::history)
                .method("scene", "scene(name, {only, strips})", "Stores the mixer as a scene: trim, fader, pan or"
                        + " balance, mute, send levels and insert parameters of every strip; only: a list of those"
                        + " kinds (\"trim\", \"fader\", \"pan\", \"balance\", \"mute\", \"sends\", \"inserts\"), strips:"
                        + " a list of strip names.", Set.of("only", "strips"), (s, a) -> {
                        a.check(1, Set.of("only", "strips"));
                        String name = Convert.text(a.required(0, "a name"), a.method() + " name");
                        s.scene(name, Convert.texts(a.option("only"), a.method() + " only"),
                                Convert.texts(a.option("strips"), a.method() + " strips"));
                        return ApiType.NOTHING;
                    })
                .method("recall", "recall(name, {at, fade})", "Recalls a scene: now, or at a position (seconds,"
                        + " \"17:1:0\", \"next bar\") on its exact sample; fade (seconds, \"1 bar\") moves levels, pans"
                        + " and parameters there over that time (mutes switch).", Set.of("at", "fade"), (s, a) -> {
                        a.check(1, Set.of("at", "fade"));
                        String name = Convert.text(a.required(0, "a name"), a.method() + " name");
                        Value at = a.option("at");
                        Value fade = a.option("fade");
                        long samples = fade == null ? 0 : Math.round(s.tempo().length(
                                Convert.time(fade, a.method() + " fade"), a.method() + " fade"));
                        s.recall(name, at == null ? null : Convert.time(at, a.method() + " at"), samples);
                        return ApiType.NOTHING;
                    })
                .property("scenes", "The scenes' names, in the order they were stored.", Session::scenes);
    }
}
