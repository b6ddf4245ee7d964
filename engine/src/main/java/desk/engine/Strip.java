package desk.engine;

import desk.engine.dsp.Kernels;
import desk.engine.dsp.SmoothedGains;

/**
 * The audio side of a channel strip: its signal buffer, the declicked gains of its stages and its meters.
 * Processing order: input (a track takes its live input and its clip playback, each through its monitoring
 * gain; a bus has been summed into), trim and polarity per channel, the insert chain (empty until inserts
 * exist), pre-fader meter, fader, post-fader meter; the plan then mixes the strip into its destinations
 * through its {@link Connection}s.
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
    private final SmoothedGains monitor;
    private ClipPlayer player;
    private final Meter preFaderMeter;
    private final Meter postFaderMeter;
    private final Source[] inputSources;
    private final int[] inputChannels;
    private final double[] stats = new double[2];
    private final float[][] signal;
    private final float[] signalGain;

    Strip(int id, StripKind kind, int channels, int sampleRate, int declickSamples) {
        this.id = id;
        this.kind = kind;
        this.buffer = new float[channels][Engine.MAX_BLOCK];
        this.trimPolarity = new SmoothedGains(channels, 1f, declickSamples);
        this.fader = new SmoothedGains(1, 1f, declickSamples);
        this.monitor = new SmoothedGains(2, 1f, declickSamples);
        this.preFaderMeter = new Meter(channels, sampleRate);
        this.postFaderMeter = new Meter(channels, sampleRate);
        this.inputSources = new Source[channels];
        this.inputChannels = new int[channels];
        this.signal = new float[channels][];
        this.signalGain = new float[channels];
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

    /** A track's monitoring gains: the live input's (index 0) and the clip playback's (index 1). */
    SmoothedGains monitor() {
        return monitor;
    }

    Meter meter(MeterPoint point) {
        return point == MeterPoint.PRE_FADER ? preFaderMeter : postFaderMeter;
    }

    /** The strip's summing buffer (what buses are fed into). */
    @RealTime
    float[][] rtBuffer() {
        return buffer;
    }

    /**
     * After {@link #rtProcess}: the samples of channel {@code channel} from which the pre-fader signal is
     * {@code rtSignal(c)[i] * rtSignalGain(c)}. A track whose trim stands still reads its source directly,
     * with trim and polarity in the gain, so it needs no copy of its own.
     */
    @RealTime
    float[] rtSignal(int channel) {
        return signal[channel];
    }

    /** The gain that turns {@link #rtSignal} into the pre-fader signal. */
    @RealTime
    float rtSignalGain(int channel) {
        return signalGain[channel];
    }

    /** Feeds channel {@code channel} from channel {@code sourceChannel} of {@code source} (null: silence). */
    @RealTime
    void rtSetInput(int channel, Source source, int sourceChannel) {
        inputSources[channel] = source;
        inputChannels[channel] = sourceChannel;
    }

    /**
     * The live input of channel {@code channel} for the span just rendered: its source's samples, or
     * silence without one (the signal a take records).
     */
    @RealTime
    float[] rtInput(int channel) {
        Source source = inputSources[channel];
        return source == null ? Engine.SILENCE : source.rtChannel(inputChannels[channel]);
    }

    /** Plays clips from {@code player} from now on. */
    @RealTime
    void rtSetPlayer(ClipPlayer player) {
        this.player = player;
    }

    /** Renders the span of clip playback, if the track has clips. */
    @RealTime
    void rtRenderPlayback(ProcessContext context, int length) {
        if (player != null) {
            player.rtRender(context.rolling, context.transportPosition, length);
        }
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
    float rtProcess(int length, float[] faderGains, float[] scratch, boolean metering) {
        boolean trimMoving = trimPolarity.rtRamping();
        boolean monitorMoving = monitor.rtRamping();
        float inputGain = monitor.rtCurrent(0);
        boolean playing = player != null && (monitorMoving || monitor.rtCurrent(1) != 0f);
        for (int c = 0; c < buffer.length; c++) {
            if (kind == StripKind.TRACK && !trimMoving && !monitorMoving && !playing) {
                signal[c] = rtInput(c);
                signalGain[c] = trimPolarity.rtCurrent(c) * inputGain;
                continue;
            }
            if (kind == StripKind.TRACK) {
                rtMonitor(c, length, monitorMoving, playing, scratch);
            }
            if (trimMoving) {
                trimPolarity.rtFill(c, scratch, length);
                Kernels.rtScale(buffer[c], buffer[c], length, scratch);
                signalGain[c] = 1f;
            } else {
                signalGain[c] = trimPolarity.rtCurrent(c);
            }
            signal[c] = buffer[c];
        }
        if (trimMoving) {
            trimPolarity.rtAdvance(length);
        }
        if (kind == StripKind.TRACK && monitorMoving) {
            monitor.rtAdvance(length);
        }
        boolean faderMoving = fader.rtRamping();
        float gain = fader.rtCurrent(0);
        if (faderMoving) {
            fader.rtFill(0, faderGains, length);
            fader.rtAdvance(length);
        }
        if (metering) {
            rtMeter(length, gain, faderMoving ? faderGains : null, scratch);
        }
        return faderMoving ? Float.NaN : gain;
    }

    /**
     * Writes channel {@code c} of the track's input stage into the buffer: the live input times its
     * monitoring gain plus, when the track has clips, the playback times its own.
     */
    @RealTime
    private void rtMonitor(int c, int length, boolean moving, boolean playing, float[] scratch) {
        float[] input = rtInput(c);
        float[] out = buffer[c];
        if (moving) {
            monitor.rtFill(0, scratch, length);
            for (int i = 0; i < length; i++) {
                out[i] = input[i] * scratch[i];
            }
        } else {
            float gain = monitor.rtCurrent(0);
            for (int i = 0; i < length; i++) {
                out[i] = input[i] * gain;
            }
        }
        if (!playing) {
            return;
        }
        float[] clips = player.rtOut()[c];
        if (moving) {
            monitor.rtFill(1, scratch, length);
            for (int i = 0; i < length; i++) {
                out[i] += clips[i] * scratch[i];
            }
        } else {
            float gain = monitor.rtCurrent(1);
            for (int i = 0; i < length; i++) {
                out[i] += clips[i] * gain;
            }
        }
    }

    /**
     * Measures the pre-fader signal and derives the post-fader readings: scaled by the fader when it stands
     * still, measured on the product when it moves. One pass per channel serves both meters.
     */
    @RealTime
    private void rtMeter(int length, float faderGain, float[] faderGains, float[] scratch) {
        float magnitude = Math.abs(faderGain);
        double power = (double) faderGain * faderGain;
        int done = 0;
        while (done < length) {
            int piece = Math.min(length - done, preFaderMeter.rtChunkRemaining());
            for (int c = 0; c < buffer.length; c++) {
                float[] x = signal[c];
                float trim = signalGain[c];
                Kernels.rtPeakAndSumOfSquares(x, done, done + piece, stats);
                float peak = (float) stats[0] * Math.abs(trim);
                double squares = stats[1] * trim * trim;
                preFaderMeter.rtAccumulate(c, peak, squares);
                if (faderGains == null) {
                    postFaderMeter.rtAccumulate(c, peak * magnitude, squares * power);
                } else {
                    for (int i = 0; i < piece; i++) {
                        scratch[i] = x[done + i] * trim * faderGains[done + i];
                    }
                    Kernels.rtPeakAndSumOfSquares(scratch, 0, piece, stats);
                    postFaderMeter.rtAccumulate(c, (float) stats[0], stats[1]);
                }
            }
            preFaderMeter.rtAdvance(piece);
            postFaderMeter.rtAdvance(piece);
            done += piece;
        }
        preFaderMeter.rtPublish();
        postFaderMeter.rtPublish();
    }
}
