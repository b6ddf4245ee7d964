package desk.engine.rt;

import desk.engine.RealTime;
import desk.engine.dsp.Kernels;
import desk.engine.dsp.SmoothedGains;

/**
 * A path from one strip into another: the strip's output routing or one of its sends. It mixes the
 * source's pre-fader signal into the destination through a matrix of declicked gains (source channel by
 * destination channel) that holds pan or balance, send level, mute and solo; a post-fader path also
 * follows the source's fader sample by sample. A path whose destination has slower inputs than its source is
 * delayed by the difference (its {@link CompensationDelay}), after its gains, so automation stays on its
 * samples.
 * <p>
 * Threads: constructed on the control thread; {@code rt} methods on the audio thread only.
 */
public final class Connection {
    private final StripNode source;
    private final StripNode destination;
    private final SmoothedGains gains;
    private boolean preFader;
    private CompensationDelay compensation;
    private StemTap tap;

    public Connection(StripNode source, StripNode destination, boolean preFader, int declickSamples) {
        this.source = source;
        this.destination = destination;
        this.preFader = preFader;
        this.gains = new SmoothedGains(source.channels() * destination.channels(), 0f, declickSamples);
    }

    StripNode source() {
        return source;
    }

    public StripNode destination() {
        return destination;
    }

    public SmoothedGains gains() {
        return gains;
    }

    @RealTime
    void rtSetPreFader(boolean preFader) {
        this.preFader = preFader;
    }

    /** Delays what the path mixes by {@code delay} from now on (null: not at all); returns the delay replaced. */
    @RealTime
    CompensationDelay rtSetCompensation(CompensationDelay delay) {
        CompensationDelay replaced = compensation;
        compensation = delay;
        return replaced;
    }

    /** Keeps what the path adds in {@code tap} too, from the next span on (null: no longer). */
    @RealTime
    void rtSetTap(StemTap tap) {
        this.tap = tap;
    }

    /**
     * Mixes the span into the destination (and into its stem tap, if it has one). {@code fader} is the
     * source's constant fader gain, or NaN when the fader moves and {@code faderGains} holds its per-sample
     * values.
     */
    @RealTime
    void rtMix(int length, float fader, float[] faderGains, float[] scratch) {
        CompensationDelay delay = compensation;
        rtMixInto(delay == null ? destination.rtBuffer() : delay.rtStart(length), length, fader, faderGains, scratch);
        StemTap stem = tap;
        if (stem != null) {
            rtMixInto(stem.rtStart(length), length, fader, faderGains, scratch);
        }
        gains.rtAdvance(length);
        if (delay != null) {
            delay.rtFinish(destination.rtBuffer(), length);
        }
    }

    /** Adds the span, with the gains where they are now, onto {@code out}. */
    @RealTime
    private void rtMixInto(float[][] out, int length, float fader, float[] faderGains, float[] scratch) {
        StripNode in = source;
        int destinationChannels = out.length;
        boolean pre = preFader;
        boolean faderMoving = !pre && Float.isNaN(fader);
        float faderGain = pre ? 1f : fader;
        boolean ramping = gains.rtRamping();
        for (int s = 0; s < in.channels(); s++) {
            float[] samples = in.rtSignal(s);
            float signalGain = in.rtSignalGain(s);
            for (int d = 0; d < destinationChannels; d++) {
                int index = s * destinationChannels + d;
                if (!ramping) {
                    float gain = gains.rtCurrent(index);
                    if (gain == 0f) {
                        continue;
                    }
                    if (!faderMoving) {
                        Kernels.rtMix(samples, out[d], length, gain * faderGain * signalGain);
                    } else {
                        Kernels.rtScale(faderGains, scratch, length, gain * signalGain);
                        Kernels.rtMix(samples, out[d], length, scratch);
                    }
                } else {
                    if (gains.rtCurrent(index) == 0f && gains.rtTarget(index) == 0f) {
                        continue;
                    }
                    gains.rtFill(index, scratch, length);
                    if (faderMoving) {
                        Kernels.rtMultiply(scratch, faderGains, length);
                    }
                    float constant = (faderMoving ? 1f : faderGain) * signalGain;
                    if (constant != 1f) {
                        Kernels.rtScale(scratch, scratch, length, constant);
                    }
                    Kernels.rtMix(samples, out[d], length, scratch);
                }
            }
        }
    }
}
