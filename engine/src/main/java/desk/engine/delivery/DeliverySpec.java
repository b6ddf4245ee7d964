package desk.engine.delivery;

import desk.engine.io.Dither;
import desk.engine.io.SampleFormat;

import java.util.Objects;

/**
 * How to deliver a render: the file format, its samples, the dither that reduces them, and the loudness and
 * true-peak targets (NaN for none). With a loudness target the mix is measured, brought to the target by a
 * gain and held under the true-peak ceiling (-1 dBTP unless another is given) by Desk's true-peak limiter;
 * with a ceiling alone it is only limited.
 * <p>
 * Threads: immutable; any thread.
 *
 * @param container     WAV, BWF or FLAC
 * @param sampleFormat  16 or 24-bit PCM or 32-bit float (not for FLAC)
 * @param dither        the dither that reduces the mix to 16 or 24 bits
 * @param loudnessLufs  integrated loudness to reach, {@value #MIN_LOUDNESS}..{@value #MAX_LOUDNESS} LUFS, or NaN
 * @param truePeakDbtp  true-peak ceiling, {@value #MIN_TRUE_PEAK}..0 dBTP, or NaN
 * @param description   what the file is, for a Broadcast Wave file's bext chunk
 * @param timeReference where the render starts on the session's timeline, in samples (of the mix's rate)
 * @param sampleRate    the file's sample rate: 0 for the mix's own, else the mix is converted to it
 */
public record DeliverySpec(Container container, SampleFormat sampleFormat, Dither.Kind dither, double loudnessLufs,
                           double truePeakDbtp, String description, long timeReference, int sampleRate) {
    /** Lowest sample rate a delivery converts to, Hz. */
    public static final int MIN_SAMPLE_RATE = 8_000;
    /** Highest sample rate a delivery converts to, Hz. */
    public static final int MAX_SAMPLE_RATE = 384_000;
    /** Lowest loudness target, LUFS. */
    public static final double MIN_LOUDNESS = -60;
    /** Highest loudness target, LUFS. */
    public static final double MAX_LOUDNESS = 0;
    /** Lowest true-peak ceiling, dBTP (the limiter's lowest). */
    public static final double MIN_TRUE_PEAK = -24;
    /** The ceiling a loudness target is delivered under when none is given, dBTP. */
    public static final double DEFAULT_TRUE_PEAK = -1;

    /** Checks the fields; every refusal is one line naming the value and what is allowed. */
    public DeliverySpec {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(sampleFormat, "sampleFormat");
        Objects.requireNonNull(dither, "dither");
        Objects.requireNonNull(description, "description");
        if (container == Container.FLAC && sampleFormat.isFloat()) {
            throw new IllegalArgumentException("flac holds 16- or 24-bit samples, not 32-bit float: use 16 or 24 bits");
        }
        if (sampleFormat.isFloat() && dither != Dither.Kind.NONE) {
            throw new IllegalArgumentException("dither " + dither.label() + ": 32-bit float keeps every bit; dither"
                    + " applies to 16 and 24 bits");
        }
        if (!Double.isNaN(loudnessLufs) && !(loudnessLufs >= MIN_LOUDNESS && loudnessLufs <= MAX_LOUDNESS)) {
            throw new IllegalArgumentException("loudness " + loudnessLufs + " LUFS: must be " + (int) MIN_LOUDNESS
                    + " to " + (int) MAX_LOUDNESS);
        }
        if (!Double.isNaN(truePeakDbtp) && !(truePeakDbtp >= MIN_TRUE_PEAK && truePeakDbtp <= 0)) {
            throw new IllegalArgumentException("true peak " + truePeakDbtp + " dBTP: must be " + (int) MIN_TRUE_PEAK
                    + " to 0");
        }
        if (sampleRate != 0 && (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz: must be " + MIN_SAMPLE_RATE
                    + " to " + MAX_SAMPLE_RATE);
        }
        if (timeReference < 0) {
            throw new IllegalArgumentException("timeReference " + timeReference + " is negative");
        }
    }

    /** A plain file of this format at the mix's rate: no targets, no description, from sample 0; 16 bits get TPDF dither. */
    public static DeliverySpec plain(Container container, SampleFormat sampleFormat) {
        return new DeliverySpec(container, sampleFormat, defaultDither(sampleFormat), Double.NaN, Double.NaN, "", 0, 0);
    }

    /** The dither used unless another is asked for: TPDF when reducing to 16 bits, else none. */
    public static Dither.Kind defaultDither(SampleFormat sampleFormat) {
        return sampleFormat == SampleFormat.PCM_16 ? Dither.Kind.TPDF : Dither.Kind.NONE;
    }

    /** The same delivery placed at {@code position} on the session's timeline. */
    public DeliverySpec at(long position) {
        return new DeliverySpec(container, sampleFormat, dither, loudnessLufs, truePeakDbtp, description, position,
                sampleRate);
    }

    /** True when the mix is measured and processed before it is written: a loudness target or a ceiling. */
    public boolean mastered() {
        return !Double.isNaN(loudnessLufs) || !Double.isNaN(truePeakDbtp);
    }

    /** The true-peak ceiling the limiter holds: the one given, or {@value #DEFAULT_TRUE_PEAK} with a loudness target. */
    public double ceiling() {
        return Double.isNaN(truePeakDbtp) ? DEFAULT_TRUE_PEAK : truePeakDbtp;
    }
}
