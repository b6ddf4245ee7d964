package desk.engine.insert;

import java.util.List;
import java.util.function.Supplier;

/**
 * A kind of insert users can put on a strip: its name ({@code "eq"}, {@code "compressor"}), what it does, its
 * parameters in the order processors address them, whether it listens to a side chain, and how to make one.
 * Immutable; any thread.
 *
 * @param name       the name scripts insert it by
 * @param summary    what it does, in a sentence
 * @param parameters its parameters, indexed as {@link Processor#rtSet} addresses them
 * @param sideChain  whether it takes a key signal (a compressor, a gate)
 * @param factory    makes a new, unprepared processor
 */
public record ProcessorType(String name, String summary, List<InsertParameter> parameters, boolean sideChain,
                            Supplier<Processor> factory) {
    public ProcessorType {
        parameters = List.copyOf(parameters);
    }

    /** The index of the parameter called {@code parameter}, or -1. */
    public int indexOf(String parameter) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().equals(parameter)) {
                return i;
            }
        }
        return -1;
    }

    /** The parameters' first values, in order. */
    public double[] initialValues() {
        double[] values = new double[parameters.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameters.get(i).initial();
        }
        return values;
    }

    /** A new processor, prepared and set to {@code values} (one per parameter, already checked). */
    public Processor create(int sampleRate, int channels, double[] values) {
        return create(sampleRate, channels, values, null);
    }

    /**
     * As {@link #create(int, int, double[])}, with {@code state} (what {@link Processor#saveState} gave, or null)
     * restored before the first block.
     */
    public Processor create(int sampleRate, int channels, double[] values, String state) {
        Processor processor = factory.get();
        processor.prepare(sampleRate, channels);
        for (int i = 0; i < values.length; i++) {
            processor.rtSet(i, values[i]);
        }
        if (state != null) {
            processor.restoreState(state);
        }
        processor.rtReset();
        return processor;
    }
}
