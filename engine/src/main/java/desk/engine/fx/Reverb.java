package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.Arrays;
import java.util.List;

/**
 * The reverb insert: an algorithmic reverb, a feedback delay network of sixteen delay lines mixed by a
 * Hadamard matrix (orthogonal, so the network loses energy only where the lines say). Line lengths are
 * distinct primes, hence mutually prime, spread geometrically from 25 to 95 ms at {@code size} 100 % and
 * scaled down to a fifth of that at 0 %; a change of size glides the lengths. Each line's gain makes a
 * pass through it lose {@code 60 * length / decay} dB, so the low-frequency decay time (RT60) is
 * {@code decay} whatever the size; a one-pole low-pass in each line shortens the decay at 5 kHz to
 * {@code 1 - 0.9 * damping} of it. The input waits {@code predelay} in a line of its own. The first channel
 * feeds the even lines and the second (or the first again, on a mono strip) the odd ones; even channels
 * hear the lines through one row of Hadamard signs and odd channels through another, orthogonal to it, so
 * even a mono input comes out as a decorrelated stereo tail. Mix is linear: dry times {@code 1 - mix}, the
 * reverb times {@code mix}.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class Reverb implements Processor {
    /** Its type: parameters {@code size}, {@code decay}, {@code damping}, {@code predelay}, {@code mix}. */
    public static final ProcessorType TYPE = new ProcessorType("reverb",
            "Algorithmic reverb: a sixteen-line feedback delay network with damping and predelay.",
            List.of(InsertParameter.number("size", "%", 0, 100, 50, "room size: the lengths of the delay lines"),
                    InsertParameter.number("decay", "s", 0.1, 20, 2, "time to decay by 60 dB (RT60)"),
                    InsertParameter.number("damping", "%", 0, 100, 50,
                            "how much faster high frequencies decay: 100 makes the RT60 at 5 kHz a tenth"),
                    InsertParameter.number("predelay", "ms", 0, 200, 10, "wait before the reverb starts"),
                    InsertParameter.number("mix", "%", 0, 100, 25, "share of the reverb in the output")),
            false, Reverb::new);

    private static final int SIZE = 0;
    private static final int DECAY = 1;
    private static final int DAMPING = 2;
    private static final int PREDELAY = 3;
    private static final int MIX = 4;
    private static final int LINES = 16;
    private static final double SHORTEST_MILLISECONDS = 25;
    private static final double LONGEST_MILLISECONDS = 95;
    private static final double SMALLEST_SCALE = 0.2;
    private static final double MAX_PREDELAY_MILLISECONDS = 200;
    private static final double DAMPING_HZ = 5000;
    /** Samples between updates of the lines' lengths, gains and filters; within them lengths move linearly. */
    private static final int CONTROL_PERIOD = 32;
    /** Time constant of the glides of size and predelay. */
    private static final double GLIDE_MILLISECONDS = 60;
    /** Hadamard row 1 and row 2 (signs): two orthogonal sets of output taps. */
    private static final float[] LEFT_TAPS = signs(1);
    private static final float[] RIGHT_TAPS = signs(2);
    /** 1 / sqrt(16): makes the butterflies orthonormal. */
    private static final float HADAMARD_SCALE = 0.25f;
    /** Added and taken away again on the way into the lines: flushes values far below hearing to zero. */
    private static final float DENORMAL_GUARD = 1e-18f;

    private final double[] target = new double[5];
    private int sampleRate;
    private int channels;
    private float[][] lines;
    private int lineMask;
    private int write;
    private final int[] wantedLengths = new int[LINES];
    private final double[] lengths = new double[LINES];
    private final double[] lengthSteps = new double[LINES];
    private final float[] lineGains = new float[LINES];
    private final float[] poles = new float[LINES];
    private final float[] filterStates = new float[LINES];
    private final float[] outputs = new float[LINES];
    private float[][] predelayLines;
    private int predelayMask;
    private int predelayWrite;
    private double predelay;
    private double predelayStep;
    private double glideCoefficient;
    private int controlLeft;
    private Glide mix;
    private volatile double tailSeconds;

    /** Row {@code row} of the 16 x 16 Sylvester Hadamard matrix: sign (-1)^popcount(row & column). */
    private static float[] signs(int row) {
        float[] signs = new float[LINES];
        for (int column = 0; column < LINES; column++) {
            signs[column] = Integer.bitCount(row & column) % 2 == 0 ? 1f : -1f;
        }
        return signs;
    }

    @Override
    public void prepare(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        int longest = (int) Math.ceil(LONGEST_MILLISECONDS * sampleRate / 1000) * 2 + 2;
        int size = Integer.highestOneBit(longest) * 2;
        lines = new float[LINES][size];
        lineMask = size - 1;
        int predelaySize = Integer.highestOneBit((int) Math.ceil(MAX_PREDELAY_MILLISECONDS * sampleRate / 1000) + 2) * 2;
        predelayLines = new float[Math.min(2, channels)][predelaySize];
        predelayMask = predelaySize - 1;
        glideCoefficient = 1 - Math.exp(-CONTROL_PERIOD * 1000 / (GLIDE_MILLISECONDS * sampleRate));
        mix = new Glide(Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000), 0);
    }

    /** The predelay, the longest line and the decay: until the tail is 60 dB down. */
    @Override
    public double tailSeconds() {
        return tailSeconds;
    }

    @Override
    @RealTime
    public void rtSet(int index, double value) {
        target[index] = value;
        if (index == SIZE) {
            rtChooseLengths();
        } else if (index == MIX) {
            mix.rtAim(value / 100);
        }
        double longest = LONGEST_MILLISECONDS * rtScale() / 1000;
        tailSeconds = target[PREDELAY] / 1000 + longest + target[DECAY];
        controlLeft = 0;
    }

    @RealTime
    private double rtScale() {
        return SMALLEST_SCALE + (1 - SMALLEST_SCALE) * target[SIZE] / 100;
    }

    /** The lines' lengths for the size set: distinct primes, each the first above its share of the spread. */
    @RealTime
    private void rtChooseLengths() {
        double scale = rtScale();
        int previous = 1;
        for (int line = 0; line < LINES; line++) {
            double milliseconds = SHORTEST_MILLISECONDS
                    * Math.pow(LONGEST_MILLISECONDS / SHORTEST_MILLISECONDS, line / (LINES - 1.0));
            int length = Math.max(previous + 1, (int) Math.round(milliseconds * scale * sampleRate / 1000));
            while (!rtIsPrime(length)) {
                length++;
            }
            wantedLengths[line] = length;
            previous = length;
        }
    }

    @RealTime
    private static boolean rtIsPrime(int n) {
        if (n < 2 || n % 2 == 0) {
            return n == 2;
        }
        for (int d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    @RealTime
    public void rtReset() {
        for (float[] line : lines) {
            Arrays.fill(line, 0f);
        }
        for (float[] line : predelayLines) {
            Arrays.fill(line, 0f);
        }
        for (int line = 0; line < LINES; line++) {
            lengths[line] = wantedLengths[line];
            lengthSteps[line] = 0;
        }
        Arrays.fill(filterStates, 0f);
        predelay = rtWantedPredelay();
        predelayStep = 0;
        mix.rtJump();
        controlLeft = 0;
    }

    @RealTime
    private double rtWantedPredelay() {
        return Math.round(target[PREDELAY] * sampleRate / 1000);
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        for (int i = 0; i < frames; i++) {
            if (controlLeft == 0) {
                rtControl();
            }
            controlLeft--;
            float wetGain = (float) mix.rtNext();
            float dryGain = 1f - wetGain;
            float left = io[0][i];
            float right = channels > 1 ? io[1][i] : left;
            rtReadLines();
            float leftWet = 0f;
            float rightWet = 0f;
            for (int line = 0; line < LINES; line++) {
                leftWet += LEFT_TAPS[line] * outputs[line];
                rightWet += RIGHT_TAPS[line] * outputs[line];
            }
            leftWet *= HADAMARD_SCALE;
            rightWet *= HADAMARD_SCALE;
            float leftIn = rtDelayInput(0, left);
            float rightIn = channels > 1 ? rtDelayInput(1, right) : leftIn;
            predelayWrite = (predelayWrite + 1) & predelayMask;
            rtFeedBack(leftIn, rightIn);
            for (int c = 0; c < channels; c++) {
                io[c][i] = dryGain * io[c][i] + wetGain * (c % 2 == 0 ? leftWet : rightWet);
            }
            write = (write + 1) & lineMask;
            for (int line = 0; line < LINES; line++) {
                lengths[line] += lengthSteps[line];
            }
            predelay += predelayStep;
        }
    }

    /**
     * Moves the glides of length and predelay on by a control period and sets the lines' gains and low-pass
     * poles for their lengths now.
     */
    @RealTime
    private void rtControl() {
        controlLeft = CONTROL_PERIOD;
        double decay = target[DECAY];
        double ratio = 1 - 0.9 * target[DAMPING] / 100;
        double w = 2 * Math.PI * Math.min(DAMPING_HZ, 0.45 * sampleRate) / sampleRate;
        double cosine = Math.cos(w);
        for (int line = 0; line < LINES; line++) {
            double from = lengths[line];
            double to = rtGlide(from, wantedLengths[line]);
            lengthSteps[line] = (to - from) / CONTROL_PERIOD;
            double length = 0.5 * (from + to);
            double decibelsPerPass = -60 * length / (sampleRate * decay);
            lineGains[line] = (float) Math.pow(10, decibelsPerPass / 20);
            double k = Math.pow(10, decibelsPerPass * (1 / ratio - 1) / 10);
            poles[line] = (float) rtPoleFor(k, cosine);
        }
        double from = predelay;
        predelayStep = (rtGlide(from, rtWantedPredelay()) - from) / CONTROL_PERIOD;
    }

    /** A control period's step of a glide from {@code from} to {@code to}, landing on {@code to} when near. */
    @RealTime
    private double rtGlide(double from, double to) {
        double next = from + (to - from) * glideCoefficient;
        return Math.abs(to - next) < 0.05 ? to : next;
    }

    /**
     * The pole b of the low-pass {@code (1 - b) / (1 - b z^-1)} whose power gain at {@code cos(w)} is {@code k}
     * times that at DC.
     */
    @RealTime
    private static double rtPoleFor(double k, double cosine) {
        if (k > 1 - 1e-12) {
            return 0;
        }
        double a = 1 - k * cosine;
        double c = 1 - k;
        return (a - Math.sqrt(a * a - c * c)) / c;
    }

    /** The predelayed input of side {@code side}, writing {@code input} into its predelay line. */
    @RealTime
    private float rtDelayInput(int side, float input) {
        float[] line = predelayLines[side];
        line[predelayWrite] = input;
        double back = predelay;
        int whole = (int) back;
        float fraction = (float) (back - whole);
        float newer = line[(predelayWrite - whole) & predelayMask];
        float older = line[(predelayWrite - whole - 1) & predelayMask];
        return newer + fraction * (older - newer);
    }

    /** Reads each line at its length, interpolating between samples while the length glides, and damps it. */
    @RealTime
    private void rtReadLines() {
        for (int line = 0; line < LINES; line++) {
            double back = lengths[line];
            int whole = (int) back;
            float fraction = (float) (back - whole);
            float[] samples = lines[line];
            float newer = samples[(write - whole) & lineMask];
            float older = samples[(write - whole - 1) & lineMask];
            float delayed = newer + fraction * (older - newer);
            float pole = poles[line];
            float damped = (1f - pole) * lineGains[line] * delayed + pole * filterStates[line];
            filterStates[line] = damped;
            outputs[line] = damped;
        }
    }

    /** Mixes the lines' outputs by the Hadamard matrix and writes them back with the input added. */
    @RealTime
    private void rtFeedBack(float left, float right) {
        float[] v = outputs;
        for (int span = 1; span < LINES; span *= 2) {
            for (int start = 0; start < LINES; start += 2 * span) {
                for (int j = start; j < start + span; j++) {
                    float a = v[j];
                    float b = v[j + span];
                    v[j] = a + b;
                    v[j + span] = a - b;
                }
            }
        }
        for (int line = 0; line < LINES; line++) {
            float input = line % 2 == 0 ? left : right;
            float value = HADAMARD_SCALE * v[line] + input;
            lines[line][write] = (value + DENORMAL_GUARD) - DENORMAL_GUARD;
        }
    }
}
