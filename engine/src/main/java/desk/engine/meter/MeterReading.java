package desk.engine.meter;

import java.util.Arrays;

/**
 * One snapshot of a {@link Meter}, per channel, levels in dBFS (negative infinity for silence): the sample
 * peak display, the held peak, the highest peak since reset, the clipped samples since reset, the invalid
 * samples (NaN or infinite, played as silence) since reset, the RMS over
 * 300 ms (a sine reads 3.01 dB under its peak), the RMS since reset in the AES17 convention (a sine reads
 * its peak), the VU level (the needle's level as a sine's peak, in dBFS; subtract the VU reference for VU)
 * and the K-meter average (AES17 RMS with 600 ms integration). {@code loudness} holds the loudness and true
 * peak when the strip measures them at this pick-off point, else null.
 * <p>
 * Immutable; any thread.
 */
public record MeterReading(double[] peakDb, double[] peakHoldDb, double[] peakMaxDb, long[] clipsPerChannel,
                           long[] invalidPerChannel, double[] rmsDb, double[] averageDb, double[] vuDb, double[] kDb,
                           LoudnessReading loudness) {
    /** The highest peak display over the channels, in dBFS. */
    public double peak() {
        return max(peakDb);
    }

    /** The highest held peak over the channels, in dBFS. */
    public double peakHold() {
        return max(peakHoldDb);
    }

    /** The highest sample peak since the last reset, over the channels, in dBFS. */
    public double peakMax() {
        return max(peakMaxDb);
    }

    /** Samples at or above full scale since the last reset, summed over the channels. */
    public long clips() {
        return Arrays.stream(clipsPerChannel).sum();
    }

    /** Invalid samples (NaN or infinite) that reached the strip since the last reset, summed over the channels. */
    public long invalid() {
        return Arrays.stream(invalidPerChannel).sum();
    }

    /** The highest RMS level over the channels (300 ms window), in dBFS. */
    public double rms() {
        return max(rmsDb);
    }

    /** The highest RMS over the channels in the AES17 convention (a sine reads its peak), in dBFS. */
    public double rmsAes17() {
        return rms() + Meter.AES17_OFFSET_DB;
    }

    /** The highest channel's RMS since the last reset, AES17 convention, in dBFS. */
    public double average() {
        return max(averageDb);
    }

    /** The highest channel's VU needle as a sine's peak level, in dBFS. */
    public double vu() {
        return max(vuDb);
    }

    /** The highest channel's K-meter average (AES17 RMS, 600 ms integration), in dBFS. */
    public double kAverage() {
        return max(kDb);
    }

    /** This reading with {@code reading} as its loudness. */
    public MeterReading withLoudness(LoudnessReading reading) {
        return new MeterReading(peakDb, peakHoldDb, peakMaxDb, clipsPerChannel, invalidPerChannel, rmsDb, averageDb,
                vuDb, kDb, reading);
    }

    /** A reading of silence on one channel (what a meter shows when nothing can be read). */
    public static MeterReading silence() {
        double[] silent = {Double.NEGATIVE_INFINITY};
        return new MeterReading(silent, silent.clone(), silent.clone(), new long[1], new long[1], silent.clone(),
                silent.clone(), silent.clone(), silent.clone(), null);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NEGATIVE_INFINITY);
    }

    @Override
    public String toString() {
        return "peak " + oneDecimal(peak()) + " dBFS, hold " + oneDecimal(peakHold()) + " dBFS, rms "
                + oneDecimal(rms()) + " dBFS" + (clips() > 0 ? ", " + clips() + " clipped" : "")
                + (invalid() > 0 ? ", " + invalid() + " invalid" : "") + (loudness == null ? "" : ", " + loudness);
    }

    /** A level with one decimal, as users read it: "-18.0", or "-inf" for silence. */
    static String oneDecimal(double db) {
        return db == Double.NEGATIVE_INFINITY ? "-inf" : String.format(java.util.Locale.ROOT, "%.1f", db);
    }
}
