package desk.engine.insert;

import desk.engine.RealTime;

/**
 * A signal processor that runs in a strip's insert chain, in place on the strip's signal: a built-in EQ,
 * compressor, limiter, delay or reverb, or a hosted plugin. Its parameters are those of its
 * {@link ProcessorType}, addressed by index; the processor glides to a new value itself, without zipper
 * noise, except before its first block and after {@link #rtReset}, where it jumps.
 * <p>
 * Life cycle: made by its type's factory and {@link #prepare prepared} on the control thread (where it may
 * allocate everything it will ever need), given its parameters' first values with {@link #rtSet} and
 * {@link #rtReset} there too, then published to the audio thread, which calls the {@code rt} methods until it
 * hands the processor back. {@link #latency}, {@link #tailSeconds} and {@link #gainReductionDb} may be read
 * from any thread.
 */
public interface Processor {
    /**
     * Readies the processor for {@code channels} channels at {@code sampleRate}, for spans of up to
     * {@link desk.engine.Limits#MAX_BLOCK} frames. Called once, on the control thread, before anything else.
     */
    void prepare(int sampleRate, int channels);

    /**
     * The delay the processor adds, in samples (a limiter's lookahead, an oversampler's filters); fixed once
     * prepared, whatever the parameters. The chain delays a bypassed processor's dry signal by as much. None
     * unless the processor says otherwise.
     */
    default int latency() {
        return 0;
    }

    /**
     * How long the output can go on after the input stops, in seconds (a reverb's decay, a delay's echoes);
     * none unless the processor says otherwise.
     */
    default double tailSeconds() {
        return 0;
    }

    /**
     * The gain reduction a dynamics processor applied in the last block it ran, in dB as a positive number
     * (6 means the signal was turned down 6 dB); NaN for a processor that does not reduce gain. Any thread.
     */
    default double gainReductionDb() {
        return Double.NaN;
    }

    /**
     * Whether the processor runs native code (a plugin), which could take the process down with it: the engine
     * then notes in {@link NativeCalls} whose it is while it runs. Any thread.
     */
    default boolean runsNativeCode() {
        return false;
    }

    /**
     * What the processor keeps beyond its parameters, as text for the session file (a plugin's LV2 state, in
     * Turtle), or null when it keeps nothing else. Control thread, while the audio thread may be running it.
     */
    default String saveState() {
        return null;
    }

    /**
     * Takes back what {@link #saveState} gave, after {@link #prepare} and before the processor reaches the audio
     * thread; throws {@link IllegalArgumentException} saying why if it cannot. Control thread.
     */
    default void restoreState(String state) {
        throw new IllegalArgumentException("it keeps no state beyond its parameters");
    }

    /**
     * Tells the processor it runs in an offline render from now on: its output must not depend on timing, and it
     * may make the audio thread wait to ensure that (a plugin waits for the background work it asked for). Control
     * thread, possibly while the audio thread runs the processor.
     */
    default void renderOffline() {
    }

    /**
     * Sets parameter {@code index} (its position in {@link ProcessorType#parameters()}) to {@code value},
     * already checked against its range; a choice parameter gets its choice's index. The processor glides
     * there from the current value.
     */
    @RealTime
    void rtSet(int index, double value);

    /**
     * As {@link #rtSet}, for an automation lane: the value the lane reaches {@code samples} samples from now,
     * which a processor that can should reach exactly then, gliding in a straight line. By default the
     * processor glides as it does for {@link #rtSet}, arriving a little later.
     */
    @RealTime
    default void rtGlide(int index, double value, int samples) {
        rtSet(index, value);
    }

    /** Forgets the signal's history (delay lines, envelopes, filter states) and jumps to the parameters set. */
    @RealTime
    void rtReset();

    /**
     * Processes {@code frames} frames of {@code io} in place, from index 0 of each channel. {@code key} is
     * the side-chain signal for a processor whose type takes one (null: use its own input); it has at least
     * {@code frames} frames per channel and is never written.
     */
    @RealTime
    void rtProcess(float[][] io, int frames, float[][] key);
}
