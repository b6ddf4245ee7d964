package desk.engine.fx;

/**
 * Test support: the decay time of an impulse response, by Schroeder's backward integration of its energy
 * over all channels, a least-squares line fitted to the energy decay curve from -5 to -35 dB and extrapolated
 * to -60 dB (the T30 of ISO 3382).
 */
final class Rt60 {
    private Rt60() {
    }

    /** The RT60 in seconds of {@code response} (channels summed in energy). */
    static double fromImpulseResponse(float[][] response, int sampleRate) {
        int frames = response[0].length;
        double[] remaining = new double[frames + 1];
        for (int i = frames - 1; i >= 0; i--) {
            double energy = 0;
            for (float[] channel : response) {
                energy += (double) channel[i] * channel[i];
            }
            remaining[i] = remaining[i + 1] + energy;
        }
        double total = remaining[0];
        double sumT = 0;
        double sumL = 0;
        double sumTT = 0;
        double sumTL = 0;
        int count = 0;
        for (int i = 0; i < frames; i++) {
            double level = 10 * Math.log10(remaining[i] / total);
            if (level > -5) {
                continue;
            }
            if (level < -35) {
                break;
            }
            double t = (double) i / sampleRate;
            sumT += t;
            sumL += level;
            sumTT += t * t;
            sumTL += t * level;
            count++;
        }
        if (count < 2 || 10 * Math.log10(remaining[frames - 1] / total) > -35) {
            throw new IllegalArgumentException("the response does not decay by 35 dB");
        }
        double slope = (count * sumTL - sumT * sumL) / (count * sumTT - sumT * sumT);
        return -60 / slope;
    }

    /** {@code response} through a band-pass biquad (a third of an octave wide) centred on {@code hertz}. */
    static float[][] bandPassed(float[][] response, int sampleRate, double hertz) {
        double w = 2 * Math.PI * hertz / sampleRate;
        double q = 4.32;
        double alpha = Math.sin(w) / (2 * q);
        double a0 = 1 + alpha;
        double b0 = alpha / a0;
        double b2 = -alpha / a0;
        double a1 = -2 * Math.cos(w) / a0;
        double a2 = (1 - alpha) / a0;
        float[][] out = new float[response.length][response[0].length];
        for (int c = 0; c < response.length; c++) {
            double x1 = 0;
            double x2 = 0;
            double y1 = 0;
            double y2 = 0;
            for (int i = 0; i < response[c].length; i++) {
                double x = response[c][i];
                double y = b0 * x + b2 * x2 - a1 * y1 - a2 * y2;
                x2 = x1;
                x1 = x;
                y2 = y1;
                y1 = y;
                out[c][i] = (float) y;
            }
        }
        return out;
    }
}
