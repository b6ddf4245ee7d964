package desk.engine.meter;

import desk.engine.Engine;
import desk.engine.Limits;

import java.util.Arrays;

/**
 * Room for one meter reading, filled in place by {@link Engine#meter(int, MeterPoint, MeterBuffer)}, so that
 * a caller that reads meters all the time (the engine server) allocates nothing: the figures of a
 * {@link MeterReading} for the first {@link #channels()} channels, and the loudness figures of a
 * {@link LoudnessReading} when the strip measures them at that point. The arrays belong to the buffer and
 * are overwritten by the next fill.
 * <p>
 * Threads: one thread at a time.
 */
public final class MeterBuffer {
    private final double[] peakDb;
    private final double[] peakHoldDb;
    private final double[] peakMaxDb;
    private final long[] clipsPerChannel;
    private final long[] invalidPerChannel;
    private final double[] rmsDb;
    private final double[] averageDb;
    private final double[] vuDb;
    private final double[] kDb;
    private int channels;
    private boolean hasLoudness;
    private double momentary;
    private double shortTerm;
    private double integrated;
    private double momentaryMax;
    private double shortTermMax;
    private double range;
    private double truePeak;

    /** A buffer for strips of up to {@value Engine#MAX_TRACK_CHANNELS} channels. */
    public MeterBuffer() {
        this(Limits.MAX_TRACK_CHANNELS);
    }

    /** A buffer for meters of up to {@code capacity} channels. */
    MeterBuffer(int capacity) {
        peakDb = new double[capacity];
        peakHoldDb = new double[capacity];
        peakMaxDb = new double[capacity];
        clipsPerChannel = new long[capacity];
        invalidPerChannel = new long[capacity];
        rmsDb = new double[capacity];
        averageDb = new double[capacity];
        vuDb = new double[capacity];
        kDb = new double[capacity];
    }

    /** Channels read. */
    public int channels() {
        return channels;
    }

    /** Peak display per channel, dBFS; see {@link MeterReading}. */
    public double[] peakDb() {
        return peakDb;
    }

    /** Held peak per channel, dBFS. */
    public double[] peakHoldDb() {
        return peakHoldDb;
    }

    /** Highest peak since reset per channel, dBFS. */
    public double[] peakMaxDb() {
        return peakMaxDb;
    }

    /** Clipped samples since reset per channel. */
    public long[] clipsPerChannel() {
        return clipsPerChannel;
    }

    /** Invalid (NaN or infinite) samples since reset per channel. */
    public long[] invalidPerChannel() {
        return invalidPerChannel;
    }

    /** RMS over 300 ms per channel, dBFS. */
    public double[] rmsDb() {
        return rmsDb;
    }

    /** RMS since reset per channel, AES17 convention, dBFS. */
    public double[] averageDb() {
        return averageDb;
    }

    /** VU needle per channel, as a sine's peak level in dBFS. */
    public double[] vuDb() {
        return vuDb;
    }

    /** K-meter average per channel, dBFS. */
    public double[] kDb() {
        return kDb;
    }

    /** Whether the loudness figures were read (the strip measures loudness at this point). */
    public boolean hasLoudness() {
        return hasLoudness;
    }

    /** Momentary loudness, LUFS; see {@link LoudnessReading}. */
    public double momentary() {
        return momentary;
    }

    /** Short-term loudness, LUFS. */
    public double shortTerm() {
        return shortTerm;
    }

    /** Integrated loudness, LUFS. */
    public double integrated() {
        return integrated;
    }

    /** Highest momentary loudness, LUFS. */
    public double momentaryMax() {
        return momentaryMax;
    }

    /** Highest short-term loudness, LUFS. */
    public double shortTermMax() {
        return shortTermMax;
    }

    /** Loudness range, LU. */
    public double range() {
        return range;
    }

    /** Highest true peak, dBTP. */
    public double truePeak() {
        return truePeak;
    }

    /** The reading held, as a {@link MeterReading} of its own. */
    public MeterReading reading() {
        LoudnessReading loudness = hasLoudness ? new LoudnessReading(momentary, shortTerm, integrated, momentaryMax,
                shortTermMax, range, truePeak) : null;
        return new MeterReading(Arrays.copyOf(peakDb, channels), Arrays.copyOf(peakHoldDb, channels),
                Arrays.copyOf(peakMaxDb, channels), Arrays.copyOf(clipsPerChannel, channels),
                Arrays.copyOf(invalidPerChannel, channels), Arrays.copyOf(rmsDb, channels), Arrays.copyOf(averageDb, channels), Arrays.copyOf(vuDb, channels),
                Arrays.copyOf(kDb, channels), loudness);
    }

    /** Starts a reading of {@code count} channels without loudness figures. */
    void channels(int count) {
        channels = count;
        hasLoudness = false;
    }

    /** Sets the loudness figures. */
    void loudness(double momentary, double shortTerm, double integrated, double momentaryMax, double shortTermMax,
                  double range, double truePeak) {
        this.momentary = momentary;
        this.shortTerm = shortTerm;
        this.integrated = integrated;
        this.momentaryMax = momentaryMax;
        this.shortTermMax = shortTermMax;
        this.range = range;
        this.truePeak = truePeak;
        hasLoudness = true;
    }
}
