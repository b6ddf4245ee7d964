package desk.engine;

/**
 * The node ids the engine gives itself, and the first one free for callers. Constants only; any thread.
 */
public final class NodeIds {
    /** The master bus, which exists from the start. */
    public static final int MASTER_ID = 0;
    /** The capture ports of the audio interface, as a source. */
    public static final int CAPTURE_ID = 1;
    /** The first id free for callers' nodes. */
    public static final int FIRST_FREE_ID = 2;
    /** "No node": an output to nowhere, an input from nothing. */
    public static final int NO_NODE = -1;

    private NodeIds() {
    }
}
