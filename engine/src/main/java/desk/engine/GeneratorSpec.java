package desk.engine;

/**
 * The settings of a generator. Immutable; any thread.
 *
 * @param type             the kind of signal
 * @param frequency        cycles per second, for sine and square (above 0, below half the sample rate)
 * @param levelDb          dBFS: peak for sine, square and impulse, RMS for noise (-144..0, or -inf)
 * @param pink             for noise: pink (-3 dB per octave) instead of white
 * @param seed             for noise: the seed; the same seed gives the same samples
 * @param impulseAt        for impulse: the engine sample of the first impulse (0 or more)
 * @param impulseInterval  for impulse: samples between impulses, or 0 for a single one
 */
public record GeneratorSpec(GeneratorType type, double frequency, double levelDb, boolean pink, long seed,
                            long impulseAt, long impulseInterval) {
    /** A sine of {@code frequency} Hz at {@code levelDb} dBFS peak. */
    public static GeneratorSpec sine(double frequency, double levelDb) {
        return new GeneratorSpec(GeneratorType.SINE, frequency, levelDb, false, 0, 0, 0);
    }

    /** A square wave of {@code frequency} Hz at {@code levelDb} dBFS. */
    public static GeneratorSpec square(double frequency, double levelDb) {
        return new GeneratorSpec(GeneratorType.SQUARE, frequency, levelDb, false, 0, 0, 0);
    }

    /** White or pink noise at {@code levelDb} dBFS RMS from {@code seed}. */
    public static GeneratorSpec noise(boolean pink, double levelDb, long seed) {
        return new GeneratorSpec(GeneratorType.NOISE, 0, levelDb, pink, seed, 0, 0);
    }

    /** Impulses of {@code levelDb} dBFS at sample {@code at}, then every {@code interval} samples (0: once). */
    public static GeneratorSpec impulse(double levelDb, long at, long interval) {
        return new GeneratorSpec(GeneratorType.IMPULSE, 0, levelDb, false, 0, at, interval);
    }

    /** Digital silence. */
    public static GeneratorSpec silence() {
        return new GeneratorSpec(GeneratorType.SILENCE, 0, Double.NEGATIVE_INFINITY, false, 0, 0, 0);
    }
}
