package desk.session;

import desk.engine.EngineCommand;
import desk.engine.KeptSession;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The session's state left with an engine that outlives the desk (an engine on the network), and taken up by
 * the next desk: the session document, as a save would write it, with the engine ids the session made.
 * <p>
 * Threads: the session's control thread.
 */
final class KeptSessions {
    private static final String LABEL = "the session the engine kept";

    private KeptSessions() {
    }

    /** The document {@code session} leaves with the engine now: the session file a save would write. */
    static String of(Session session) {
        Path folder = session.recorder().folder();
        return SessionJson.format(SessionDocument.known(session, folder == null ? Path.of("").toAbsolutePath() : folder));
    }

    /**
     * Takes up {@code kept} into {@code session}, which must be empty: the document is checked whole in a
     * scratch session first (a refusal leaves the engine playing what it played), then, in one change of the
     * engine's plan, the session is built there with ids after those the desks before used, and what they
     * made is taken out (their ports, renamed out of the way first, go once the plan no longer uses them).
     * Without a document (the desk before went before it left one), what they made is taken out and the
     * session stays empty. A take the engine records is ended first, its files complete: the desk that started
     * it, which would have made its clips, is gone.
     */
    static void takeUp(Session session, KeptSession kept) {
        if (!session.tracks().isEmpty() || !session.buses().isEmpty()) {
            throw new DeskException(LABEL + " is taken up into an empty desk; this one has tracks or buses");
        }
        Path folder = session.recorder().folder();
        Path base = folder == null ? Path.of("").toAbsolutePath() : folder;
        if (session.link().disk().recording()) {
            session.execute(new EngineCommand.StopTake());
            session.notice("the take the engine was recording ended as this desk took up the session; its files"
                    + " are complete on the engine's machine");
        }
        if (kept.document() == null) {
            session.execute(new EngineCommand.HoldUpdates(true));
            try {
                session.link().putPortsAside(kept);
                session.link().takeOut(kept);
            } finally {
                session.execute(new EngineCommand.HoldUpdates(false));
            }
            session.link().releasePorts(kept);
            session.reserveIds(kept.nextId());
            session.notice("the engine played what a desk made and left no session for: taken out; the desk starts"
                    + " empty");
            return;
        }
        SessionJson.Parsed parsed = SessionJson.parse(kept.document().getBytes(StandardCharsets.UTF_8), LABEL,
                session.sampleRate());
        SessionOpening.check(session, parsed, LABEL, base, true);
        session.reserveIds(kept.nextId());
        SessionOpening.build(session, parsed, LABEL, base, () -> session.link().putPortsAside(kept),
                () -> session.link().takeOut(kept));
        session.link().releasePorts(kept);
    }
}
