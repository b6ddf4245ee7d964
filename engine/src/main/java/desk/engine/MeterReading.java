package desk.engine;

import java.util.Arrays;

/**
 * One snapshot of a {@link Meter}: per channel, the sample peak display, the held peak and the RMS level,
 * all in dBFS (negative infinity for silence). Immutable; any thread.
 */
public record MeterReading(double[] peakDb, double[] peakHoldDb, double[] rmsDb) {
    /** The highest peak display over the channels, in dBFS. */
    public double peak() {
        return max(peakDb);
    }

    /** The highest held peak over the channels, in dBFS. */
    public double peakHold() {
        return max(peakHoldDb);
    }

    /** The highest RMS level over the channels, in dBFS. */
    public double rms() {
        return max(rmsDb);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NEGATIVE_INFINITY);
    }

    @Override
    public String toString() {
        return String.format("peak %.1f dBFS, hold %.1f dBFS, rms %.1f dBFS", peak(), peakHold(), rms());
    }
}
