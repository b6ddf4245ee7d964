package desk.engine.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import desk.engine.dsp.Decibels;
import org.junit.jupiter.api.Test;

class LoudnessTruePeakTest {

    @Test
    void interpolatorPhasesHaveUnityDcGainAndMirrorEachOther() {
        for (int p = 0; p < 4; p++) {
            double sum = 0;
            for (int k = 0; k < 12; k++) {
                sum += TruePeakMeter.PHASES[p][k];
                assertEquals(TruePeakMeter.PHASES[p][k], TruePeakMeter.PHASES[3 - p][11 - k], 0.0);
            }
            assertEquals(1.0, sum, 0.03, "phase " + p); // the published table ripples by ~0.25 dB
        }
    }

    @Test
    void oversamplingFactorByRate() {
        assertEquals(4, new TruePeakMeter(44100, 1).oversampling());
        assertEquals(4, new TruePeakMeter(48000, 1).oversampling());
        assertEquals(2, new TruePeakMeter(88200, 1).oversampling());
        assertEquals(2, new TruePeakMeter(96000, 1).oversampling());
        assertEquals(1, new TruePeakMeter(192000, 1).oversampling());
    }

    @Test
    void quarterRateSineAt45DegreesShowsIntersamplePeak() {
        // fs/4 sine sampled at +-45 degrees: samples at 0.7071 of the true amplitude (-3 dB intersample)
        int n = 4800;
        float[][] s = new float[1][n];
        for (int i = 0; i < n; i++) {
            s[0][i] = (float) (0.5 * Math.sin(Math.PI / 2 * i + Math.PI / 4));
        }
        TruePeakMeter m = new TruePeakMeter(48000, 1);
        for (int off = 0; off < n; off += 100) {
            m.add(s, off, Math.min(100, n - off));
        }
        double samplePeak = Decibels.fromGain(0.5 * Math.sqrt(0.5));
        assertTrue(m.maxTruePeakDbtp() > samplePeak + 2.5, "true peak " + m.maxTruePeakDbtp());
        assertEquals(Decibels.fromGain(0.5), m.maxTruePeakDbtp(), 0.4);
    }

    @Test
    void neverBelowSamplePeakAndResets() {
        float[][] s = {{0f, 0.25f, 0f, 0f}, {0f, 0f, -0.5f, 0f}};
        TruePeakMeter m = new TruePeakMeter(192000, 2);
        m.add(s, 0, 4);
        assertEquals(Decibels.fromGain(0.5), m.maxTruePeakDbtp(), 1e-9);
        m.reset();
        assertEquals(Double.NEGATIVE_INFINITY, m.maxTruePeakDbtp());
        TruePeakMeter four = new TruePeakMeter(48000, 2);
        four.add(s, 0, 4);
        assertTrue(four.maxTruePeakDbtp() >= Decibels.fromGain(0.5));
    }

    /** The Annex 2 interpolation done plainly, sample by sample in double precision: the reference. */
    private static double referenceTruePeak(float[] x, int factor) {
        double peak = 0;
        for (int n = 0; n < x.length; n++) {
            peak = Math.max(peak, Math.abs(x[n]));
            for (int p = 0; p < 4; p += 4 / factor) {
                double y = 0;
                for (int k = 0; k < 12; k++) {
                    y += n - k >= 0 ? TruePeakMeter.PHASES[p][k] * x[n - k] : 0;
                }
                peak = Math.max(peak, Math.abs(y));
            }
        }
        return peak;
    }

    @Test
    void quietPassagesSkippedAfterALoudOneLeaveTheReadingExact() {
        int n = 48000;
        float[][] s = new float[1][n];
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < n; i++) {
            double amplitude = i < 4000 ? 0.5 : (i < 40000 ? 0.05 + 0.2 * (i % 7000) / 7000.0 : 0.8);
            s[0][i] = (float) (amplitude * Math.sin(Math.PI / 2 * i + Math.PI / 4) + 0.01 * random.nextGaussian());
        }
        for (int rate : new int[] {48000, 96000}) {
            TruePeakMeter m = new TruePeakMeter(rate, 1);
            boolean checkedQuiet = false;
            for (int off = 0; off < n; ) {
                int block = Math.min(1 + random.nextInt(700), n - off);
                m.add(s, off, block);
                off += block;
                if ((off >= 30000 && !checkedQuiet) || off == n) {
                    checkedQuiet = true;
                    assertEquals(referenceTruePeak(java.util.Arrays.copyOf(s[0], off), m.oversampling()),
                            m.maxTruePeak(), 1e-6, rate + " Hz after " + off + " samples");
                }
            }
        }
    }
}
