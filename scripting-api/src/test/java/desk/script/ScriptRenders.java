package desk.script;

import desk.engine.Engine;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.session.Session;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Offline renders of a session a script built, on its host's control thread, for the script tests. */
final class ScriptRenders {
    private ScriptRenders() {
    }

    /**
     * Starts the transport and renders {@code frames} frames of the master in {@code blocks}, the session taking
     * its turn before each block as live; returns the left channel.
     */
    static float[] left(ScriptHost host, Engine engine, Session session, int frames, BlockSizes blocks) {
        float[] left = new float[frames];
        int[] at = {0};
        host.control(() -> {
            try {
                session.play();
                new OfflineRenderer(engine).render(frames, blocks, (master, count) -> {
                    System.arraycopy(master[0], 0, left, at[0], count);
                    at[0] += count;
                }, horizon -> session.tick(horizon));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return left;
    }
}
