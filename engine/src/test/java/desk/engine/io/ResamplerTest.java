package desk.engine.io;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sample-rate conversion against the analytic answer: a 997 Hz tone converted from one rate to another is the
 * same tone sampled at the new rate, starting on the same instant, to within -110 dBFS away from the ends, and
 * the file is as long as the input at the new rate.
 */
class ResamplerTest {
    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0} Hz to {1} Hz")
    @CsvSource({"48000, 44100", "44100, 48000", "44100, 96000", "96000, 48000"})
    void aToneComesOutTheSameToneAtTheNewRate(int from, int to) throws Exception {
        double hertz = 997;
        int frames = 2 * from;
        Path file = folder.resolve(from + "-" + to + ".wav");
        try (Resampler resampler = Resampler.create(WavWriter.create(file, to, 2, SampleFormat.FLOAT_32), from, to, 2)) {
            float[][] block = new float[2][1000];
            for (int done = 0; done < frames; done += 1000) {
                int count = Math.min(1000, frames - done);
                for (int i = 0; i < count; i++) {
                    block[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * hertz * (done + i) / from));
                    block[1][i] = -block[0][i];
                }
                resampler.write(block, 0, count);
            }
        }
        AudioFile out = WavReader.read(file);
        assertEquals(to, out.sampleRate());
        assertEquals(2 * to, out.frames(), "as long as the input");
        double worst = 0;
        for (int i = to / 10; i < out.frames() - to / 10; i++) {
            double expected = 0.5 * Math.sin(2 * Math.PI * hertz * i / to);
            worst = Math.max(worst, Math.abs(out.samples()[0][i] - expected));
            worst = Math.max(worst, Math.abs(out.samples()[1][i] + expected));
        }
        assertTrue(20 * Math.log10(worst) < -110, "the largest error is " + 20 * Math.log10(worst) + " dBFS");
    }
}
