package desk.session;

import desk.engine.MeterReading;

/**
 * A strip's meters read at one moment: the post-fader reading and, through {@link #pre()}, the pre-fader one.
 * Immutable; any thread.
 */
public record MeterSnapshot(String strip, MeterReading reading, MeterReading preFader) {
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

    /** The pre-fader reading taken at the same moment, or null for a pre-fader snapshot. */
    public MeterSnapshot pre() {
        return preFader == null ? null : new MeterSnapshot(strip, preFader, null);
    }

    @Override
    public String toString() {
        return "Meter " + strip + (preFader == null ? " pre-fader: " : ": ") + reading;
    }
}
