package desk.session;

import desk.engine.meter.LoudnessReading;
import desk.engine.meter.MeterReading;

import java.util.function.ToDoubleFunction;

/**
 * The readings a strip's meter offers scripts, by the names scripts use: sample peak, clipped and invalid
 * samples, RMS, VU, K-system, loudness and true peak. Levels are of the loudest channel. Loudness readings exist only at the pick-off
 * point where the strip measures loudness ({@link Strip#loudness()}).
 * <p>
 * Immutable; any thread.
 */
public enum MeterQuantity {
    /** Sample peak display. */
    PEAK("peak", "dBFS", "sample peak, falling 20 dB in 1.7 s", (r, ref) -> r.peak()),
    /** Held peak. */
    PEAK_HOLD("peakHold", "dBFS", "the highest peak, held for 2 s, then falling with the peak display", (r, ref) -> r.peakHold()),
    /** Highest peak since reset. */
    PEAK_MAX("peakMax", "dBFS", "the highest sample peak since the last reset", (r, ref) -> r.peakMax()),
    /** Clipped samples since reset. */
    CLIPS("clips", "samples", "samples at or above full scale (0 dBFS) since the last reset, all channels", (r, ref) -> r.clips()),
    /** Invalid (NaN or infinite) samples since reset. */
    INVALID("invalid", "samples", "NaN or infinite samples that reached the strip's input (from a port, a file or a"
            + " clip) and played as silence, since the last reset, all channels; the same at every point",
            (r, ref) -> r.invalid()),
    /** RMS, 300 ms. */
    RMS("rms", "dBFS", "RMS over the last 300 ms (a full-scale sine reads -3.01)", (r, ref) -> r.rms()),
    /** RMS, 300 ms, AES17. */
    RMS_AES("rmsAes", "dBFS", "RMS over the last 300 ms, AES17 convention (a full-scale sine reads 0)", (r, ref) -> r.rmsAes17()),
    /** Long-term RMS since reset, AES17. */
    AVERAGE("average", "dBFS", "RMS of everything since the last reset, AES17 convention", (r, ref) -> r.average()),
    /** VU. */
    VU("vu", "VU", "VU meter: 300 ms ballistics, 0 VU at session.vuReference (default -18 dBFS)", (r, ref) -> r.vu() - ref),
    /** K-20. */
    K20("k20", "dB", "K-20 meter: the K-meter average (AES17 RMS, 600 ms), 0 at -20 dBFS", (r, ref) -> r.kAverage() + 20),
    /** K-14. */
    K14("k14", "dB", "K-14 meter: 0 at -14 dBFS", (r, ref) -> r.kAverage() + 14),
    /** K-12. */
    K12("k12", "dB", "K-12 meter: 0 at -12 dBFS", (r, ref) -> r.kAverage() + 12),
    /** Momentary loudness. */
    MOMENTARY("momentary", "LUFS", "momentary loudness (400 ms), evaluated every 10 ms", loudness(LoudnessReading::momentary)),
    /** Short-term loudness. */
    SHORT_TERM("shortTerm", "LUFS", "short-term loudness (3 s)", loudness(LoudnessReading::shortTerm)),
    /** Integrated loudness. */
    INTEGRATED("integrated", "LUFS", "integrated loudness since the last reset, gated per BS.1770-4", loudness(LoudnessReading::integrated)),
    /** Maximum momentary loudness. */
    MOMENTARY_MAX("momentaryMax", "LUFS", "the highest momentary loudness since the last reset", loudness(LoudnessReading::momentaryMax)),
    /** Maximum short-term loudness. */
    SHORT_TERM_MAX("shortTermMax", "LUFS", "the highest short-term loudness since the last reset", loudness(LoudnessReading::shortTermMax)),
    /** Loudness range. */
    LOUDNESS_RANGE("loudnessRange", "LU", "loudness range per EBU Tech 3342 since the last reset", loudness(LoudnessReading::range)),
    /** True peak. */
    TRUE_PEAK("truePeak", "dBTP", "the highest true peak since the last reset (BS.1770 Annex 2)", loudness(LoudnessReading::truePeak));

    /** Reads a quantity from a reading, given the VU reference level. */
    @FunctionalInterface
    interface Reader {
        double read(MeterReading reading, double vuReference);
    }

    private final String scriptName;
    private final String unit;
    private final String help;
    private final Reader reader;

    MeterQuantity(String scriptName, String unit, String help, Reader reader) {
        this.scriptName = scriptName;
        this.unit = unit;
        this.help = help;
        this.reader = reader;
    }

    private static Reader loudness(ToDoubleFunction<LoudnessReading> field) {
        return (r, ref) -> r.loudness() == null ? Double.NaN : field.applyAsDouble(r.loudness());
    }

    /** The name scripts use, e.g. "truePeak". */
    public String scriptName() {
        return scriptName;
    }

    /** The unit of the reading. */
    public String unit() {
        return unit;
    }

    /** What the reading is, with its unit. */
    public String help() {
        return help + ", " + unit;
    }

    /** True for the readings of the loudness meter, which exist only where the strip measures loudness. */
    public boolean needsLoudness() {
        return ordinal() >= MOMENTARY.ordinal();
    }

    /** The reading's value, or NaN when this point does not measure it. */
    double read(MeterReading reading, double vuReference) {
        return reader.read(reading, vuReference);
    }

    /** The quantity called {@code name} in scripts, or a refusal naming them all. */
    public static MeterQuantity ofScriptName(String name, String label) {
        for (MeterQuantity quantity : values()) {
            if (quantity.scriptName.equals(name)) {
                return quantity;
            }
        }
        StringBuilder names = new StringBuilder();
        for (MeterQuantity quantity : values()) {
            names.append(names.isEmpty() ? "" : ", ").append(quantity.scriptName);
        }
        throw new DeskException(label + " \"" + name + "\": must be one of " + names);
    }
}
