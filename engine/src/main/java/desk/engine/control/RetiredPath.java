package desk.engine.control;

import desk.engine.rt.Connection;

/**
 * A path fading out, kept in the plan until engine time {@code until}.
 * <p>
 * Threads: the control thread only.
 */
record RetiredPath(Connection connection, long until) {
}
