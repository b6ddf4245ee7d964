package desk.engine.loudness;

import desk.engine.dsp.Decibels;
import desk.engine.io.AudioFile;
import desk.engine.io.WavReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Measures whole WAV files: sample peak, true peak, RMS and EBU R 128 loudness, feeding a
 * {@link LoudnessMeter} and a {@link TruePeakMeter} block by block.
 * <p>
 * Threads: not for the audio thread (it reads the file and allocates); any other thread, and calls may run
 * concurrently.
 */
public final class FileMeter {
    private static final int BLOCK = 4096;

    private FileMeter() {
    }

    /**
     * Reads {@code file} with {@link WavReader#read} and measures it; refuses a file with NaN or infinite
     * samples, naming how many and where the first is.
     *
     * @throws IOException if the file cannot be read or decoded, or holds samples that are not numbers
     */
    public static FileMeasurement measure(Path file) throws IOException {
        AudioFile audio = WavReader.read(file);
        refuseNonFinite(file, audio);
        return measure(audio);
    }

    private static void refuseNonFinite(Path file, AudioFile audio) throws IOException {
        long count = 0;
        int firstFrame = -1;
        int firstChannel = -1;
        float[][] samples = audio.samples();
        for (int c = 0; c < samples.length; c++) {
            for (int i = 0; i < samples[c].length; i++) {
                if (!Float.isFinite(samples[c][i])) {
                    count++;
                    if (firstFrame < 0 || i < firstFrame) {
                        firstFrame = i;
                        firstChannel = c;
                    }
                }
            }
        }
        if (count > 0) {
            throw new IOException(file + ": " + count + " sample" + (count == 1 ? " is" : "s are")
                    + " NaN or infinite (the first at frame " + firstFrame + " of channel " + (firstChannel + 1)
                    + "); Desk measures only files of finite samples");
        }
    }

    /** Measures an audio file already in memory. */
    public static FileMeasurement measure(AudioFile audio) {
        float[][] samples = audio.samples();
        int frames = audio.frames();
        LoudnessMeter loudness = new LoudnessMeter(audio.sampleRate(), audio.channels());
        TruePeakMeter truePeak = new TruePeakMeter(audio.sampleRate(), audio.channels());
        for (int offset = 0; offset < frames; offset += BLOCK) {
            int n = Math.min(BLOCK, frames - offset);
            loudness.add(samples, offset, n);
            truePeak.add(samples, offset, n);
        }
        double peak = 0.0;
        double loudestMeanSquare = 0.0;
        for (float[] channel : samples) {
            double sum = 0.0;
            for (float s : channel) {
                double a = Math.abs(s);
                if (a > peak) {
                    peak = a;
                }
                sum += (double) s * s;
            }
            if (frames > 0) {
                loudestMeanSquare = Math.max(loudestMeanSquare, sum / frames);
            }
        }
        return new FileMeasurement(Decibels.fromGain(peak), truePeak.maxTruePeakDbtp(),
                Decibels.fromPower(loudestMeanSquare), loudness.integratedLufs(), loudness.maxMomentaryLufs(),
                loudness.maxShortTermLufs(), loudness.loudnessRangeLu());
    }
}
