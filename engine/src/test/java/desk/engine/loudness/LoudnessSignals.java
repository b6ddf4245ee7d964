package desk.engine.loudness;

/** Test signal helpers: sines and segment sequences. */
final class LoudnessSignals {
    private LoudnessSignals() {
    }

    /** Stereo (or n-channel) sine segments: levels in dBFS peak, durations in seconds, phase continuous. */
    static float[][] sineSegments(int rate, int channels, double freq, double[] levelsDb, double[] seconds) {
        int total = 0;
        for (double s : seconds) {
            total += (int) Math.round(s * rate);
        }
        float[][] out = new float[channels][total];
        int pos = 0;
        for (int seg = 0; seg < levelsDb.length; seg++) {
            double amp = Math.pow(10.0, levelsDb[seg] / 20.0);
            int n = (int) Math.round(seconds[seg] * rate);
            for (int i = 0; i < n; i++, pos++) {
                float v = (float) (amp * Math.sin(2.0 * Math.PI * freq * pos / rate));
                for (int c = 0; c < channels; c++) {
                    out[c][pos] = v;
                }
            }
        }
        return out;
    }

    static LoudnessMeter meter(int rate, float[][] samples, int block) {
        LoudnessMeter m = new LoudnessMeter(rate, samples.length);
        int frames = samples[0].length;
        for (int off = 0; off < frames; off += block) {
            m.add(samples, off, Math.min(block, frames - off));
        }
        return m;
    }
}
