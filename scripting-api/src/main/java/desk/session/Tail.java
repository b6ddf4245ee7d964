package desk.session;

import desk.engine.Engine;

import java.util.Locale;

/**
 * What a render adds after its range: the transport stops at the range's end and the render goes on while
 * reverbs and delays ring out, until everything it writes has stayed below {@code silenceDbfs} for
 * {@value #QUIET_SECONDS} s or {@code capSeconds} have passed. {@code auto} caps it at what the inserts report
 * (their tails added up along the longest path to the master, plus the mix's latency).
 * <p>
 * Threads: immutable; any thread.
 *
 * @param auto         cap at the inserts' own tails
 * @param capSeconds   the most it renders after the range, seconds (with {@code auto}, at most this too)
 * @param silenceDbfs  below this every channel counts as silent
 */
public record Tail(boolean auto, double capSeconds, double silenceDbfs) {
    /** The silence threshold unless another is given, dBFS. */
    public static final double DEFAULT_SILENCE = -90;
    /** No tail: the render ends with its range. */
    public static final Tail NONE = new Tail(false, 0, DEFAULT_SILENCE);
    /** The longest tail, seconds. */
    public static final double MAX_SECONDS = 600;
    /** How long everything must stay below the threshold for the tail to end, seconds. */
    public static final double QUIET_SECONDS = 0.1;

    /**
     * A tail from what the user typed: "auto" or seconds (0..{@value #MAX_SECONDS}), with a silence threshold
     * (-200..0 dBFS).
     *
     * @throws IllegalArgumentException in one line naming the value and what is allowed
     */
    public static Tail of(String text, double silenceDbfs) {
        if (!(silenceDbfs >= -200 && silenceDbfs <= 0)) {
            throw new IllegalArgumentException("tail silence " + silenceDbfs + " dBFS: must be -200 to 0");
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return new Tail(true, MAX_SECONDS, silenceDbfs);
        }
        double seconds;
        try {
            seconds = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0 && seconds <= MAX_SECONDS)) {
            throw new IllegalArgumentException("tail \"" + text + "\": must be \"auto\" or seconds, 0 to "
                    + (int) MAX_SECONDS);
        }
        return new Tail(false, seconds, silenceDbfs);
    }

    /** The most frames the tail may take in {@code engine}'s mix at {@code rate}. */
    long capFrames(Engine engine, int rate) {
        double seconds = auto ? Math.min(capSeconds, engine.tailSeconds() + (double) engine.processingLatency() / rate)
                : capSeconds;
        return Math.round(seconds * rate);
    }

    /** Follows the render's blocks after the range and says when the tail may end. */
    final class Watch {
        private final float threshold = (float) Math.pow(10, silenceDbfs / 20);
        private final long quietFrames;
        private long quiet;

        Watch(int rate) {
            quietFrames = Math.round(QUIET_SECONDS * rate);
        }

        /** Takes the next {@code frames} of every output; true once they have all been quiet long enough. */
        boolean silent(Iterable<float[][]> outputs, int frames) {
            boolean loud = false;
            for (float[][] output : outputs) {
                for (float[] channel : output) {
                    for (int i = 0; i < frames && !loud; i++) {
                        loud = Math.abs(channel[i]) >= threshold;
                    }
                }
            }
            quiet = loud ? 0 : quiet + frames;
            return quiet >= quietFrames;
        }
    }
}
