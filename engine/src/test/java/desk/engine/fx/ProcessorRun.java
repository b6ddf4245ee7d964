package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.Random;

/**
 * Test support: runs signals through a processor as a strip's chain would, in blocks of random length, and
 * makes the signals tests measure.
 */
final class ProcessorRun {
    private ProcessorRun() {
    }

    /** A new processor of {@code type} with its defaults, {@code name=value} pairs changed. */
    static Processor create(ProcessorType type, int sampleRate, int channels, Object... settings) {
        double[] values = type.initialValues();
        for (int i = 0; i < settings.length; i += 2) {
            int index = type.indexOf((String) settings[i]);
            if (index < 0) {
                throw new IllegalArgumentException(type.name() + " has no " + settings[i]);
            }
            values[index] = ((Number) settings[i + 1]).doubleValue();
        }
        return type.create(sampleRate, channels, values);
    }

    /**
     * Processes {@code signal} (channels of equal length, changed in place) in blocks of 1 to
     * {@link Limits#MAX_BLOCK} frames drawn from {@code seed}; {@code key} (or null) is cut alongside.
     */
    static void process(Processor processor, float[][] signal, float[][] key, long seed) {
        Random random = new Random(seed);
        int channels = signal.length;
        float[][] block = new float[channels][Limits.MAX_BLOCK];
        float[][] keyBlock = key == null ? null : new float[key.length][Limits.MAX_BLOCK];
        int length = signal[0].length;
        int done = 0;
        while (done < length) {
            int frames = Math.min(length - done, 1 + random.nextInt(random.nextBoolean() ? 128 : Limits.MAX_BLOCK));
            for (int c = 0; c < channels; c++) {
                System.arraycopy(signal[c], done, block[c], 0, frames);
            }
            if (key != null) {
                for (int c = 0; c < key.length; c++) {
                    System.arraycopy(key[c], done, keyBlock[c], 0, frames);
                }
            }
            processor.rtProcess(block, frames, keyBlock);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(block[c], 0, signal[c], done, frames);
            }
            done += frames;
        }
    }

    /** {@code channels} copies of a sine of {@code frequency} Hz at {@code amplitude}, {@code frames} long. */
    static float[][] sine(int channels, double frequency, double amplitude, int sampleRate, int frames) {
        float[][] signal = new float[channels][frames];
        for (int i = 0; i < frames; i++) {
            float x = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate));
            for (int c = 0; c < channels; c++) {
                signal[c][i] = x;
            }
        }
        return signal;
    }

    /** The RMS of {@code x[from..to)}. */
    static double rms(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** The largest magnitude in {@code x[from..to)}. */
    static double peak(float[] x, int from, int to) {
        double peak = 0;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        return peak;
    }

    /** {@code gain} in dB. */
    static double db(double gain) {
        return 20 * Math.log10(gain);
    }
}
