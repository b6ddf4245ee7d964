package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;

import java.util.List;

/**
 * The utility insert: gain, stereo width, a mono fold-down, polarity per side and a DC cut. Gain and width
 * glide over the declick time; the DC cut is a first-order high-pass at 5 Hz.
 * <p>
 * Threads: see {@link Processor}.
 */
public final class Utility implements Processor {
    /** Its type: parameters {@code gain}, {@code width}, {@code mono}, {@code polarity}, {@code dc_cut}. */
    public static final ProcessorType TYPE = new ProcessorType("utility",
            "Gain, stereo width, mono fold-down, polarity and DC cut.",
            List.of(InsertParameter.number("gain", "dB", -96, 24, 0, "gain"),
                    InsertParameter.number("width", "%", 0, 200, 100,
                            "stereo width: 0 folds to mono, 100 leaves it, 200 doubles the side signal"),
                    InsertParameter.toggle("mono", false, "folds the channels down to their mean"),
                    InsertParameter.choice("polarity", List.of("normal", "left", "right", "both"), "normal",
                            "which channels are inverted (a mono strip inverts on \"left\" or \"both\")"),
                    InsertParameter.toggle("dc_cut", false, "removes DC with a 5 Hz high-pass")),
            false, Utility::new);

    private static final int GAIN = 0;
    private static final int WIDTH = 1;
    private static final int MONO = 2;
    private static final int POLARITY = 3;
    private static final int DC_CUT = 4;
    private static final double DC_CUT_HZ = 5;

    private int channels;
    private int glideSamples;
    private double dcCoefficient;
    private double[] dcInput;
    private double[] dcOutput;
    private final double[] target = new double[5];
    private double gain = 1;
    private double width = 1;
    private double gainStep;
    private double widthStep;
    private int glideLeft;
    private float[] gains;

    @Override
    public void prepare(int sampleRate, int channels) {
        this.channels = channels;
        this.glideSamples = Math.max(1, sampleRate * Limits.DECLICK_MILLISECONDS / 1000);
        this.dcCoefficient = Math.exp(-2 * Math.PI * DC_CUT_HZ / sampleRate);
        this.dcInput = new double[channels];
        this.dcOutput = new double[channels];
        this.gains = new float[Limits.MAX_BLOCK];
    }

    @Override
    @RealTime
    public void rtSet(int index, double value) {
        rtGlide(index, value, glideSamples);
    }

    /** Glides gain and width to their targets in a straight line over {@code samples}. */
    @Override
    @RealTime
    public void rtGlide(int index, double value, int samples) {
        target[index] = value;
        if (index == GAIN || index == WIDTH) {
            gainStep = (rtTargetGain() - gain) / samples;
            widthStep = (target[WIDTH] / 100 - width) / samples;
            glideLeft = samples;
        }
    }

    @Override
    @RealTime
    public void rtReset() {
        gain = rtTargetGain();
        width = target[WIDTH] / 100;
        glideLeft = 0;
        for (int c = 0; c < channels; c++) {
            dcInput[c] = 0;
            dcOutput[c] = 0;
        }
    }

    @RealTime
    private double rtTargetGain() {
        return Math.pow(10, target[GAIN] / 20);
    }

    @Override
    @RealTime
    public void rtProcess(float[][] io, int frames, float[][] key) {
        if (target[DC_CUT] == 1) {
            for (int c = 0; c < channels; c++) {
                rtCutDc(io[c], frames, c);
            }
        }
        boolean gliding = glideLeft > 0;
        double startWidth = width;
        double startGain = gain;
        int polarity = (int) target[POLARITY];
        boolean invertLeft = polarity == 1 || polarity == 3;
        boolean invertRight = polarity == 2 || polarity == 3;
        if (channels == 2 && (target[MONO] == 1 || width != 1 || gliding)) {
            rtWidth(io[0], io[1], frames, target[MONO] == 1, startWidth);
        } else if (channels > 2 && target[MONO] == 1) {
            rtFoldDown(io, frames);
        }
        rtGains(frames, startGain);
        for (int c = 0; c < channels; c++) {
            boolean inverted = c == 0 ? invertLeft : c == 1 && invertRight;
            float[] x = io[c];
            float sign = inverted ? -1f : 1f;
            for (int i = 0; i < frames; i++) {
                x[i] *= sign * gains[i];
            }
        }
    }

    /** Fills the per-sample gains and moves the glides on. */
    @RealTime
    private void rtGains(int frames, double startGain) {
        int glide = Math.min(glideLeft, frames);
        double g = startGain;
        for (int i = 0; i < glide; i++) {
            g += gainStep;
            gains[i] = (float) g;
        }
        double end = glide == glideLeft ? rtTargetGain() : g;
        for (int i = glide; i < frames; i++) {
            gains[i] = (float) end;
        }
        gain = end;
        width = glide == glideLeft ? target[WIDTH] / 100 : width + widthStep * glide;
        glideLeft -= glide;
    }

    /** Mid/side width on a stereo pair, gliding with the gain; mono folds both sides to the mid. */
    @RealTime
    private void rtWidth(float[] left, float[] right, int frames, boolean mono, double startWidth) {
        int glide = Math.min(glideLeft, frames);
        for (int i = 0; i < frames; i++) {
            double w = mono ? 0 : i < glide ? startWidth + widthStep * (i + 1) : (glide == glideLeft
                    ? target[WIDTH] / 100 : startWidth + widthStep * glide);
            double mid = 0.5 * (left[i] + right[i]);
            double side = 0.5 * (left[i] - right[i]) * w;
            left[i] = (float) (mid + side);
            right[i] = (float) (mid - side);
        }
    }

    @RealTime
    private void rtFoldDown(float[][] io, int frames) {
        for (int i = 0; i < frames; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += io[c][i];
            }
            float mean = sum / channels;
            for (int c = 0; c < channels; c++) {
                io[c][i] = mean;
            }
        }
    }

    @RealTime
    private void rtCutDc(float[] x, int frames, int c) {
        double previousIn = dcInput[c];
        double previousOut = dcOutput[c];
        double a = dcCoefficient;
        for (int i = 0; i < frames; i++) {
            double in = x[i];
            double out = in - previousIn + a * previousOut;
            previousIn = in;
            previousOut = out;
            x[i] = (float) out;
        }
        dcInput[c] = previousIn;
        dcOutput[c] = previousOut;
    }
}
