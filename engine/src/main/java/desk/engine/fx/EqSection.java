package desk.engine.fx;

/**
 * One biquad section of an {@link Eq}: its shape, its parameters gliding to their targets, its coefficients
 * (normalised by a0) and its states, one pair per channel.
 * <p>
 * Threads: made on the control thread when its EQ is prepared; then read and written on the audio thread only.
 */
final class EqSection {
    /** What a section is. */
    enum Shape { HIGH_PASS, LOW_PASS, LOW_SHELF, HIGH_SHELF, PEAK }

    final Shape shape;
    /** Frequency in octaves (log2 Hz), gain in dB, Q in octaves (log2 Q): now, target and step per sample. */
    double frequency;
    double gain;
    double q;
    double frequencyTarget;
    double gainTarget;
    double qTarget;
    double frequencyStep;
    double gainStep;
    double qStep;
    int glideLeft;
    /** Whether it runs: a filter switched on, or a band off 0 dB (or gliding). */
    boolean on;
    /** Whether it should run once its glide ends. */
    boolean onTarget;
    double b0;
    double b1;
    double b2;
    double a1;
    double a2;
    final double[] s1;
    final double[] s2;

    EqSection(Shape shape, int channels) {
        this.shape = shape;
        this.s1 = new double[channels];
        this.s2 = new double[channels];
    }
}
