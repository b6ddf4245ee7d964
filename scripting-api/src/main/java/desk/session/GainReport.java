package desk.session;

import desk.engine.EngineCommand;
import desk.engine.MonitorMode;
import desk.engine.Parameter;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gain-staging assistant's report: each track, bus and the master measured against the targets of a
 * stage of the work, and the problems found. Levels are those measured since the meters' last reset.
 * <ul>
 * <li>tracking: a track's peaks before the fader around -18..-12 dBFS and never above -6 dBFS;</li>
 * <li>mixing: a track's average before the fader (AES17 RMS, in which a sine reads its peak) -18..-12 dBFS;
 * the master peaking -6..-3 dBFS, leaving headroom for mastering;</li>
 * <li>mastering: the master at -16..-14 LUFS integrated, as streaming services play, with its true peak at or
 * below -1 dBTP;</li>
 * <li>at every stage: buses peaking below -3 dBFS; no clipped sample at any pick-off point; no send left
 * pointing at a bus the strip's output went to before it was re-routed; no send into a bus whose output
 * never reaches the master; no armed track whose input has been silent (below
 * {@value #SILENT_INPUT_DBFS} dBFS) while it was heard; no live input heard through two tracks at once
 * (double monitoring).</li>
 * </ul>
 * A level is judged as it is shown, to a tenth of a dB: too hot as soon as it passes the top of its target,
 * too quiet when it lies 6 dB or more under the bottom (a little under is noted, not flagged); a strip with
 * no signal is noted, not flagged.
 * <p>
 * Immutable; any thread. Built on the session's control thread.
 */
public final class GainReport {
    /** How far under a target's bottom a level may lie before it counts as too quiet, dB. */
    static final double QUIET_MARGIN_DB = 6;
    /** An armed track's input peaking below this since the last reset counts as silent, dBFS. */
    static final double SILENT_INPUT_DBFS = -80;

    /** The stage of the work whose targets apply. */
    public enum Stage {
        /** Recording: input levels. */
        TRACKING,
        /** Mixing: track averages and the master's headroom. */
        MIXING,
        /** Mastering for streaming: the master's loudness and true peak. */
        MASTERING;

        /** The name scripts use. */
        public String scriptName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Stage ofScriptName(String name) {
            for (Stage stage : values()) {
                if (stage.scriptName().equals(name)) {
                    return stage;
                }
            }
            throw new DeskException("gainReport stage " + Session.describe(name)
                    + ": must be \"tracking\", \"mixing\" or \"mastering\"");
        }
    }

    /** What is wrong. */
    public enum Problem {
        /** Samples at or above full scale. */
        CLIPPING,
        /** A level above its target. */
        TOO_HOT,
        /** A level well under its target. */
        TOO_QUIET,
        /** A send into a bus the strip's output went to before it was re-routed. */
        STALE_SEND,
        /** A send into a bus whose output never reaches the master. */
        SEND_NOT_HEARD,
        /** The master's loudness is not measured after the fader, so mastering targets cannot be checked. */
        LOUDNESS_NOT_MEASURED,
        /** An armed track whose live input is silent: it would record nothing. */
        SILENT_INPUT,
        /** One live input heard through more than one track at once. */
        DOUBLE_MONITORING
    }

    /** One problem on one strip, with a message that says what and what to do. */
    public record Finding(String strip, Problem problem, String message) {
        @Override
        public String toString() {
            return strip + ": " + message;
        }
    }

    /** What a line says of a strip that had no signal since the meters' last reset. */
    static final String NO_SIGNAL = "no signal";

    /** One strip's line: what was measured, its level (NaN when not measured), the target and the verdict. */
    public record Line(String strip, String kind, String measure, double level, String unit, String target,
                       String verdict) {
        /** How many columns a line has, and which of them hold the level and its unit. */
        static final int COLUMNS = 7;
        static final int LEVEL_COLUMN = 3;
        static final int UNIT_COLUMN = 4;

        /** The line's columns as shown: strip, kind, measure, level, unit, target, verdict. */
        List<String> columns() {
            String value = Double.isNaN(level) ? "-" : level == Double.NEGATIVE_INFINITY ? "-inf"
                    : String.format(Locale.ROOT, "%.1f", level);
            return List.of(strip, kind, measure, value, unit, target, verdict);
        }

        @Override
        public String toString() {
            return String.join("  ", columns());
        }
    }

    private final Stage stage;
    private final List<Line> lines;
    private final List<Finding> findings;

    private GainReport(Stage stage, List<Line> lines, List<Finding> findings) {
        this.stage = stage;
        this.lines = List.copyOf(lines);
        this.findings = List.copyOf(findings);
    }

    /** The stage whose targets were applied. */
    public Stage stage() {
        return stage;
    }

    /** One line per track, bus and the master, in that order. */
    public List<Line> lines() {
        return lines;
    }

    /** The problems found, strip by strip. */
    public List<Finding> findings() {
        return findings;
    }

    /** True when nothing is wrong. */
    public boolean ok() {
        return findings.isEmpty();
    }

    static GainReport of(Session session, Stage stage) {
        List<Line> lines = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (Track track : session.tracks()) {
            judgeTrack(track, stage, lines, findings);
        }
        for (Bus bus : session.buses()) {
            judgeBus(bus, lines, findings);
        }
        judgeMaster(session.master(), stage, lines, findings);
        List<Strip> all = new ArrayList<>(session.tracks());
        all.addAll(session.buses());
        all.add(session.master());
        for (Strip strip : all) {
            checkClipping(strip, findings);
            checkSends(strip, session, findings);
        }
        checkMonitoring(session, findings);
        return new GainReport(stage, lines, findings);
    }

    /** See {@link Strip#autoTrim}: the trim that brings the strip's staged average to {@code targetDb}, set. */
    static double autoTrim(Strip strip, double targetDb) {
        if (!(targetDb >= -60 && targetDb <= 0)) {
            throw new DeskException(strip.name() + ".autoTrim target " + Parameter.format(targetDb)
                    + ": must be -60..0 dBFS");
        }
        double measured = stagingLevels(strip)[1];
        if (measured == Double.NEGATIVE_INFINITY) {
            throw new DeskException(strip.name() + ".autoTrim: nothing measured before the fader yet; play the "
                    + (strip instanceof Track ? "track" : "bus") + " first (meters measure since their last reset)");
        }
        double wanted = Math.max(-24, Math.min(24, strip.trim() + targetDb - measured));
        double rounded = Math.round(wanted * 100) / 100.0;
        strip.trim(rounded);
        strip.session.execute(new EngineCommand.ResetMetersAfterTrim(strip.id));
        return rounded;
    }

    /**
     * Where gain staging reads a strip, as {peak since the last reset, average} in dBFS: the signal going
     * into its inserts (the input meter raised by the trim) when it has any, so a compressor's reaction does
     * not feed back into the staging; else the pre-fader meter, which reads the same signal.
     */
    static double[] stagingLevels(Strip strip) {
        if (strip.inserts().isEmpty()) {
            MeterReading pre = strip.meter(MeterPoint.PRE_FADER);
            return new double[]{pre.peakMax(), pre.average()};
        }
        MeterReading input = strip.meter(MeterPoint.INPUT);
        double gain = strip.trim();
        return new double[]{input.peakMax() + gain, input.average() + gain};
    }

    private static void judgeTrack(Track track, Stage stage, List<Line> lines, List<Finding> findings) {
        double[] staged = stagingLevels(track);
        String where = track.inserts().isEmpty() ? "before the fader" : "into the inserts";
        if (stage == Stage.TRACKING) {
            level(track, "track", "peak " + where, staged[0], "dBFS", -18, -12, -6,
                    "-18..-12, never above -6", "turn the input gain or trim down", "raise the input gain or trim",
                    lines, findings);
        } else if (stage == Stage.MIXING) {
            level(track, "track", "average " + where, staged[1], "dBFS", -18, -12, -12, "-18..-12",
                    "lower its trim, e.g. " + track.name() + ".autoTrim(-18)",
                    "raise its trim, e.g. " + track.name() + ".autoTrim(-18)", lines, findings);
        } else {
            lines.add(new Line(track.name(), "track", "average " + where, staged[1], "dBFS", "-",
                    staged[1] == Double.NEGATIVE_INFINITY ? NO_SIGNAL : "-"));
        }
    }

    private static void judgeBus(Bus bus, List<Line> lines, List<Finding> findings) {
        double peak = bus.meter(MeterPoint.POST_FADER).peakMax();
        level(bus, bus.kind().scriptName(), "peak after the fader", peak, "dBFS", Double.NEGATIVE_INFINITY, -3, -3,
                "below -3", "lower its fader or what feeds it", "", lines, findings);
    }

    private static void judgeMaster(Bus master, Stage stage, List<Line> lines, List<Finding> findings) {
        MeterReading post = master.meter(MeterPoint.POST_FADER);
        if (stage != Stage.MASTERING) {
            level(master, "master", "peak after the fader", post.peakMax(), "dBFS", -6, -3, -3, "-6..-3",
                    "lower the tracks' faders, not the master's", "raise the tracks' faders", lines, findings);
            return;
        }
        if (post.loudness() == null) {
            lines.add(new Line("master", "master", "integrated loudness", Double.NaN, "LUFS", "-16..-14", "not measured"));
            findings.add(new Finding("master", Problem.LOUDNESS_NOT_MEASURED, "loudness is not measured after the"
                    + " fader: set master.loudness = \"post\" and play the mix again"));
            return;
        }
        level(master, "master", "integrated loudness", post.loudness().integrated(), "LUFS", -16, -14, -14, "-16..-14",
                "streaming services will turn it down; ease the limiter", "raise it towards -14 LUFS", lines, findings);
        double truePeak = post.loudness().truePeak();
        boolean tooHot = truePeak != Double.NEGATIVE_INFINITY && asShown(truePeak) > -1;
        lines.add(new Line("master", "master", "true peak", truePeak, "dBTP", "at most -1",
                truePeak == Double.NEGATIVE_INFINITY ? NO_SIGNAL : tooHot ? "too hot" : "ok"));
        if (tooHot) {
            findings.add(new Finding("master", Problem.TOO_HOT, String.format(Locale.ROOT,
                    "too hot: true peak %.1f dBTP, above -1 dBTP; lower the limiter's ceiling", truePeak)));
        }
    }

    /**
     * Adds a line for a level against a target of {@code low..high} and a finding when it passes
     * {@code hotAbove} or lies {@link #QUIET_MARGIN_DB} under {@code low}.
     */
    private static void level(Strip strip, String kind, String measure, double value, String unit, double low,
                              double high, double hotAbove, String target, String coolAdvice, String warmAdvice,
                              List<Line> lines, List<Finding> findings) {
        String verdict;
        String shown = String.format(Locale.ROOT, "%.1f %s", value, unit);
        if (value == Double.NEGATIVE_INFINITY) {
            verdict = NO_SIGNAL;
        } else if (asShown(value) > hotAbove) {
            verdict = "too hot";
            findings.add(new Finding(strip.name(), Problem.TOO_HOT, "too hot: " + measure + " " + shown
                    + ", target " + target + " " + unit + "; " + coolAdvice));
        } else if (asShown(value) < low - QUIET_MARGIN_DB) {
            verdict = "too quiet";
            findings.add(new Finding(strip.name(), Problem.TOO_QUIET, "too quiet: " + measure + " " + shown
                    + ", target " + target + " " + unit + "; " + warmAdvice));
        } else if (asShown(value) < low) {
            verdict = "a little low";
        } else if (asShown(value) > high) {
            verdict = "a little hot";
        } else {
            verdict = "ok";
        }
        lines.add(new Line(strip.name(), kind, measure, value, unit, target, verdict));
    }

    /** A finite level as the report shows it, to a tenth of a dB. */
    private static double asShown(double level) {
        return Math.round(level * 10) / 10.0;
    }

    private static void checkClipping(Strip strip, List<Finding> findings) {
        for (MeterPoint point : MeterPoint.values()) {
            long clips = strip.meter(point).clips();
            if (clips > 0) {
                String where = switch (point) {
                    case INPUT -> "at the input";
                    case PRE_FADER -> "before the fader";
                    case POST_FADER -> "after the fader";
                };
                findings.add(new Finding(strip.name(), Problem.CLIPPING, "clipping: " + clips + " sample"
                        + (clips == 1 ? "" : "s") + " at or above 0 dBFS " + where));
            }
        }
    }

    private static void checkSends(Strip strip, Session session, List<Finding> findings) {
        for (Send send : strip.sends()) {
            Bus bus = send.destination();
            if (strip.formerOutputs().contains(bus)) {
                findings.add(new Finding(strip.name(), Problem.STALE_SEND, "sends to " + bus.name()
                        + ", where its output went before it was re-routed to "
                        + (strip.output() == null ? "nowhere" : strip.output().name())
                        + ": a send left behind? remove it with " + strip.name() + ".sends[...].remove()"));
            } else if (!reachesMaster(bus, session)) {
                findings.add(new Finding(strip.name(), Problem.SEND_NOT_HEARD, "sends to " + bus.name()
                        + ", whose output does not reach the master: the send is not heard"));
            }
        }
    }

    /**
     * Armed tracks whose live input, while heard, stayed silent; and live inputs heard through more than one
     * track now (each extra track hears the same signal again, summed or comb-filtered).
     */
    private static void checkMonitoring(Session session, List<Finding> findings) {
        boolean rolling = session.transportRolling();
        boolean recording = session.recorder().recording();
        java.util.Map<List<Object>, Track> heard = new java.util.HashMap<>();
        for (Track track : session.tracks()) {
            MonitorMode mode = MonitorMode.ofScriptName(track.monitoring());
            boolean hearsInput = mode.hearsInput(track.armed(), rolling, recording);
            String input = describeInput(track);
            if (track.armed() && hearsInput && track.meter(MeterPoint.INPUT).peakMax() < SILENT_INPUT_DBFS) {
                findings.add(new Finding(track.name(), Problem.SILENT_INPUT, "armed, but its input " + input
                        + " has been silent: check the input assignment, the cable and the preamp before recording"));
            }
            if (!hearsInput || input.equals("none")) {
                continue;
            }
            Track first = heard.putIfAbsent(track.input(), track);
            if (first != null) {
                findings.add(new Finding(track.name(), Problem.DOUBLE_MONITORING, "hears " + input + " live, as "
                        + first.name() + " does: double monitoring; set " + track.name()
                        + ".monitoring = \"auto\" or \"off\""));
            }
        }
    }

    private static String describeInput(Track track) {
        List<Object> inputs = track.input();
        if (inputs.stream().allMatch(java.util.Objects::isNull)) {
            return "none";
        }
        return inputs.stream().distinct().count() == 1 ? String.valueOf(inputs.getFirst()) : inputs.toString();
    }

    private static boolean reachesMaster(Bus bus, Session session) {
        for (Strip at = bus; at != null; at = at.output()) {
            if (at == session.master()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The report as the REPL prints it: the lines in aligned columns (levels right-aligned), then the
     * problems; with none, what had no signal, or that nothing had any.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Gain report (" + stage.scriptName() + "):\n");
        int[] widths = new int[Line.COLUMNS];
        for (Line line : lines) {
            List<String> columns = line.columns();
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], columns.get(i).length());
            }
        }
        for (Line line : lines) {
            List<String> columns = line.columns();
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String format = i == Line.LEVEL_COLUMN ? "%" + widths[i] + "s" : "%-" + widths[i] + "s";
                row.append(i == Line.UNIT_COLUMN ? " " : "  ").append(String.format(Locale.ROOT, format, columns.get(i)));
            }
            text.append(row.toString().stripTrailing()).append('\n');
        }
        List<String> silent = lines.stream().filter(line -> line.verdict().equals(NO_SIGNAL)).map(Line::strip).toList();
        if (findings.isEmpty() && silent.size() == lines.size()) {
            text.append("No signal: nothing played since the meters' last reset; play the session, then ask again.");
        } else if (findings.isEmpty()) {
            text.append("No problems found").append(silent.isEmpty() ? "." : "; no signal on " + String.join(", ", silent) + ".");
        } else {
            text.append(findings.size()).append(findings.size() == 1 ? " problem:" : " problems:");
            findings.forEach(finding -> text.append("\n  ").append(finding));
        }
        return text.toString();
    }
}
