package desk.engine.fx;

import desk.engine.loudness.TruePeakMeter;

import java.util.Random;

/** Test support for the time and dynamics inserts: seeded noises, impulses, copies and measurements. */
final class FxSignals {
    private static final int PINK_ROWS = 16;

    private FxSignals() {
    }

    /**
     * Pink noise by the Voss-McCartney method (sixteen rows of white noise, row r renewed every 2^r samples),
     * independent per channel, scaled so the largest sample over all channels has magnitude {@code peak}.
     */
    static float[][] pinkNoise(int channels, int frames, double peak, long seed) {
        Random random = new Random(seed);
        double[][] raw = new double[channels][frames];
        double largest = 0;
        for (int c = 0; c < channels; c++) {
            double[] rows = new double[PINK_ROWS];
            double sum = 0;
            for (int r = 0; r < PINK_ROWS; r++) {
                rows[r] = random.nextGaussian();
                sum += rows[r];
            }
            for (int i = 0; i < frames; i++) {
                int row = Integer.numberOfTrailingZeros(i + 1);
                if (row < PINK_ROWS) {
                    sum += -rows[row] + (rows[row] = random.nextGaussian());
                }
                raw[c][i] = sum + random.nextGaussian();
                largest = Math.max(largest, Math.abs(raw[c][i]));
            }
        }
        float[][] out = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                out[c][i] = (float) (raw[c][i] * peak / largest);
            }
        }
        return out;
    }

    /** {@code channels} channels of silence with {@code amplitude} at frame {@code at}. */
    static float[][] impulse(int channels, int frames, int at, float amplitude) {
        float[][] out = new float[channels][frames];
        for (float[] channel : out) {
            channel[at] = amplitude;
        }
        return out;
    }

    /** A deep copy. */
    static float[][] copy(float[][] signal) {
        float[][] out = new float[signal.length][];
        for (int c = 0; c < signal.length; c++) {
            out[c] = signal[c].clone();
        }
        return out;
    }

    /** {@code gain} in dB of every sample. */
    static float[][] scaled(float[][] signal, double db) {
        float gain = (float) Math.pow(10, db / 20);
        float[][] out = copy(signal);
        for (float[] channel : out) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] *= gain;
            }
        }
        return out;
    }

    /** The true peak of {@code signal} in dBTP, as a BS.1770-4 meter reads it. */
    static double truePeakDbtp(float[][] signal, int sampleRate) {
        TruePeakMeter meter = new TruePeakMeter(sampleRate, signal.length);
        meter.add(signal, 0, signal[0].length);
        return meter.maxTruePeakDbtp();
    }
}
