package desk.engine.meter;

/**
 * One snapshot of a strip's loudness meter: per ITU-R BS.1770-4 and EBU Tech 3341 the momentary (400 ms)
 * and short-term (3 s) loudness, evaluated every 10 ms, their maxima and the gated integrated loudness, in
 * LUFS; the loudness range per EBU Tech 3342, in LU; and the highest true peak per BS.1770 Annex 2, in dBTP.
 * All since the last reset; negative infinity for silence (the range reads 0 until it has values).
 * <p>
 * Immutable; any thread.
 */
public record LoudnessReading(double momentary, double shortTerm, double integrated, double momentaryMax,
                              double shortTermMax, double range, double truePeak) {
    @Override
    public String toString() {
        return "M " + MeterReading.oneDecimal(momentary) + " S " + MeterReading.oneDecimal(shortTerm) + " I "
                + MeterReading.oneDecimal(integrated) + " LUFS, LRA " + MeterReading.oneDecimal(range) + " LU, true peak "
                + MeterReading.oneDecimal(truePeak) + " dBTP";
    }
}
