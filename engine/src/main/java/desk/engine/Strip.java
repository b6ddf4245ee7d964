package desk.engine;

import desk.engine.dsp.Kernels;
import desk.engine.dsp.SmoothedGains;

/**
 * The audio side of a channel strip: its signal buffer, the declicked gains of its stages and its meters.
 * Processing order: input (a track copies its sources, a bus has been summed into), trim and polarity per
 * channel, the insert chain (empty until inserts exist), pre-fader meter, fader, post-fader meter; the
 * plan then mixes the strip into its destinations through its {@link Connection}s.
 * <p>
 * Threads: constructed on the control thread; after publication, the {@code rt} methods run on the audio
 * thread only, and the meters are read from any thread.
 */
final class Strip {
    private final int id;
    private final StripKind kind;
    private final float[][] buffer;
    private final SmoothedGains trimPolarity;
    private final SmoothedGains fader;
    private final Meter preFaderMeter;
    private final Meter postFaderMeter;
    private final Source[] inputSources;
    private final int[] inputChannels;

    Strip(int id, StripKind kind, int channels, int sampleRate, int declickSamples) {
        this.id = id;
        this.kind = kind;
        this.buffer = new float[channels][Engine.MAX_BLOCK];
        this.trimPolarity = new SmoothedGains(channels, 1f, declickSamples);
        this.fader = new SmoothedGains(1, 1f, declickSamples);
        this.preFaderMeter = new Meter(channels, sampleRate);
        this.postFaderMeter = new Meter(channels, sampleRate);
        this.inputSources = new Source[channels];
        this.inputChannels = new int[channels];
    }

    int id() {
        return id;
    }

    StripKind kind() {
        return kind;
    }

    int channels() {
        return buffer.length;
    }

    SmoothedGains trimPolarity() {
        return trimPolarity;
    }

    SmoothedGains fader() {
        return fader;
    }

    Meter meter(MeterPoint point) {
        return point == MeterPoint.PRE_FADER ? preFaderMeter : postFaderMeter;
    }

    /** The strip's signal: after {@link #rtProcess}, the pre-fader signal of the span. */
    @RealTime
    float[][] rtBuffer() {
        return buffer;
    }

    /** Feeds channel {@code channel} from channel {@code sourceChannel} of {@code source} (null: silence). */
    @RealTime
    void rtSetInput(int channel, Source source, int sourceChannel) {
        inputSources[channel] = source;
        inputChannels[channel] = sourceChannel;
    }

    /** Clears the summing buffer of a bus for the next span. */
    @RealTime
    void rtClear(int length) {
        for (float[] channel : buffer) {
            java.util.Arrays.fill(channel, 0, length, 0f);
        }
    }

    /**
     * Runs the strip's stages over the span and leaves the fader's per-sample gains in {@code faderGains}
     * when the fader is moving (the return value is then NaN); otherwise returns the constant fader gain.
     */
    @RealTime
    float rtProcess(int length, float[] faderGains, float[] scratch) {
        if (kind == StripKind.TRACK) {
            for (int c = 0; c < buffer.length; c++) {
                Source source = inputSources[c];
                if (source == null) {
                    java.util.Arrays.fill(buffer[c], 0, length, 0f);
                } else {
                    System.arraycopy(source.rtChannel(inputChannels[c]), 0, buffer[c], 0, length);
                }
            }
        }
        if (trimPolarity.rtRamping()) {
            for (int c = 0; c < buffer.length; c++) {
                trimPolarity.rtFill(c, scratch, length);
                Kernels.rtScale(buffer[c], buffer[c], length, scratch);
            }
            trimPolarity.rtAdvance(length);
        } else {
            for (int c = 0; c < buffer.length; c++) {
                float gain = trimPolarity.rtCurrent(c);
                if (gain != 1f) {
                    Kernels.rtScale(buffer[c], buffer[c], length, gain);
                }
            }
        }
        preFaderMeter.rtMeasure(buffer, length, 1f);
        if (fader.rtRamping()) {
            fader.rtFill(0, faderGains, length);
            fader.rtAdvance(length);
            postFaderMeter.rtMeasure(buffer, length, 1f, faderGains, scratch);
            return Float.NaN;
        }
        float gain = fader.rtCurrent(0);
        postFaderMeter.rtMeasure(buffer, length, gain);
        return gain;
    }
}
