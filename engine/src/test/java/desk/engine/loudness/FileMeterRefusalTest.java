package desk.engine.loudness;

import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code desk meter} refuses a file with NaN or infinite samples, naming how many and where the first is. */
class FileMeterRefusalTest {
    @TempDir
    Path folder;

    @Test
    void nanAndInfiniteSamplesAreCountedAndTheFirstIsNamed() throws IOException {
        Path file = folder.resolve("nan.wav");
        float[][] samples = {new float[100], new float[100]};
        samples[1][7] = Float.NaN;
        samples[0][40] = Float.NEGATIVE_INFINITY;
        try (WavWriter writer = WavWriter.create(file, 48_000, 2, SampleFormat.FLOAT_32)) {
            writer.write(samples, 0, 100);
        }

        IOException refusal = assertThrows(IOException.class, () -> FileMeter.measure(file));

        assertEquals(file + ": 2 samples are NaN or infinite (the first at frame 7 of channel 2); Desk measures only"
                + " files of finite samples", refusal.getMessage());
    }
}
