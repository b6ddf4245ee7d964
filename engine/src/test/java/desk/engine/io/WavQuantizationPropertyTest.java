package desk.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class WavQuantizationPropertyTest {

    @Property
    void quantizationErrorIsAtMostHalfAStep(@ForAll("fullScale") float sample, @ForAll("pcmBits") int bits) {
        double step = 1.0 / (1L << (bits - 1));
        int quantized = WavWriter.quantize(sample, bits);
        double clamped = Math.min(sample, 1.0 - step);

        assertTrue(Math.abs(quantized * step - clamped) <= step / 2, () -> sample + " -> " + quantized);
    }

    @Property
    void quantizationIsMonotonic(@ForAll("anySample") float a, @ForAll("anySample") float b,
                                 @ForAll("pcmBits") int bits) {
        float low = Math.min(a, b);
        float high = Math.max(a, b);
        if (!Float.isNaN(low)) {
            assertTrue(WavWriter.quantize(low, bits) <= WavWriter.quantize(high, bits));
        }
    }

    @Property
    void quantizationIsSymmetricBelowFullScale(@ForAll("fullScale") float sample, @ForAll("pcmBits") int bits) {
        double maxBelowClip = ((1L << (bits - 1)) - 1.5) / (1L << (bits - 1));
        if (Math.abs(sample) <= maxBelowClip) {
            assertEquals(-WavWriter.quantize(sample, bits), WavWriter.quantize(-sample, bits));
        }
    }

    @Property(tries = 200)
    void float32FilesHoldAnyNormalFloatExactly(@ForAll("normalFloats") float[] samples)
            throws IOException {
        AudioFile read = writeAndRead(SampleFormat.FLOAT_32, samples);

        assertArrayEquals(samples, read.samples()[0]);
    }

    @Property(tries = 200)
    void pcmFilesReadBackTheQuantizedValue(@ForAll("anySamples") float[] samples,
                                           @ForAll @IntRange(min = 0, max = 1) int formatIndex)
            throws IOException {
        SampleFormat format = formatIndex == 0 ? SampleFormat.PCM_16 : SampleFormat.PCM_24;
        int bits = format.bitsPerSample();

        AudioFile read = writeAndRead(format, samples);

        for (int i = 0; i < samples.length; i++) {
            float expected = WavWriter.quantize(samples[i], bits) / (float) (1L << (bits - 1));
            assertEquals(expected, read.samples()[0][i], "sample " + i + " = " + samples[i]);
        }
    }

    @Provide
    Arbitrary<Integer> pcmBits() {
        return Arbitraries.of(16, 24);
    }

    /** Samples in -1..1: arbitrary decimals, and exact ties halfway between two 24-bit steps. */
    @Provide
    Arbitrary<Float> fullScale() {
        Arbitrary<Float> decimals = Arbitraries.floats().between(-1f, 1f).ofScale(9)
                .edgeCases(edges -> edges.add(0.5f / 32768, -0.5f / 32768, Math.nextDown(1f)));
        Arbitrary<Float> ties = Arbitraries.integers().between(-(1 << 23), (1 << 23) - 1)
                .map(step -> (float) ((step + 0.5) / (1 << 23)));
        return Arbitraries.oneOf(decimals, ties);
    }

    @Provide
    Arbitrary<Float> anySample() {
        return Arbitraries.oneOf(fullScale(), Arbitraries.floats().between(-4f, 4f).ofScale(9)
                .withSpecialValue(Float.NaN)
                .withSpecialValue(Float.POSITIVE_INFINITY)
                .withSpecialValue(Float.NEGATIVE_INFINITY));
    }

    @Provide
    Arbitrary<float[]> anySamples() {
        return anySample().array(float[].class).ofMaxSize(300);
    }

    /** Any finite, normal float of either sign, by its bit pattern. */
    @Provide
    Arbitrary<float[]> normalFloats() {
        Arbitrary<Float> normal = Combinators.combine(
                        Arbitraries.integers().between(0x0080_0000, 0x7F7F_FFFF), Arbitraries.of(false, true))
                .as((magnitude, negative) -> Float.intBitsToFloat(negative ? magnitude | 0x8000_0000 : magnitude));
        return normal.array(float[].class).ofMaxSize(300);
    }

    private static AudioFile writeAndRead(SampleFormat format, float[] samples) throws IOException {
        Path file = Files.createTempFile("desk-property-", ".wav");
        try {
            try (WavWriter writer = WavWriter.create(file, 48_000, 1, format)) {
                writer.write(new float[][] {samples}, 0, samples.length);
            }
            return WavReader.read(file);
        } finally {
            Files.delete(file);
        }
    }
}
