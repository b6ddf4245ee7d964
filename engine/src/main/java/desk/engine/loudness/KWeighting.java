package desk.engine.loudness;

/**
 * K-weighting filter coefficients of ITU-R BS.1770-4: a high-shelf pre-filter followed by the RLB high-pass,
 * each a biquad with {@code a0 = 1}. Coefficients for any sample rate are derived by the bilinear transform
 * from the analogue prototypes (the same derivation as libebur128); at 48 kHz they reproduce the normative
 * table to about 1e-8.
 * <p>
 * Threads: immutable values and pure functions; any thread, including the audio thread.
 *
 * @param shelfB  pre-filter numerator b0, b1, b2
 * @param shelfA  pre-filter denominator a1, a2
 * @param highPassB RLB high-pass numerator b0, b1, b2
 * @param highPassA RLB high-pass denominator a1, a2
 */
public record KWeighting(double[] shelfB, double[] shelfA, double[] highPassB, double[] highPassA) {
    /** Shelf centre frequency in Hz. */
    public static final double SHELF_F0 = 1681.974450955533;
    /** Shelf gain in dB. */
    public static final double SHELF_GAIN_DB = 3.999843853973347;
    /** Shelf quality factor. */
    public static final double SHELF_Q = 0.7071752369554196;
    /** High-pass corner frequency in Hz. */
    public static final double HIGH_PASS_F0 = 38.13547087602444;
    /** High-pass quality factor. */
    public static final double HIGH_PASS_Q = 0.5003270373238773;

    /** Copies the arrays so the record stays immutable. */
    public KWeighting {
        shelfB = shelfB.clone();
        shelfA = shelfA.clone();
        highPassB = highPassB.clone();
        highPassA = highPassA.clone();
    }

    /** Pre-filter numerator b0, b1, b2 (a copy). */
    @Override
    public double[] shelfB() {
        return shelfB.clone();
    }

    /** Pre-filter denominator a1, a2 (a copy). */
    @Override
    public double[] shelfA() {
        return shelfA.clone();
    }

    /** RLB high-pass numerator b0, b1, b2 (a copy). */
    @Override
    public double[] highPassB() {
        return highPassB.clone();
    }

    /** RLB high-pass denominator a1, a2 (a copy). */
    @Override
    public double[] highPassA() {
        return highPassA.clone();
    }

    /** The normative BS.1770-4 coefficients for 48 kHz, as printed in the Recommendation. */
    public static KWeighting normative48k() {
        return new KWeighting(
                new double[] {1.53512485958697, -2.69169618940638, 1.19839281085285},
                new double[] {-1.69065929318241, 0.73248077421585},
                new double[] {1.0, -2.0, 1.0},
                new double[] {-1.99004745483398, 0.99007225036621});
    }

    /** Coefficients derived for {@code sampleRate} by the bilinear transform. */
    public static KWeighting forSampleRate(int sampleRate) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " must be at least 1");
        }
        double k = Math.tan(Math.PI * SHELF_F0 / sampleRate);
        double vh = Math.pow(10.0, SHELF_GAIN_DB / 20.0);
        double vb = Math.pow(vh, 0.4996667741545416);
        double a0 = 1.0 + k / SHELF_Q + k * k;
        double[] sb = {
            (vh + vb * k / SHELF_Q + k * k) / a0,
            2.0 * (k * k - vh) / a0,
            (vh - vb * k / SHELF_Q + k * k) / a0};
        double[] sa = {2.0 * (k * k - 1.0) / a0, (1.0 - k / SHELF_Q + k * k) / a0};
        k = Math.tan(Math.PI * HIGH_PASS_F0 / sampleRate);
        double h0 = 1.0 + k / HIGH_PASS_Q + k * k;
        double[] hb = {1.0, -2.0, 1.0};
        double[] ha = {2.0 * (k * k - 1.0) / h0, (1.0 - k / HIGH_PASS_Q + k * k) / h0};
        return new KWeighting(sb, sa, hb, ha);
    }
}
