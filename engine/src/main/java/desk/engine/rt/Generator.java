package desk.engine.rt;

import desk.engine.GeneratorSpec;
import desk.engine.GeneratorType;
import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.dsp.Decibels;

/**
 * A mono test-signal source (see {@link GeneratorType}). A sine or square takes each sample's phase from its
 * engine sample position alone, so it is the same at any block size and start, and engines that share a
 * clock (see {@link NodeClock}) render the same samples. Noise is a counter-based hash of the seed and the
 * engine sample position, so it is the same at any block size, from any start, run after run, and its inner
 * loop vectorises. Pink noise filters that white noise with Paul Kellet's refined filter, normalised
 * exactly to the requested RMS level.
 * <p>
 * Threads: constructed on the control thread; rendered on the audio thread only.
 */
public final class Generator extends Source {
    private static final float UNIFORM_SCALE = 1.0f / (1 << 23);
    private static final double[] PINK_POLES = {0.99886, 0.99332, 0.96900, 0.86650, 0.55000, -0.7616};
    private static final double[] PINK_GAINS = {0.0555179, 0.0750759, 0.1538520, 0.3104856, 0.5329522, -0.0168980};
    private static final double PINK_DIRECT = 0.5362;
    private static final double PINK_DELAYED = 0.115926;
    private static final double PINK_POWER = pinkPowerForUnitWhite();
    private static final int[] IOTA = iota(Limits.MAX_BLOCK);

    private final GeneratorSpec spec;
    private final GeneratorType type;
    private final float amplitude;
    private final double phaseIncrement;
    private final int seedMix;
    private final double[] pinkState = new double[PINK_POLES.length];
    private double pinkPreviousWhite;
    private final float[] white = new float[Limits.MAX_BLOCK];

    public Generator(int id, GeneratorSpec spec, int sampleRate) {
        super(id, 1, Limits.MAX_BLOCK);
        this.spec = spec;
        this.type = spec.type();
        double gain = Decibels.toGain(spec.levelDb());
        if (spec.type() == GeneratorType.NOISE) {
            double uniformRms = 1.0 / Math.sqrt(3.0);
            gain = spec.pink() ? gain / (uniformRms * Math.sqrt(PINK_POWER)) : gain / uniformRms;
        }
        this.amplitude = (float) gain;
        this.phaseIncrement = spec.frequency() / sampleRate;
        this.seedMix = mix((int) spec.seed() ^ (int) (spec.seed() >>> 32) ^ 0x5bd1e995);
    }

    GeneratorSpec spec() {
        return spec;
    }

    @Override
    @RealTime
    protected void rtRender(float[][] out, ProcessContext context, int length) {
        float[] x = out[0];
        if (type == GeneratorType.SINE) {
            rtSine(x, context.position, length);
        } else if (type == GeneratorType.SQUARE) {
            rtSquare(x, context.position, length);
        } else if (type == GeneratorType.NOISE) {
            rtNoise(x, context.position, length);
        } else if (type == GeneratorType.IMPULSE) {
            rtImpulse(x, context.position, length);
        } else {
            java.util.Arrays.fill(x, 0, length, 0f);
        }
    }

    /** Each sample's phase from its engine position alone, so the sine is the same at any block size and start. */
    @RealTime
    private void rtSine(float[] x, long position, int length) {
        double increment = phaseIncrement;
        for (int i = 0; i < length; i++) {
            double p = (position + i) * increment;
            x[i] = amplitude * (float) Math.sin(2.0 * Math.PI * (p - Math.floor(p)));
        }
    }

    @RealTime
    private void rtSquare(float[] x, long position, int length) {
        double increment = phaseIncrement;
        for (int i = 0; i < length; i++) {
            double p = (position + i) * increment;
            x[i] = p - Math.floor(p) < 0.5 ? amplitude : -amplitude;
        }
    }

    @RealTime
    private void rtNoise(float[] x, long position, int length) {
        float[] target = spec.pink() ? white : x;
        float scale = spec.pink() ? UNIFORM_SCALE : UNIFORM_SCALE * amplitude;
        int start = (int) position;
        int seed = seedMix;
        int[] iota = IOTA;
        for (int i = 0; i < length; i++) {
            int h = (iota[i] + start) ^ seed;
            h ^= h >>> 16;
            h *= 0x7feb352d;
            h ^= h >>> 15;
            h *= 0x846ca68b;
            h ^= h >>> 16;
            target[i] = (h >> 8) * scale;
        }
        if (spec.pink()) {
            rtPink(x, length);
        }
    }

    @RealTime
    private void rtPink(float[] x, int length) {
        double[] s = pinkState;
        double previous = pinkPreviousWhite;
        for (int i = 0; i < length; i++) {
            double w = white[i];
            double sum = 0.0;
            for (int k = 0; k < PINK_POLES.length; k++) {
                s[k] = PINK_POLES[k] * s[k] + PINK_GAINS[k] * w;
                sum += s[k];
            }
            x[i] = amplitude * (float) (sum + PINK_DIRECT * w + PINK_DELAYED * previous);
            previous = w;
        }
        pinkPreviousWhite = previous;
    }

    @RealTime
    private void rtImpulse(float[] x, long position, int length) {
        java.util.Arrays.fill(x, 0, length, 0f);
        long first = spec.impulseAt();
        long interval = spec.impulseInterval();
        long end = position + length;
        if (end <= first) {
            return;
        }
        long next;
        if (position <= first) {
            next = first;
        } else if (interval > 0) {
            long periods = (position - first + interval - 1) / interval;
            next = first + periods * interval;
        } else {
            return;
        }
        while (next < end) {
            x[(int) (next - position)] = amplitude;
            if (interval <= 0) {
                break;
            }
            next += interval;
        }
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int[] iota(int length) {
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = i;
        }
        return values;
    }

    /** Output power of the pink filter for white input of unit power: the sum of its squared impulse response. */
    private static double pinkPowerForUnitWhite() {
        double power = 0.0;
        double[] decay = PINK_GAINS.clone();
        for (int n = 0; n < 200_000; n++) {
            double h = 0.0;
            for (int k = 0; k < decay.length; k++) {
                h += decay[k];
                decay[k] *= PINK_POLES[k];
            }
            if (n == 0) {
                h += PINK_DIRECT;
            } else if (n == 1) {
                h += PINK_DELAYED;
            }
            power += h * h;
        }
        return power;
    }
}
