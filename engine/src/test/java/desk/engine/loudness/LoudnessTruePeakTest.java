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
}
