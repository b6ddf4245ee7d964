package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.StripKind;
import desk.engine.clip.ClipPlayer;
import desk.engine.dsp.Kernels;
import desk.engine.dsp.SmoothedGains;
import desk.engine.meter.LoudnessTap;
import desk.engine.meter.Meter;
import desk.engine.meter.MeterPoint;

import java.util.Arrays;

/**
 * The audio side of a channel strip: its signal buffer, the declicked gains of its stages and its meters.
 * Processing order: input (a track takes its live input and its clip playback, each through its monitoring
 * gain; a bus has been summed into), input meter, trim and polarity per channel, the insert chain, pre-fader
 * meter, fader, post-fader meter; the plan then mixes the strip into its
 * destinations through its {@link Connection}s. Besides the level meters at all three points, a strip may
 * measure loudness and true peak at one of them (a {@link LoudnessTap}). NaN and infinite samples that reach
 * a track (from its source, replaced there, or from its clips, replaced here) play as silence and are counted
 * on all three meters ({@link Meter#rtCountInvalid}).
 * <p>
 * Threads: constructed on the control thread; after publication, the {@code rt} methods run on the audio
 * thread only, and the meters are read from any thread.
 */
public final class StripNode {
    /** A span of silence, read by tracks with no input; never written. */
    private static final float[] SILENCE = new float[Limits.MAX_BLOCK];

    private final int id;
    private final StripKind kind;
    private final float[][] buffer;
    private final float[][] trimmed;
    private final SmoothedGains trimPolarity;
    private final SmoothedGains fader;
    private final Meter inputMeter;
    private final SmoothedGains monitor;
    private ClipPlayer player;
    private final Meter preFaderMeter;
    private final Meter postFaderMeter;
    private final Source[] inputSources;
    private final int[] inputChannels;
    private final double[] stats = new double[3];
    private final int[] nonFinite;
    private final float[][] input;
    private final float[][] signal;
    private final float[] signalGain;
    private LoudnessTap loudness;
    /** A meter reset waits for the trim to settle (audio thread only). */
    private boolean resetMetersAfterTrim;
    /** What {@link #rtProcessInput} found, for {@link #rtProcessOutput}: the trim or monitoring moving, inserts. */
    private boolean spanTrimMoving;
    private boolean spanMonitorMoving;
    private boolean spanChained;
    private InsertChain chain;
    private boolean bypassed;

    public StripNode(int id, StripKind kind, int channels, int sampleRate, int declickSamples) {
        this.id = id;
        this.kind = kind;
        this.buffer = new float[channels][Limits.MAX_BLOCK];
        this.trimmed = new float[channels][Limits.MAX_BLOCK];
        this.trimPolarity = new SmoothedGains(channels, 1f, declickSamples);
        this.fader = new SmoothedGains(1, 1f, declickSamples);
        this.inputMeter = new Meter(channels, sampleRate);
        this.monitor = new SmoothedGains(2, 1f, declickSamples);
        this.preFaderMeter = new Meter(channels, sampleRate);
        this.postFaderMeter = new Meter(channels, sampleRate);
        this.inputSources = new Source[channels];
        this.inputChannels = new int[channels];
        this.input = new float[channels][];
        this.signal = new float[channels][];
        this.signalGain = new float[channels];
        this.nonFinite = new int[channels];
    }

    public int id() {
        return id;
    }

    public StripKind kind() {
        return kind;
    }

    @RealTime
    public int channels() {
        return buffer.length;
    }

    public SmoothedGains trimPolarity() {
        return trimPolarity;
    }

    public SmoothedGains fader() {
        return fader;
    }

    /** A track's monitoring gains: the live input's (index 0) and the clip playback's (index 1). */
    public SmoothedGains monitor() {
        return monitor;
    }

    public Meter meter(MeterPoint point) {
        return switch (point) {
            case INPUT -> inputMeter;
            case PRE_FADER -> preFaderMeter;
            case POST_FADER -> postFaderMeter;
        };
    }

    /** The summing buffer (what buses are fed into). */
    @RealTime
    float[][] rtBuffer() {
        return buffer;
    }

    /**
     * After {@link #rtProcess}: the samples of channel {@code channel} from which the pre-fader signal is
     * {@code rtSignal(c)[i] * rtSignalGain(c)}. A strip whose trim stands still reads its input directly,
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

    /** Measures loudness and true peak with {@code tap} from now on (null: not at all). */
    @RealTime
    void rtSetLoudness(LoudnessTap tap) {
        loudness = tap;
    }

    /** True once the strip has failed: it processes no more and feeds nothing. */
    @RealTime
    boolean rtBypassed() {
        return bypassed;
    }

    /** Takes a failed strip out of play. */
    @RealTime
    void rtBypass() {
        bypassed = true;
    }

    /**
     * The live input of channel {@code channel} for the span just rendered: its source's samples, or
     * silence without one (the signal a take records).
     */
    @RealTime
    float[] rtInput(int channel) {
        Source source = inputSources[channel];
        return source == null ? SILENCE : source.rtChannel(inputChannels[channel]);
    }

    /** How many NaN or infinite samples the live input of channel {@code channel} had in the span (now silence). */
    @RealTime
    private int rtInputNonFinite(int channel) {
        Source source = inputSources[channel];
        return source == null ? 0 : source.rtNonFinite(inputChannels[channel]);
    }

    /** Runs {@code chain} between trim and fader from now on. */
    @RealTime
    void rtInstallChain(InsertChain chain) {
        this.chain = chain;
    }

    /**
     * Copies the span's signal at {@code point} (pre- or post-fader; the input for any other) into the first
     * channels of {@code into}, repeating the strip's channels over the rest, for another strip's side chain.
     * Returns false (and copies nothing) for a strip that has failed.
     */
    @RealTime
    boolean rtCopyKey(MeterPoint point, float[][] into, int length) {
        if (bypassed) {
            return false;
        }
        float fader = point == MeterPoint.POST_FADER ? this.fader.rtCurrent(0) : 1f;
        for (int c = 0; c < into.length; c++) {
            int from = c % buffer.length;
            if (point == MeterPoint.INPUT) {
                System.arraycopy(input[from], 0, into[c], 0, length);
            } else {
                Kernels.rtScale(signal[from], into[c], length, signalGain[from] * fader);
            }
        }
        return true;
    }

    /**
     * Copies the span's pre-fader signal (after trim, polarity and inserts) into {@code into} from
     * {@code offset}, channel for channel; silence for a strip that has failed.
     */
    @RealTime
    void rtCopyPreFader(float[][] into, int offset, int length) {
        for (int c = 0; c < into.length; c++) {
            if (bypassed) {
                Arrays.fill(into[c], offset, offset + length, 0f);
            } else {
                float gain = signalGain[c];
                float[] from = signal[c];
                float[] to = into[c];
                for (int i = 0; i < length; i++) {
                    to[offset + i] = from[i] * gain;
                }
            }
        }
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
            player.rtRender(context.rolling, context.transportPosition, length, context.loop);
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
     * Runs the strip's stages before its inserts over the span: its input (with monitoring and clips) and trim.
     * Returns the chain to run next, in place on {@link #rtChainSignal}, or null when the strip has no inserts;
     * {@link #rtProcessOutput} follows once it has run.
     */
    @RealTime
    InsertChain rtProcessInput(int length, float[] scratch) {
        boolean trimMoving = trimPolarity.rtRamping();
        boolean monitorMoving = kind == StripKind.TRACK && monitor.rtRamping();
        spanTrimMoving = trimMoving;
        spanMonitorMoving = monitorMoving;
        float inputGain = monitor.rtCurrent(0);
        boolean playing = player != null && (monitorMoving || monitor.rtCurrent(1) != 0f);
        boolean direct = kind == StripKind.TRACK && !monitorMoving && !playing && inputGain == 1f;
        for (int c = 0; c < buffer.length; c++) {
            nonFinite[c] = rtInputNonFinite(c);
            if (direct) {
                input[c] = rtInput(c);
            } else if (kind == StripKind.TRACK) {
                rtMonitor(c, length, monitorMoving, playing, scratch);
                input[c] = buffer[c];
            } else {
                input[c] = buffer[c];
            }
            if (!trimMoving) {
                signal[c] = input[c];
                signalGain[c] = trimPolarity.rtCurrent(c);
                continue;
            }
            trimPolarity.rtFill(c, scratch, length);
            Kernels.rtScale(input[c], trimmed[c], length, scratch);
            signalGain[c] = 1f;
            signal[c] = trimmed[c];
        }
        if (trimMoving) {
            trimPolarity.rtAdvance(length);
        }
        boolean chained = chain != null && chain.rtActive();
        spanChained = chained;
        if (!chained) {
            return null;
        }
        for (int c = 0; c < buffer.length; c++) {
            if (signal[c] != trimmed[c]) {
                Kernels.rtScale(input[c], trimmed[c], length, signalGain[c]);
                signal[c] = trimmed[c];
                signalGain[c] = 1f;
            }
        }
        return chain;
    }

    /** The signal the strip's inserts run on, in place, once {@link #rtProcessInput} has filled it. */
    @RealTime
    float[][] rtChainSignal() {
        return trimmed;
    }

    /**
     * Runs the strip's stages after its inserts over the span (the fader, the meters) and leaves the fader's
     * per-sample gains in {@code faderGains} when the fader is moving (the return value is then NaN); otherwise
     * returns the constant fader gain.
     */
    @RealTime
    float rtProcessOutput(int length, float[] faderGains, float[] scratch, boolean metering) {
        boolean trimMoving = spanTrimMoving;
        boolean chained = spanChained;
        if (kind == StripKind.TRACK && spanMonitorMoving) {
            monitor.rtAdvance(length);
        }
        boolean faderMoving = fader.rtRamping();
        float gain = fader.rtCurrent(0);
        if (faderMoving) {
            fader.rtFill(0, faderGains, length);
            fader.rtAdvance(length);
        }
        if (metering) {
            if (resetMetersAfterTrim && !trimMoving) {
                rtResetMeters();
            }
            rtMeter(length, gain, faderMoving ? faderGains : null, scratch, trimMoving || chained);
            if (loudness != null) {
                rtMeasureLoudness(length, gain, faderMoving ? faderGains : null);
            }
        }
        return faderMoving ? Float.NaN : gain;
    }

    /**
     * Writes channel {@code c} of the track's input stage into the buffer: the live input times its
     * monitoring gain plus, when the track has clips, the playback times its own. A silent input (none, or
     * monitored at a still 0) is left out rather than multiplied.
     */
    @RealTime
    private void rtMonitor(int c, int length, boolean moving, boolean playing, float[] scratch) {
        float[] input = rtInput(c);
        float[] out = buffer[c];
        boolean inputSilent = !moving && (input == SILENCE || monitor.rtCurrent(0) == 0f);
        if (moving) {
            monitor.rtFill(0, scratch, length);
            for (int i = 0; i < length; i++) {
                out[i] = input[i] * scratch[i];
            }
        } else if (!inputSilent) {
            float gain = monitor.rtCurrent(0);
            for (int i = 0; i < length; i++) {
                out[i] = input[i] * gain;
            }
        } else if (!playing) {
            java.util.Arrays.fill(out, 0, length, 0f);
        }
        if (!playing) {
            return;
        }
        float[] clips = player.rtOut()[c];
        nonFinite[c] += Kernels.rtReplaceNonFinite(clips, length);
        if (moving) {
            monitor.rtFill(1, scratch, length);
            for (int i = 0; i < length; i++) {
                out[i] += clips[i] * scratch[i];
            }
        } else if (inputSilent) {
            float gain = monitor.rtCurrent(1);
            for (int i = 0; i < length; i++) {
                out[i] = clips[i] * gain;
            }
        } else {
            float gain = monitor.rtCurrent(1);
            for (int i = 0; i < length; i++) {
                out[i] += clips[i] * gain;
            }
        }
    }

    /** Clears the meters on the first block after the trim has settled (see {@code ResetMetersAfterTrim}). */
    @RealTime
    public void rtResetMetersAfterTrim() {
        resetMetersAfterTrim = true;
    }

    @RealTime
    private void rtResetMeters() {
        resetMetersAfterTrim = false;
        inputMeter.rtReset();
        preFaderMeter.rtReset();
        postFaderMeter.rtReset();
        if (loudness != null) {
            loudness.reset();
        }
    }

    /**
     * Measures the pre-fader signal and derives the other readings from it: the input's by undoing a still
     * trim, the post-fader's by a still fader; a moving stage, or an insert chain between input and fader, is
     * measured on its own instead. One pass per channel serves all three meters while nothing moves.
     */
    @RealTime
    private void rtMeter(int length, float faderGain, float[] faderGains, float[] scratch, boolean inputApart) {
        inputMeter.rtApplyReset();
        preFaderMeter.rtApplyReset();
        postFaderMeter.rtApplyReset();
        for (int c = 0; c < buffer.length; c++) {
            if (nonFinite[c] != 0) {
                inputMeter.rtCountInvalid(c, nonFinite[c]);
                preFaderMeter.rtCountInvalid(c, nonFinite[c]);
                postFaderMeter.rtCountInvalid(c, nonFinite[c]);
            }
        }
        int done = 0;
        while (done < length) {
            int piece = Math.min(length - done, preFaderMeter.rtChunkRemaining());
            int end = done + piece;
            for (int c = 0; c < buffer.length; c++) {
                float[] x = signal[c];
                float trim = Math.abs(signalGain[c]);
                Kernels.rtPeakSquaresAndMagnitudes(x, done, end, stats);
                float peak = (float) stats[0];
                double squares = stats[1];
                double magnitudes = stats[2];
                if (inputApart) {
                    rtAccumulate(inputMeter, c, input[c], done, end, 1f);
                } else {
                    inputMeter.rtAccumulate(c, peak, squares, magnitudes, rtClips(x, done, end, peak, 1f));
                }
                preFaderMeter.rtAccumulate(c, peak * trim, squares * trim * trim, magnitudes * trim,
                        rtClips(x, done, end, peak, trim));
                if (faderGains == null) {
                    float post = trim * Math.abs(faderGain);
                    postFaderMeter.rtAccumulate(c, peak * post, squares * post * post, magnitudes * post,
                            rtClips(x, done, end, peak, post));
                } else {
                    float product = signalGain[c];
                    for (int i = 0; i < piece; i++) {
                        scratch[i] = x[done + i] * product * faderGains[done + i];
                    }
                    rtAccumulate(postFaderMeter, c, scratch, 0, piece, 1f);
                }
            }
            inputMeter.rtAdvance(piece);
            preFaderMeter.rtAdvance(piece);
            postFaderMeter.rtAdvance(piece);
            done = end;
        }
        inputMeter.rtPublish();
        preFaderMeter.rtPublish();
        postFaderMeter.rtPublish();
    }

    @RealTime
    private void rtAccumulate(Meter meter, int channel, float[] x, int from, int to, float gain) {
        Kernels.rtPeakSquaresAndMagnitudes(x, from, to, stats);
        float peak = (float) stats[0];
        meter.rtAccumulate(channel, peak * gain, stats[1] * gain * gain, stats[2] * gain,
                rtClips(x, from, to, peak, gain));
    }

    /** Samples of {@code x[from..to)} at or above full scale once scaled by {@code gain}; scans only if the peak does. */
    @RealTime
    private static int rtClips(float[] x, int from, int to, float peak, float gain) {
        return peak * gain >= 1f ? Kernels.rtCountFullScale(x, from, to, gain) : 0;
    }

    /** Hands the samples at the loudness tap's point to it, assembling them where the strip holds a gain. */
    @RealTime
    private void rtMeasureLoudness(int length, float faderGain, float[] faderGains) {
        LoudnessTap tap = loudness;
        MeterPoint point = tap.point();
        for (int c = 0; c < buffer.length; c++) {
            if (point == MeterPoint.INPUT) {
                tap.rtView(c, input[c]);
                continue;
            }
            float gain = point == MeterPoint.PRE_FADER || faderGains != null ? signalGain[c] : signalGain[c] * faderGain;
            if (point == MeterPoint.PRE_FADER && gain == 1f) {
                tap.rtView(c, signal[c]);
                continue;
            }
            float[] out = tap.rtScratch(c);
            if (point == MeterPoint.POST_FADER && faderGains != null) {
                Kernels.rtScale(signal[c], out, length, faderGains);
                if (gain != 1f) {
                    Kernels.rtScale(out, out, length, gain);
                }
            } else {
                Kernels.rtScale(signal[c], out, length, gain);
            }
            tap.rtView(c, out);
        }
        tap.rtMeasure(length);
    }
}
