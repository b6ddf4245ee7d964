package desk.session;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session's tempo map: one tempo (quarter notes per minute) and one time signature, which turn musical
 * time into samples. Times come as a number of seconds or as text: "2 bars", "1 beat", "3 beats",
 * "1.5 s", "250 ms", "480 samples", a position "17:1:0" (bar 17, beat 1, tick 0, counted from 1, with
 * {@value #TICKS_PER_BEAT} ticks to the beat) and the quantized positions "next bar" and "next beat".
 * Musical lengths are exact doubles of samples; whole-sample times are rounded from them, so a grid of bars
 * never drifts.
 * <p>
 * Threads: the session's control thread.
 */
public final class Tempo {
    /** Ticks to a beat in "bar:beat:tick" positions. */
    public static final int TICKS_PER_BEAT = 960;
    /** The tempo range allowed, quarter notes per minute. */
    public static final double MIN_BPM = 10;
    /** The tempo range allowed, quarter notes per minute. */
    public static final double MAX_BPM = 999;

    private static final Pattern AMOUNT = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)\\s*(bars?|beats?|s|sec|seconds?|ms|samples?)");
    private static final Pattern POSITION = Pattern.compile("(\\d+):(\\d+)(?::(\\d+))?");
    private static final Pattern NOTE = Pattern.compile("1/(1|2|4|8|16|32|64)([.t]?)");

    private final int sampleRate;
    private double bpm = 120;
    private int beatsPerBar = 4;
    private int beatUnit = 4;
    private Runnable onChange = () -> { };

    Tempo(int sampleRate) {
        this.sampleRate = sampleRate;
    }

    /** Quarter notes per minute. */
    public double bpm() {
        return bpm;
    }

    /** Sets the tempo, {@value #MIN_BPM}..{@value #MAX_BPM} quarter notes per minute. */
    public void bpm(double value) {
        if (!(value >= MIN_BPM && value <= MAX_BPM)) {
            throw new DeskException("session.tempo " + Session.describe(value) + ": must be " + (int) MIN_BPM + ".."
                    + (int) MAX_BPM + " beats per minute");
        }
        bpm = value;
        onChange.run();
    }

    /** Runs {@code listener} after every change of tempo (what follows the tempo, such as synced delays). */
    void onChange(Runnable listener) {
        onChange = listener;
    }

    /**
     * The length of a note value in quarter notes: "1/4" is 1, "1/8" 0.5, "1/8." (dotted) 0.75, "1/8t"
     * (triplet) 1/3, "1/1" 4; NaN for text that is not a note value.
     */
    public static double noteQuarters(String text) {
        Matcher note = text == null ? null : NOTE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (note == null || !note.matches()) {
            return Double.NaN;
        }
        double quarters = 4.0 / Integer.parseInt(note.group(1));
        return switch (note.group(2)) {
            case "." -> quarters * 1.5;
            case "t" -> quarters * 2 / 3;
            default -> quarters;
        };
    }

    /** Length of a quarter note in milliseconds at the tempo. */
    public double quarterMilliseconds() {
        return 60_000.0 / bpm;
    }

    /** The time signature as text, e.g. "4/4". */
    public String signature() {
        return beatsPerBar + "/" + beatUnit;
    }

    /** Sets the time signature from text such as "3/4" or "6/8": 1..32 beats of a 1, 2, 4, 8, 16 or 32 note. */
    public void signature(String text) {
        Matcher m = text == null ? null : Pattern.compile("(\\d{1,2})/(\\d{1,2})").matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new DeskException("session.timeSignature " + Session.describe(text)
                    + ": must look like \"4/4\" or \"6/8\"");
        }
        int beats = Integer.parseInt(m.group(1));
        int unit = Integer.parseInt(m.group(2));
        if (beats < 1 || beats > 32 || Integer.bitCount(unit) != 1 || unit > 32) {
            throw new DeskException("session.timeSignature \"" + text + "\": 1..32 beats of a 1, 2, 4, 8, 16 or 32 note");
        }
        beatsPerBar = beats;
        beatUnit = unit;
    }

    /** Length of one beat in samples (exact, not rounded). */
    public double beatSamples() {
        return sampleRate * 60.0 / bpm * 4.0 / beatUnit;
    }

    /** Length of one bar in samples (exact, not rounded). */
    public double barSamples() {
        return beatSamples() * beatsPerBar;
    }

    /**
     * A length of time in samples (exact, not rounded): a number of seconds or "2 bars", "1 beat", "1.5 s",
     * "250 ms", "480 samples", or "bars:beats:ticks". {@code what} names the argument in refusals.
     */
    public double length(Object time, String what) {
        if (time instanceof Number number) {
            return seconds(number.doubleValue(), what);
        }
        if (time instanceof String text) {
            String clean = text.strip().toLowerCase(Locale.ROOT);
            Matcher amount = AMOUNT.matcher(clean);
            if (amount.matches()) {
                double value = Double.parseDouble(amount.group(1));
                String unit = amount.group(2);
                double samples;
                if (unit.startsWith("bar")) {
                    samples = value * barSamples();
                } else if (unit.startsWith("beat")) {
                    samples = value * beatSamples();
                } else if (unit.equals("ms")) {
                    samples = value / 1000 * sampleRate;
                } else if (unit.startsWith("sample")) {
                    samples = value;
                } else {
                    samples = value * sampleRate;
                }
                return checked(samples, text, what);
            }
            Matcher position = POSITION.matcher(clean);
            if (position.matches()) {
                return checked(musical(position, 0), text, what);
            }
        }
        throw new DeskException(what + " " + Session.describe(time) + ": must be seconds or text like \"2 bars\", "
                + "\"1 beat\", \"250 ms\", \"480 samples\" or \"4:2:0\"");
    }

    /**
     * A position on the transport in samples (exact): seconds from the start, "bar:beat:tick" (counted from
     * 1:1:0), a length such as "2 bars" from the start, or "next bar" / "next beat" after {@code now}.
     */
    public double position(Object time, long now, String what) {
        if (time instanceof String text) {
            String clean = text.strip().toLowerCase(Locale.ROOT);
            if (clean.equals("next bar") || clean.equals("next beat")) {
                double grid = clean.endsWith("bar") ? barSamples() : beatSamples();
                double next = Math.floor(now / grid + 1e-9) * grid;
                while (Math.round(next) <= now) {
                    next += grid;
                }
                return next;
            }
            Matcher position = POSITION.matcher(clean);
            if (position.matches()) {
                int bar = Integer.parseInt(position.group(1));
                int beat = Integer.parseInt(position.group(2));
                if (bar < 1 || beat < 1 || beat > beatsPerBar) {
                    throw new DeskException(what + " \"" + text + "\": bars count from 1 and beats from 1 to "
                            + beatsPerBar + " (\"bar:beat:tick\", e.g. \"17:1:0\")");
                }
                return checked(musical(position, 1), text, what);
            }
        }
        return length(time, what);
    }

    /** Formats a transport position in samples as "bar:beat:tick". */
    public String bars(long samples) {
        double beats = samples / beatSamples();
        long wholeBeats = (long) Math.floor(beats + 1e-9);
        long ticks = Math.round((beats - wholeBeats) * TICKS_PER_BEAT);
        if (ticks >= TICKS_PER_BEAT) {
            wholeBeats++;
            ticks = 0;
        }
        return (wholeBeats / beatsPerBar + 1) + ":" + (wholeBeats % beatsPerBar + 1) + ":" + ticks;
    }

    private double musical(Matcher position, int origin) {
        long bars = Long.parseLong(position.group(1)) - origin;
        long beats = Long.parseLong(position.group(2)) - origin;
        long ticks = position.group(3) == null ? 0 : Long.parseLong(position.group(3));
        return bars * barSamples() + (beats + ticks / (double) TICKS_PER_BEAT) * beatSamples();
    }

    private double seconds(double value, String what) {
        if (!(value >= 0 && value <= Session.MAX_SECONDS)) {
            throw new DeskException(what + " " + Session.describe(value) + ": must be 0.." + (long) Session.MAX_SECONDS
                    + " seconds");
        }
        return value * sampleRate;
    }

    private double checked(double samples, String text, String what) {
        if (!(samples >= 0 && samples <= Session.MAX_SECONDS * sampleRate)) {
            throw new DeskException(what + " \"" + text + "\": must be at most " + (long) Session.MAX_SECONDS + " seconds");
        }
        return samples;
    }
}
