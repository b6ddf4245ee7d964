package desk.session;

import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;

import java.util.Locale;

/**
 * A strip's meter read at one moment at one pick-off point; a post-fader snapshot carries the pre-fader and
 * input readings taken at the same moment ({@link #pre()}, {@link #input()}). Readings by name through
 * {@link #value(MeterQuantity)}; watches on this point through {@link #when}.
 * <p>
 * Immutable, and readable on any thread; {@link #when} and {@link #reset()} on the session's control thread.
 */
public record MeterSnapshot(Strip strip, MeterPoint point, MeterReading reading, double vuReference,
                            MeterReading preFader, MeterReading atInput) {
    /** Highest channel's sample peak display, dBFS. */
    public double peak() {
        return reading.peak();
    }

    /** Highest channel's held peak, dBFS. */
    public double peakHold() {
        return reading.peakHold();
    }

    /** Highest channel's RMS over 300 ms, dBFS. */
    public double rms() {
        return reading.rms();
    }

    /** The reading called {@code quantity}, or NaN where this point does not measure it (loudness elsewhere). */
    public double value(MeterQuantity quantity) {
        return quantity.read(reading, vuReference);
    }

    /** The pre-fader reading taken at the same moment, or null unless this is a post-fader snapshot. */
    public MeterSnapshot pre() {
        return preFader == null ? null : new MeterSnapshot(strip, MeterPoint.PRE_FADER, preFader, vuReference, null, null);
    }

    /** The input reading taken at the same moment, or null unless this is a post-fader snapshot. */
    public MeterSnapshot input() {
        return atInput == null ? null : new MeterSnapshot(strip, MeterPoint.INPUT, atInput, vuReference, null, null);
    }

    /**
     * Calls {@code callback} with the reading each time {@code quantity} crosses {@code threshold} upwards
     * ({@code above}) or downwards; see {@link Session#pollMeterWatches()}.
     */
    public MeterWatch when(MeterQuantity quantity, double threshold, boolean above, java.util.function.DoubleConsumer callback) {
        return strip.session.watch(this, quantity, threshold, above, callback);
    }

    /** Clears the strip's meters at every point (peaks, clips, averages, loudness). */
    public void reset() {
        strip.resetMeter();
    }

    /** How scripts name this meter: {@code Vox.meter}, {@code Vox.meter.pre} or {@code Vox.meter.input}. */
    public String label() {
        return strip.name() + ".meter" + pointSuffix(point);
    }

    static String pointSuffix(MeterPoint point) {
        return switch (point) {
            case INPUT -> ".input";
            case PRE_FADER -> ".pre";
            case POST_FADER -> "";
        };
    }

    @Override
    public String toString() {
        String where = switch (point) {
            case INPUT -> " input: ";
            case PRE_FADER -> " pre-fader: ";
            case POST_FADER -> ": ";
        };
        String vu = Double.isInfinite(reading.vu()) ? "" : String.format(Locale.ROOT, ", %.1f VU", value(MeterQuantity.VU));
        return "Meter " + strip.name() + where + reading + vu;
    }
}
