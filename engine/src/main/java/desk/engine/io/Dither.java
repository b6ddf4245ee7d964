package desk.engine.io;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Dither for reducing float samples to 16- or 24-bit PCM. {@link Kind#TPDF} adds, before rounding, the
 * difference of two independent uniform values one step of the output wide (triangular probability density,
 * two steps from end to end), which makes the rounding error independent of the signal: no distortion, only
 * a steady noise of one half step RMS (-96.3 dBFS at 16 bits, -144.5 dBFS at 24). {@link Kind#SHAPED} adds
 * the same dither inside a five-tap error-feedback loop (Lipshitz, Vanderkooy and Wannamaker's E-weighted
 * filter, designed for 44.1 kHz), which moves the noise from the middle frequencies, where the ear is most
 * sensitive, to the highest ones: more noise in all, less of it heard. The noise comes from a fixed seed per
 * channel, so the same samples always give the same file.
 * <p>
 * Threads: one thread at a time per instance (it keeps each channel's state).
 */
public final class Dither {
    /** The kinds of dither: none (plain rounding), TPDF, or TPDF shaped by error feedback. */
    public enum Kind {
        /** Rounding half away from zero, nothing added: equal input gives equal bytes, and low-level distortion. */
        NONE,
        /** Triangular-PDF dither, two steps wide: a flat noise floor one half step RMS. */
        TPDF,
        /** TPDF dither in an E-weighted error-feedback loop: the noise moved up to the highest frequencies. */
        SHAPED;

        /** Its name as the user types it: none, tpdf, shaped. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Parses a user-facing name: "none", "tpdf" or "shaped" (case-insensitive).
         *
         * @throws IllegalArgumentException with a one-line message naming the accepted names
         */
        public static Kind parse(String text) {
            String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            return switch (name) {
                case "none" -> NONE;
                case "tpdf" -> TPDF;
                case "shaped" -> SHAPED;
                default -> throw new IllegalArgumentException("dither \"" + text + "\": use none, tpdf or shaped");
            };
        }
    }

    /**
     * The E-weighted noise-shaping filter: the error of sample n - 1 - k is subtracted from the next sample with
     * weight {@code SHAPING[k]}, so the noise is shaped by 1 - Σ SHAPING[k] z<sup>-(k+1)</sup>.
     */
    private static final double[] SHAPING = {2.033, -2.165, 1.959, -1.590, 0.6149};
    /** The fed-back error is held within this many steps, so a clipped sample cannot make the loop run away. */
    private static final double MAX_ERROR_STEPS = 8;
    private static final long SEED = 0x5DEECE66DL;

    private final Kind kind;
    private final SplittableRandom[] random;
    private final double[][] errors;
    private final int[] newest;

    private Dither(Kind kind, int channels) {
        this.kind = kind;
        this.random = new SplittableRandom[channels];
        this.errors = new double[channels][SHAPING.length];
        this.newest = new int[channels];
        for (int c = 0; c < channels; c++) {
            random[c] = new SplittableRandom(SEED + 7919L * c);
        }
    }

    /** Dither of {@code kind} for {@code channels} channels, each from its own fixed seed. */
    public static Dither of(Kind kind, int channels) {
        return new Dither(kind, channels);
    }

    /** Its kind. */
    public Kind kind() {
        return kind;
    }

    /**
     * Reduces one sample of {@code channel} to a signed integer of {@code bits} bits: scaled by
     * 2<sup>bits-1</sup>, dithered as this dither does, rounded and clamped to the integer range. NaN becomes 0.
     */
    public int quantize(int channel, float sample, int bits) {
        if (kind == Kind.NONE) {
            return WavWriter.quantize(sample, bits);
        }
        double scaled = Float.isNaN(sample) ? 0 : sample * (double) (1L << (bits - 1));
        double[] error = errors[channel];
        int at = newest[channel];
        if (kind == Kind.SHAPED) {
            for (int k = 0; k < SHAPING.length; k++) {
                scaled -= SHAPING[k] * error[(at - k + SHAPING.length) % SHAPING.length];
            }
        }
        SplittableRandom noise = random[channel];
        double dithered = scaled + noise.nextDouble() - noise.nextDouble();
        long max = (1L << (bits - 1)) - 1;
        long rounded = Math.max(-max - 1, Math.min(max, Math.round(dithered)));
        if (kind == Kind.SHAPED) {
            at = (at + 1) % SHAPING.length;
            error[at] = Math.max(-MAX_ERROR_STEPS, Math.min(MAX_ERROR_STEPS, rounded - scaled));
            newest[channel] = at;
        }
        return (int) rounded;
    }
}
