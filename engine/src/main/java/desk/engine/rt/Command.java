package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.LoopRange;
import desk.engine.RealTime;
import desk.engine.clip.ClipPlayer;
import desk.engine.clip.PlaybackClip;
import desk.engine.dsp.SmoothedGains;
import desk.engine.meter.LoudnessTap;
import desk.engine.meter.MeterPoint;

/**
 * One preallocated command slot from the control thread to the audio thread: its {@link CommandKind}, the
 * engine sample it is due at ({@link CommandRing#NOW}: at once) and a typed field for every argument a kind
 * can carry, so the audio thread reads each argument as what it is, with no cast. The control side fills a
 * slot only through {@code desk.engine.control.CommandWriter}, one method per kind.
 * <p>
 * Threads: filled by the producer of the {@link CommandRing} before publication; read and cleared by the
 * consumer after.
 */
public final class Command {
    /** The engine sample the command is due at, or {@link CommandRing#NOW}. */
    public long time;
    /** Arrival order among commands due at the same sample (set by {@link TimedCommands}). */
    long sequence;
    /** What the command does. */
    public CommandKind kind;
    /** Gain values of a ramp. */
    public final float[] values = new float[Limits.MAX_TRACK_CHANNELS * 2];
    /** Length of a shaped ramp, in samples. */
    public int samples;
    /** A strip's input channel. */
    public int channel;
    /** A source's channel. */
    public int sourceChannel;
    /** An on or off setting: the transport rolling, a send picking off before the fader. */
    public boolean flag;
    /** A transport position, in samples. */
    public long position;
    /** The gains a ramp moves. */
    public SmoothedGains gains;
    /** The shape of a shaped ramp. */
    public SmoothedGains.Shape shape;
    /** A plan to install. */
    public Plan plan;
    /** The strip a command changes. */
    public StripNode strip;
    /** A strip's new input source (null: silence). */
    public Source source;
    /** The connection a command changes. */
    public Connection connection;
    /** A strip's loudness tap (null: none). */
    public LoudnessTap loudness;
    /** A track's clip player. */
    public ClipPlayer player;
    /** The clips a player plays. */
    public PlaybackClip[] clips;
    /** The transport's loop range (null: none). */
    public LoopRange loop;
    /** The tap of a take that starts. */
    public TakeTap take;
    /** An automation table to install. */
    public Automation automation;
    /** A strip's insert chain. */
    public InsertChain chain;
    /** The insert a command changes. */
    public InsertSlot slot;
    /** The insert another goes before (null: the end of the chain). */
    public InsertSlot before;
    /** A parameter's value. */
    public double value;
    /** Where a side chain listens on its strip. */
    public MeterPoint point;
    /** A connection's compensation delay (null: none). */
    public CompensationDelay delay;
    /** The stems to keep (null: none). */
    public StemTaps stems;
    /** MIDI bindings to install. */
    public MidiMap midiMap;
    /** The shared clock to read and write (null: none). */
    public NodeClock clock;

    /** Drops every reference the slot holds, so nothing it carried stays reachable from the ring. */
    @RealTime
    void rtClear() {
        gains = null;
        shape = null;
        plan = null;
        strip = null;
        source = null;
        connection = null;
        loudness = null;
        player = null;
        clips = null;
        loop = null;
        take = null;
        automation = null;
        chain = null;
        slot = null;
        before = null;
        point = null;
        delay = null;
        stems = null;
        midiMap = null;
        clock = null;
    }
}
