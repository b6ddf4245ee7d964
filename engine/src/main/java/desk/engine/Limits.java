package desk.engine;

/**
 * The engine's fixed sizes and bounds, shared by every layer: what a span, a strip and a command may hold,
 * and the times of the engine's declick and crossfade. Constants only; any thread.
 */
public final class Limits {
    /**
     * The largest span the audio side processes at once; longer blocks are cut into spans. Every strip, insert
     * and source keeps buffers of this many frames, so it sets most of an engine's memory per strip.
     */
    public static final int MAX_BLOCK = 1024;
    /** The longest period a built-in backend runs (JACK's longest); the engine cuts it into spans. */
    public static final int MAX_PERIOD = 8192;
    /** Most channels a track can have. */
    public static final int MAX_TRACK_CHANNELS = 8;
    /** The first playback channel a direct out can use; the master plays on the channels before it. */
    public static final int FIRST_DIRECT_OUT = 2;
    /** Most playback channels for direct outs. */
    public static final int MAX_DIRECT_OUTS = 256;
    /**
     * Most capture ports an engine takes: as many ports as a JACK server can hold at all, so the server's own
     * limit is the one a session meets. Only the ports tracks take cost memory or time.
     */
    public static final int MAX_CAPTURE_PORTS = 4096;
    /** The latest sample time a command may name: 2^40 samples, over 250 days at 48 kHz. */
    public static final long MAX_SAMPLE_TIME = 1L << 40;
    /** How long a level change takes, in milliseconds. */
    public static final int DECLICK_MILLISECONDS = 5;
    /** Length of the equal-power crossfade of a change of routing, in milliseconds. */
    public static final int CROSSFADE_MILLISECONDS = 10;
    /** The least take buffer per track allowed, in seconds. */
    public static final double MIN_TAKE_BUFFER_SECONDS = 1;
    /** The largest take buffer per track allowed, in seconds. */
    public static final double MAX_TAKE_BUFFER_SECONDS = 60;

    private Limits() {
    }
}
