package desk.session;

import desk.engine.EngineLink;
import desk.engine.lv2.Lv2Plugin;
import desk.engine.lv2.Lv2World;

import java.util.ArrayList;
import java.util.List;

/**
 * What a session does when a plugin's native code took the engine process down (see
 * {@link EngineLink#lostInsideInsert}): that insert goes out of the chain for good, marked failed, so that the
 * replay into the fresh engine goes on without it, and one line says which plugin it was.
 * <p>
 * Threads: the session's control thread, as the replay begins.
 */
final class PluginFailure {
    private PluginFailure() {
    }

    /** Takes insert {@code insertId} of {@code session} out, if there is one (0: none). */
    static void takeOut(Session session, int insertId) {
        if (insertId == 0) {
            return;
        }
        List<Strip> strips = new ArrayList<>(session.tracks());
        strips.addAll(session.buses());
        strips.add(session.master());
        for (Strip strip : strips) {
            for (Insert insert : strip.inserts()) {
                if (insert.id == insertId && insert.failed() == null) {
                    String name = name(insert, session.sampleRate());
                    insert.fail("the engine process stopped inside " + name);
                    session.notice(insert + ": the engine process stopped inside this plugin (" + name + "), so the"
                            + " session came back without it: it is out of the chain, marked failed (.failed);"
                            + " remove() it, or insert it again to try once more");
                    return;
                }
            }
        }
    }

    private static String name(Insert insert, int sampleRate) {
        if (!insert.type().startsWith(Lv2Plugin.PREFIX)) {
            return insert.type();
        }
        Lv2Plugin plugin = Lv2World.get().find(insert.type().substring(Lv2Plugin.PREFIX.length()), sampleRate);
        return plugin == null ? insert.type() : plugin.name();
    }
}
