package desk.engine.delivery;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What a delivery wrote and measured: the file, its length, the gain and limiting applied to meet the targets,
 * and the readings of the delivered audio (Desk's meters on the samples written, before they were reduced to
 * the file's bits).
 * <p>
 * Threads: immutable once made; any thread.
 *
 * @param file               the file written
 * @param spec               how it was delivered
 * @param sampleRate         its sample rate
 * @param frames             its length in frames
 * @param gainDb             the gain applied before the limiter, dB (0 without a loudness target)
 * @param limiterReductionDb the deepest gain reduction of the limiter, dB (0 when it never acted or did not run)
 * @param passes             the measuring passes over the mix the loudness target took (0 without one)
 * @param integratedLufs     integrated loudness, LUFS
 * @param loudnessRangeLu    loudness range, LU
 * @param truePeakDbtp       highest true peak, dBTP
 * @param samplePeakDbfs     highest sample, dBFS
 * @param maxMomentaryLufs   highest momentary loudness, LUFS
 * @param maxShortTermLufs   highest short-term loudness, LUFS
 * @param history            the loudness over time
 */
public record DeliveryReport(Path file, DeliverySpec spec, int sampleRate, long frames, double gainDb,
                             double limiterReductionDb, int passes, double integratedLufs, double loudnessRangeLu,
                             double truePeakDbtp, double samplePeakDbfs, double maxMomentaryLufs,
                             double maxShortTermLufs, LoudnessHistory history) {
    /** Seconds of audio in the file. */
    public double seconds() {
        return (double) frames / sampleRate;
    }

    /** One line: the file and its readings, and the targets with what it took to meet them. */
    public String summary() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %s %s, %.3f s, integrated %s LUFS,"
                        + " true peak %s dBTP, loudness range %s LU", file, spec.container().label(),
                bits(), seconds(), number(integratedLufs), number(truePeakDbtp), number(loudnessRangeLu)));
        if (!Double.isNaN(spec.loudnessLufs())) {
            line.append(String.format(Locale.ROOT, " (target %.1f LUFS under %.1f dBTP: gain %+.2f dB, %s)",
                    spec.loudnessLufs(), spec.ceiling(), gainDb, limiter()));
        } else if (spec.mastered()) {
            line.append(String.format(Locale.ROOT, " (ceiling %.1f dBTP: %s)", spec.ceiling(), limiter()));
        }
        return line.toString();
    }

    /** The {@link #summary()}. */
    @Override
    public String toString() {
        return summary();
    }

    /** What the limiter did, in words. */
    private String limiter() {
        return limiterReductionDb < 0.005 ? "the limiter never acted"
                : String.format(Locale.ROOT, "limiter down to %.2f dB", -limiterReductionDb);
    }

    private String bits() {
        String bits = spec.sampleFormat().isFloat() ? "32-bit float" : spec.sampleFormat().bitsPerSample() + "-bit";
        return spec.dither() == desk.engine.io.Dither.Kind.NONE ? bits : bits + " " + spec.dither().label() + " dither";
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "-inf";
    }
}
