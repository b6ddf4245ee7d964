package desk.engine;

/**
 * What an engine that outlives its desks (an engine on the network) hands the next desk, so that it takes the
 * session up where it is: the session document the desk before left, as JSON text (the session's own format;
 * the engine does not read it), or null when it left none; and, as the engine counted them, what the desks
 * before made in it: strips, the tracks among them (which have input ports) and the buses with direct outs
 * (which have output ports), sources and master inserts (the next desk takes them all out before it builds
 * the session again with ids of its own), and the first id none has used.
 * <p>
 * Threads: any thread; the arrays are not changed once made.
 */
public record KeptSession(String document, int[] strips, int[] tracks, int[] directOuts, int[] sources,
                          int[] masterInserts, int nextId) {
}
