package desk.engine.dsp;

import desk.engine.RealTime;

import java.util.Arrays;

/**
 * The gains of a connection from a strip of {@code channels} channels into a destination of
 * {@code destinationChannels} channels (index source * destinationChannels + destination): pan for a mono
 * source, balance for a wider one, a level and the mute/solo gate. Pure functions that allocate nothing;
 * any thread, including the audio thread.
 */
public final class GainMatrix {
    private GainMatrix() {
    }

    /**
     * Fills {@code out}. {@code position} is the pan (mono source) or balance (wider source), -1..+1;
     * {@code level} a linear gain; a closed gate gives silence.
     */
    @RealTime
    public static void fill(float[] out, int channels, int destinationChannels, PanLaw law, double position,
                     double level, boolean open) {
        int size = channels * destinationChannels;
        Arrays.fill(out, 0, size, 0f);
        if (!open) {
            return;
        }
        if (destinationChannels == 1) {
            Arrays.fill(out, 0, size, (float) (level / channels));
            return;
        }
        if (channels == 1) {
            out[0] = (float) (level * law.left(position));
            out[1] = (float) (level * law.right(position));
            return;
        }
        double left = position > 0 ? 1.0 - position : 1.0;
        double right = position < 0 ? 1.0 + position : 1.0;
        if (channels == 2) {
            out[0] = (float) (level * left);
            out[3] = (float) (level * right);
            return;
        }
        for (int c = 0; c < channels; c++) {
            double spread = -1.0 + 2.0 * c / (channels - 1);
            out[2 * c] = (float) (level * left * law.left(spread));
            out[2 * c + 1] = (float) (level * right * law.right(spread));
        }
    }
}
