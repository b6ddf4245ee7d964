package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.Arrays;
import java.util.List;

/**
 * The delay insert: echoes {@code time} apart, each {@code feedback} times the one before, mixed with the dry
 * signal. The time is rounded to whole samples ({@code round(time * rate / 1000)}, at least one); a new time
 * crossfades over 30 ms from the old echo to the new, so it neither clicks nor
 * bends the pitch. On a stereo strip, {@code pingpong} feeds the mid of the input to the left line only and
 * crosses the feedback, so the echoes alternate left, right, left. Mix is linear: dry times {@code 1 - mix},
 * echoes times {@code mix}.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class Delay implements Processor {
    /** Its type: parameters {@code time}, {@code feedback}, {@code mix}, {@code pingpong}. */
    public static final ProcessorType TYPE = new ProcessorType("delay",
            "Echoes: a delay line with feedback, optionally ping-ponging between left and right.",
            List.of(InsertParameter.number("time", "ms", 1, 4000, 375, "time between echoes"),
                    InsertParameter.number("feedback", "%", 0, 95, 35, "level of each echo against the one before"),
                    InsertParameter.number("mix", "%", 0, 100, 30, "share of the echoes in the output"),
                    InsertParameter.toggle("pingpong", false,
                            "echoes alternate between left and right (stereo strips)")),
            false, Delay::new);

    private static final int TIME = 0;
    private static final int FEEDBACK = 1;
    private static final int MIX = 2;
    private static final int PINGPONG = 3;
    private static final double MAX_MILLISECONDS = 4000;
    private static final int CROSSFADE_MILLISECONDS = 30;
    /** Added and taken away again on the way into the lines: flushes values far below hearing to zero. */
    private static final float DENORMAL_GUARD = 1e-18f;

    private int sampleRate;
    private int channels;
    private float[][] lines;
    private int mask;
    private int write;
    private int delay;
    private int nextDelay;
    private int askedDelay;
    private int crossfade;
    private int crossfadeLeft;
    private Glide feedback;
    private Glide mix;
    private boolean pingpong;
    private double timeMilliseconds = 375;
    private volatile double tailSeconds;
    private float[] wet;

    @Override
    public void prepare(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        int longest = (int) Math.round(MAX_MILLISECONDS * sampleRate / 1000);
        int size = Integer.highestOneBit(longest) * 2;
        lines = new float[channels][size];
        mask = size - 1;
        crossfade = Math.max(1, sampleRate * CROSSFADE_MILLISECONDS / 1000);
        int glide = Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
        feedback = new Glide(glide, 0);
        mix = new Glide(glide, 0);
        wet = new float[channels];
    }

    /** Until the echoes fall 60 dB under the first: {@code time * (1 + ln(1000) / -ln(feedback))}. */
    @Override
    public double tailSeconds() {
        return tailSeconds;
    }

    @Override
    @RealTime
    public void rtSet(int index, double value) {
        switch (index) {
            case TIME -> {
                timeMilliseconds = value;
                askedDelay = Math.max(1, (int) Math.round(value * sampleRate / 1000));
            }
            case FEEDBACK -> feedback.rtAim(value / 100);
            case MIX -> mix.rtAim(value / 100);
            case PINGPONG -> pingpong = value == 1;
            default -> {
            }
        }
        double gain = feedback.rtTarget();
        double echoes = gain < 1e-3 ? 1 : 1 + Math.log(1000) / -Math.log(gain);
        tailSeconds = timeMilliseconds / 1000 * echoes + (double) crossfade / sampleRate;
    }

    @Override
    @RealTime
    public void rtReset() {
        for (float[] line : lines) {
            Arrays.fill(line, 0f);
        }
        feedback.rtJump();
        mix.rtJump();
        delay = askedDelay;
        nextDelay = askedDelay;
        crossfadeLeft = 0;
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        boolean crossed = pingpong && channels == 2;
        for (int i = 0; i < frames; i++) {
            if (crossfadeLeft == 0 && askedDelay != delay) {
                nextDelay = askedDelay;
                crossfadeLeft = crossfade;
            }
            float echoGain = (float) feedback.rtNext();
            float wetGain = (float) mix.rtNext();
            float dryGain = 1f - wetGain;
            rtReadEchoes();
            if (crossed) {
                float left = io[0][i];
                float right = io[1][i];
                rtWrite(0, 0.5f * (left + right) + echoGain * wet[1]);
                rtWrite(1, echoGain * wet[0]);
                io[0][i] = dryGain * left + wetGain * wet[0];
                io[1][i] = dryGain * right + wetGain * wet[1];
            } else {
                for (int c = 0; c < channels; c++) {
                    float in = io[c][i];
                    rtWrite(c, in + echoGain * wet[c]);
                    io[c][i] = dryGain * in + wetGain * wet[c];
                }
            }
            write = (write + 1) & mask;
        }
    }

    /** The echo of each channel now: from the current read head, or crossfading to the next. */
    @RealTime
    private void rtReadEchoes() {
        int current = (write - delay) & mask;
        if (crossfadeLeft == 0) {
            for (int c = 0; c < channels; c++) {
                wet[c] = lines[c][current];
            }
            return;
        }
        int next = (write - nextDelay) & mask;
        float toNext = 1f - (float) crossfadeLeft / crossfade;
        for (int c = 0; c < channels; c++) {
            float from = lines[c][current];
            wet[c] = from + toNext * (lines[c][next] - from);
        }
        if (--crossfadeLeft == 0) {
            delay = nextDelay;
        }
    }

    @RealTime
    private void rtWrite(int channel, float value) {
        lines[channel][write] = (value + DENORMAL_GUARD) - DENORMAL_GUARD;
    }
}
