package desk.engine.delivery;

/**
 * The loudness of a piece of audio over time, for a plot: every {@link LoudnessTrace#STEP_SECONDS} s its
 * momentary and short-term loudness (LUFS) and the highest true peak within that step (dBTP); and the loudness
 * range's ends (Tech 3342's 10th and 95th percentiles of short-term loudness, NaN when there are none).
 * <p>
 * Threads: its arrays are not copied: treat them as read-only; any thread once published.
 *
 * @param stepSeconds  seconds between two values
 * @param momentary    momentary loudness at the end of each step, LUFS
 * @param shortTerm    short-term loudness at the end of each step, LUFS
 * @param truePeak     highest true peak within each step, dBTP
 * @param rangeLowLufs the loudness range's low end, LUFS
 * @param rangeHighLufs the loudness range's high end, LUFS
 */
public record LoudnessHistory(double stepSeconds, float[] momentary, float[] shortTerm, float[] truePeak,
                              double rangeLowLufs, double rangeHighLufs) {
}
