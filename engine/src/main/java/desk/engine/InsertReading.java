package desk.engine;

/**
 * What an insert reports while it runs: the delay it adds and, for dynamics, the gain reduction it applied
 * in the last block. Immutable; any thread.
 *
 * @param latency         the delay it adds, in samples, bypassed or not
 * @param gainReductionDb how far it turned the signal down in the last block, dB (0: not at all); NaN for a
 *                        processor that does not reduce gain
 */
public record InsertReading(int latency, double gainReductionDb) {
}
