package desk.engine.rt;

import desk.engine.ClockReading;
import desk.engine.ClockRole;
import desk.engine.RealTime;

import java.util.Arrays;

/**
 * The sample clock engines on several machines share through the audio links between their JACK servers
 * (netjack2 carries each period whole and, with its float encoding, bit for bit). Each block, an engine
 * writes its clock at the start of a playback channel: seven samples, each a whole number below 2^24 (which a
 * float holds exactly), saying a marker, its engine position and transport position at the block's first
 * sample (48 bits each), whether the transport rolls and whether the clock is a node's echo, and a check; the
 * rest of the block is silence.
 * <p>
 * A node ({@link ClockRole#FOLLOW}) reads the lead engine's clock from a capture channel and takes its
 * positions and transport for the block, so anything placed on the timeline or the sample clock (clips,
 * automation, timed commands, test signals) renders there on the same sample as on the lead engine; its own
 * clock, written back, is the echo (marked so once it follows: a node's clock of its own is no echo, nor does
 * a node take another node's). The lead engine ({@link ClockRole#LEAD}) reads that echo beside the node's
 * returns: its position now less the echoed one is how late the returns arrive, and the echoed position is
 * where the block of the returns belongs on the timeline ({@link NodeReturn}).
 * <p>
 * Threads: constructed on the control thread; the {@code rt} methods on the audio thread only; {@link #reading}
 * on any thread.
 */
public final class NodeClock {
    /** How many samples the clock takes at the start of a block: a shorter block carries none. */
    public static final int WORDS = 7;
    private static final int MARKER = 0xA5C3E1;
    private static final int CHECK_MIX = 0x5A5A5A;
    private static final int WORD_MASK = 0xFFFFFF;
    private static final int WINDOW_FRAMES = 1 << 16;
    private static final int ROLLING = 1;
    private static final int ECHO = 2;

    private final ClockRole role;
    private final int captureChannel;
    private final int playbackChannel;
    private final NodeReturn feeds;
    private final int[] words = new int[WORDS];
    private long readPosition;
    private long readTransport;
    private boolean readRolling;
    private boolean readEcho;
    private volatile boolean locked;
    private volatile int latency = -1;
    private volatile int worstLatency = -1;
    private int windowWorst = -1;
    private int previousWorst = -1;
    private int windowFrames;
    private volatile long losses;
    private long nextEcho = -1;
    private volatile long lostBlocks;

    /**
     * A clock in {@code role}, read from capture channel {@code captureChannel}, written to playback channel
     * {@code playbackChannel}; on the lead engine each echo read places the block of {@code feeds} (null: none).
     * It carries on from {@code before} (null: none), the clock it replaces, when that has the same role: its
     * losses count on, and a lock held then is held now, so the link going while the clocks change is still
     * counted as lost.
     */
    public NodeClock(ClockRole role, int captureChannel, int playbackChannel, NodeReturn feeds, NodeClock before) {
        this.role = role;
        this.captureChannel = captureChannel;
        this.playbackChannel = playbackChannel;
        this.feeds = feeds;
        if (before != null && before.role == role) {
            this.losses = before.losses;
            this.locked = before.locked;
        }
    }

    /**
     * Takes over from {@code before}, which the audio thread ran until now: the losses it counted and its lock,
     * as the constructor did, but as they stand on the block the change takes effect.
     */
    @RealTime
    void rtCarryOn(NodeClock before) {
        if (before != null && before.role == role) {
            losses = before.losses;
            locked = before.locked;
        }
    }

    /** What the clock says now. Any thread. */
    public ClockReading reading() {
        return new ClockReading(role, locked, latency, worstLatency, losses, feeds == null ? 0 : feeds.lateBlocks(),
                lostBlocks);
    }

    /**
     * Reads the other side's clock from the capture buffers at {@code offset}, {@code position} being this
     * engine's position at that sample; true when a whole clock was there. On the lead engine a clock read
     * measures the latency.
     */
    @RealTime
    boolean rtRead(float[][] capture, int offset, int frames, long position) {
        boolean found = frames >= WORDS && captureChannel < capture.length && capture[captureChannel] != null
                && rtDecode(capture[captureChannel], offset) && readEcho == (role == ClockRole.LEAD);
        if (found && role == ClockRole.LEAD) {
            long late = position - readPosition;
            int measured = late >= 0 && late <= Integer.MAX_VALUE ? (int) late : -1;
            latency = measured;
            rtWorst(measured, frames);
            rtCountLost(readPosition, frames);
            if (feeds != null) {
                feeds.rtStore(capture, offset, frames, readPosition, position);
            }
        }
        if (locked && !found) {
            losses = losses + 1;
        }
        locked = found;
        return found;
    }

    /** Keeps the largest latency of the current window of blocks and the one before it. */
    @RealTime
    private void rtWorst(int measured, int frames) {
        windowWorst = Math.max(windowWorst, measured);
        windowFrames += frames;
        worstLatency = Math.max(windowWorst, previousWorst);
        if (windowFrames >= WINDOW_FRAMES) {
            previousWorst = windowWorst;
            windowWorst = -1;
            windowFrames = 0;
        }
    }

    /**
     * Counts the blocks the echo skipped over: positions past the end of the furthest block read before. A period
     * netjack2 drops on either way reaches the lead as a skip (a period it repeats instead is read again and
     * stored on itself), as do the blocks while the clock was lost.
     */
    @RealTime
    private void rtCountLost(long echoed, int frames) {
        if (nextEcho >= 0 && echoed > nextEcho) {
            lostBlocks = lostBlocks + (echoed - nextEcho + frames - 1) / frames;
        }
        nextEcho = Math.max(nextEcho, echoed + frames);
    }

    /** Whether this engine takes the lead engine's clock. */
    @RealTime
    boolean rtFollows() {
        return role == ClockRole.FOLLOW;
    }

    /** The engine position the last clock read said. */
    @RealTime
    long rtReadPosition() {
        return readPosition;
    }

    /** The transport position the last clock read said. */
    @RealTime
    long rtReadTransport() {
        return readTransport;
    }

    /** Whether the transport rolled in the last clock read. */
    @RealTime
    boolean rtReadRolling() {
        return readRolling;
    }

    /** Writes this engine's clock for the block of {@code frames} from {@code offset} into the playback buffers. */
    @RealTime
    void rtWrite(float[][] playback, int offset, int frames, long position, long transportPosition, boolean rolling) {
        if (playback == null || playbackChannel >= playback.length || playback[playbackChannel] == null) {
            return;
        }
        float[] out = playback[playbackChannel];
        Arrays.fill(out, offset, offset + frames, 0f);
        if (frames < WORDS) {
            return;
        }
        int[] w = words;
        w[0] = MARKER;
        w[1] = (int) (position >>> 24) & WORD_MASK;
        w[2] = (int) position & WORD_MASK;
        w[3] = (int) (transportPosition >>> 24) & WORD_MASK;
        w[4] = (int) transportPosition & WORD_MASK;
        w[5] = (rolling ? ROLLING : 0) | (role == ClockRole.FOLLOW && locked ? ECHO : 0);
        w[6] = check(w);
        for (int i = 0; i < WORDS; i++) {
            out[offset + i] = w[i];
        }
    }

    @RealTime
    private boolean rtDecode(float[] in, int offset) {
        int[] w = words;
        for (int i = 0; i < WORDS; i++) {
            float value = in[offset + i];
            int whole = (int) value;
            if (whole != value || whole < 0 || whole > WORD_MASK) {
                return false;
            }
            w[i] = whole;
        }
        if (w[0] != MARKER || w[5] > (ROLLING | ECHO) || w[6] != check(w)) {
            return false;
        }
        readPosition = ((long) w[1] << 24) | w[2];
        readTransport = ((long) w[3] << 24) | w[4];
        readRolling = (w[5] & ROLLING) != 0;
        readEcho = (w[5] & ECHO) != 0;
        return true;
    }

    @RealTime
    private static int check(int[] w) {
        return ((w[1] * 3 + w[2] * 5 + w[3] * 7 + w[4] * 11 + w[5] * 13) ^ CHECK_MIX) & WORD_MASK;
    }
}
