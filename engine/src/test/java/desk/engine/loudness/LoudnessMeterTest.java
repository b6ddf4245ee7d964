package desk.engine.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoudnessMeterTest {

    @Test
    void derivedCoefficientsAt48kMatchNormative() {
        KWeighting d = KWeighting.forSampleRate(48000);
        KWeighting n = KWeighting.normative48k();
        for (int i = 0; i < 3; i++) {
            assertEquals(n.shelfB()[i], d.shelfB()[i], 1e-8, "shelf b" + i);
            assertEquals(n.highPassB()[i], d.highPassB()[i], 1e-8, "high-pass b" + i);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(n.shelfA()[i], d.shelfA()[i], 1e-8, "shelf a" + (i + 1));
            assertEquals(n.highPassA()[i], d.highPassA()[i], 1e-8, "high-pass a" + (i + 1));
        }
    }

    @Test
    void fullScale997HzInOneChannelReadsMinus3Point01() {
        for (int channels : new int[] {1, 2, 5}) {
            float[][] s = new float[channels][];
            float[][] sine = LoudnessSignals.sineSegments(48000, 1, 997, new double[] {0}, new double[] {10});
            for (int c = 0; c < channels; c++) {
                s[c] = c == 0 ? sine[0] : new float[sine[0].length];
            }
            LoudnessMeter m = LoudnessSignals.meter(48000, s, 1000);
            assertEquals(-3.01, m.integratedLufs(), 0.01, channels + " channels, integrated");
            assertEquals(-3.01, m.momentaryLufs(), 0.01, channels + " channels, momentary");
            assertEquals(-3.01, m.shortTermLufs(), 0.01, channels + " channels, short-term");
        }
    }

    @Test
    void surroundWeightsAndLfeExclusion() {
        float[] sine = LoudnessSignals.sineSegments(48000, 1, 997, new double[] {0}, new double[] {5})[0];
        float[] zero = new float[sine.length];
        // 5.1: sine only in LFE reads silence; in Ls reads +1.49 dB (10 log10 1.41) louder than in L
        LoudnessMeter lfe = LoudnessSignals.meter(48000, new float[][] {zero, zero, zero, sine, zero, zero}, 512);
        assertEquals(Double.NEGATIVE_INFINITY, lfe.integratedLufs());
        LoudnessMeter ls = LoudnessSignals.meter(48000, new float[][] {zero, zero, zero, zero, sine, zero}, 512);
        assertEquals(-3.01 + 10 * Math.log10(1.41), ls.integratedLufs(), 0.01);
    }

    @Test
    void silenceReadsNegativeInfinity() {
        LoudnessMeter m = LoudnessSignals.meter(48000, new float[2][48000 * 5], 777);
        assertEquals(Double.NEGATIVE_INFINITY, m.momentaryLufs());
        assertEquals(Double.NEGATIVE_INFINITY, m.shortTermLufs());
        assertEquals(Double.NEGATIVE_INFINITY, m.integratedLufs());
        assertEquals(Double.NEGATIVE_INFINITY, m.maxMomentaryLufs());
        assertEquals(Double.NEGATIVE_INFINITY, m.maxShortTermLufs());
        assertEquals(Double.NEGATIVE_INFINITY, new LoudnessMeter(48000, 2).integratedLufs());
    }

    @Test
    void resetForgetsEverything() {
        float[][] s = LoudnessSignals.sineSegments(48000, 2, 1000, new double[] {-20}, new double[] {5});
        LoudnessMeter m = LoudnessSignals.meter(48000, s, 4096);
        m.reset();
        assertEquals(Double.NEGATIVE_INFINITY, m.integratedLufs());
        assertEquals(Double.NEGATIVE_INFINITY, m.maxMomentaryLufs());
        assertEquals(0.0, m.loudnessRangeLu());
        m.add(s, 0, s[0].length);
        assertEquals(-20.0, m.integratedLufs(), 0.05);
    }

    @Test
    void sampleRate44k1ReadsLikeSampleRate48k() {
        double[] level = {-20};
        double[] secs = {10};
        double at48 = LoudnessSignals.meter(48000,
                LoudnessSignals.sineSegments(48000, 2, 1000, level, secs), 4096).integratedLufs();
        double at44 = LoudnessSignals.meter(44100,
                LoudnessSignals.sineSegments(44100, 2, 1000, level, secs), 4096).integratedLufs();
        assertEquals(at48, at44, 0.05);
        assertEquals(-20.0, at48, 0.1);
    }

    /** EBU Tech 3341 cases 3, 4 and 5: stereo 1 kHz segments, integrated -23.0 +-0.1 LUFS. */
    @ParameterizedTest(name = "Tech 3341 case {0}")
    @CsvSource(delimiter = '|', value = {
        "3 | -36 -23 -36 | 10 60 10",
        "4 | -72 -36 -23 -36 -72 | 10 10 60 10 10",
        "5 | -26 -20 -26 | 20 20.1 20",
    })
    void tech3341SynthesisedIntegrated(int caseNumber, String levels, String seconds) {
        float[][] s = LoudnessSignals.sineSegments(48000, 2, 1000, parse(levels), parse(seconds));
        LoudnessMeter m = LoudnessSignals.meter(48000, s, 4096);
        assertEquals(-23.0, m.integratedLufs(), 0.1, "case " + caseNumber);
    }

    /** EBU Tech 3342 cases 1-4: loudness range +-1 LU. */
    @ParameterizedTest(name = "Tech 3342 case {0}")
    @CsvSource(delimiter = '|', value = {
        "1 | -20 -30 | 20 20 | 10",
        "2 | -20 -15 | 20 20 | 5",
        "3 | -40 -20 | 20 20 | 20",
        "4 | -50 -35 -20 -35 -50 | 20 20 20 20 20 | 15",
    })
    void tech3342SynthesisedRange(int caseNumber, String levels, String seconds, double expected) {
        float[][] s = LoudnessSignals.sineSegments(48000, 2, 1000, parse(levels), parse(seconds));
        LoudnessMeter m = LoudnessSignals.meter(48000, s, 4096);
        assertEquals(expected, m.loudnessRangeLu(), 1.0, "case " + caseNumber);
    }

    private static double[] parse(String list) {
        String[] parts = list.trim().split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    @Test
    void addAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM measures allocation per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        float[][] s = LoudnessSignals.sineSegments(48000, 6, 1000, new double[] {-20}, new double[] {1});
        LoudnessMeter loudness = new LoudnessMeter(48000, 6);
        TruePeakMeter peak = new TruePeakMeter(48000, 6);
        feed(loudness, peak, s, 50_000);
        long before = threads.getCurrentThreadAllocatedBytes();
        feed(loudness, peak, s, 1_000);
        long after = threads.getCurrentThreadAllocatedBytes();
        // the reading calls are allocation-free too
        double sink = loudness.integratedLufs() + loudness.loudnessRangeLu() + peak.maxTruePeakDbtp();
        long afterReadings = threads.getCurrentThreadAllocatedBytes();
        assertEquals(0, after - before, "bytes allocated by 1,000 add() calls");
        assertEquals(0, afterReadings - after, "bytes allocated by readings");
        assertTrue(sink > Double.NEGATIVE_INFINITY);
    }

    /** Many short calls with varying lengths (1..300 frames), crossing sub-block boundaries. */
    private static void feed(LoudnessMeter loudness, TruePeakMeter peak, float[][] s, int calls) {
        int frames = s[0].length;
        int off = 0;
        for (int i = 0; i < calls; i++) {
            int n = 1 + (i * 37) % 300;
            if (off + n > frames) {
                off = 0;
            }
            loudness.add(s, off, n);
            peak.add(s, off, n);
            off += n;
        }
    }
}
