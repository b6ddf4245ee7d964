package desk.engine.loudness;

/**
 * Loudness and level figures for one whole audio file, as measured by {@link FileMeter#measure}.
 * Levels of silence are {@link Double#NEGATIVE_INFINITY}.
 * <p>
 * Threads: an immutable value; any thread.
 *
 * @param samplePeakDbfs   largest absolute sample over all channels, dBFS
 * @param truePeakDbtp     BS.1770-4 Annex 2 true peak over all channels, dBTP
 * @param rmsDbfs          plain (unweighted) RMS of the loudest channel, 10 log10(mean square), dBFS
 * @param integratedLufs   gated integrated loudness, LUFS
 * @param maxMomentaryLufs largest momentary (400 ms) loudness, LUFS
 * @param maxShortTermLufs largest short-term (3 s) loudness, LUFS
 * @param loudnessRangeLu  EBU Tech 3342 loudness range, LU
 */
public record FileMeasurement(double samplePeakDbfs, double truePeakDbtp, double rmsDbfs, double integratedLufs,
                              double maxMomentaryLufs, double maxShortTermLufs, double loudnessRangeLu) {
}
