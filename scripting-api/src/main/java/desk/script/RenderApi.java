package desk.script;

import desk.engine.delivery.Container;
import desk.engine.delivery.DeliveryReport;
import desk.engine.delivery.DeliverySpec;
import desk.engine.io.Dither;
import desk.engine.io.SampleFormat;
import desk.session.Bounce;
import desk.session.Clip;
import desk.session.DeskException;
import desk.session.LoudnessPlot;
import desk.session.Session;
import desk.session.Strip;
import desk.session.Tail;
import desk.session.Track;
import org.graalvm.polyglot.Value;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The script API for renders: {@code session.render} (the master, delivered as WAV, Broadcast Wave or FLAC,
 * dithered, at a loudness target), {@code session.exportStems}, {@code session.bounce} and
 * {@code track.bounceInPlace}, and the {@code Render} report a render returns.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class RenderApi {
    private static final Set<String> RENDER_OPTIONS = Set.of("seconds", "format", "bits", "dither", "loudness",
            "truePeak", "rate", "description", "tail", "tailSilence");
    private static final Set<String> STEM_OPTIONS = Set.of("seconds", "strips", "point", "tail", "tailSilence");

    private RenderApi() {
    }

    /** Adds {@code render} and {@code exportStems} to the session type; relative paths lie in {@code folder}. */
    static ApiType<Session> sessionMembers(ApiType<Session> type, Path folder) {
        return type
                .method("render", "render(file, {seconds, format, bits, dither, loudness, truePeak, rate, description, tail,"
                        + " tailSilence})",
                        "Renders seconds of the master offline into file (inside the session folder if there is"
                        + " one, else the working folder): format \"wav\", \"bwf\" or \"flac\" (default: from the"
                        + " file's name), bits 16, 24 (default) or \"32f\", dither \"none\", \"tpdf\" (default for"
                        + " 16 bits) or \"shaped\"; loudness: an integrated loudness to reach, LUFS, under truePeak"
                        + " (dBTP, default -1); rate: the file's sample rate when not the session's (converted);"
                        + " description: for a Broadcast Wave file; tail: \"auto\" or seconds rendered after, with"
                        + " the transport stopped, while the mix rings out (until quieter than tailSilence, dBFS,"
                        + " default -90). Returns a Render.",
                        RENDER_OPTIONS, (s, a) -> render(s, a, folder))
.method("bounce", "bounce({range, source, to})", "Renders the master, or what the bus source adds to"
                        + " it, over range ([start, end], times; default the whole song, to the end of its last clip)"
                        + " to a file in the session folder's bounces/ and places it as a clip on a new stereo track"
                        + " called to (default \"<source> bounce\"); returns the track. Renders apart from the desk,"
                        + " live too.", Set.of("range", "source", "to"), (s, a) -> {
                        a.check(0, Set.of("range", "source", "to"));
                        String label = a.method();
                        Value from = a.option("source");
                        Strip source = from == null ? s.master() : s.find(Convert.text(from, label + " source"));
                        if (source == null) {
                            throw new DeskException(label + " source " + Convert.show(from) + ": no such bus");
                        }
                        Value to = a.option("to");
                        String name = to == null ? source.name() + " bounce" : Convert.text(to, label + " to");
                        long[] range = range(s, a.option("range"), label);
                        return Bounce.bounce(s, source, range[0], range[1], name);
                    })
                .method("exportStems", "exportStems(folder, {seconds, strips, point, tail, tailSilence})", "Renders seconds offline"
                        + " into folder (inside the session folder if there is one, else the working folder; made if"
                        + " missing): one 32-bit float WAV per strip"
                        + " (default: every track and bus), what its output adds to the bus it feeds (point"
                        + " \"post-fader\", the default) or its own signal after trim and inserts (\"pre-fader\"),"
                        + " and master.wav; all the same length and lined up with the master, with a tail as render"
                        + " has. Returns the files' paths.", STEM_OPTIONS, (s, a) -> exportStems(s, a, folder));
    }

    /** Adds {@code bounceInPlace} to the track type. */
    static ApiType<Track> trackMembers(ApiType<Track> type) {
        return type.method("bounceInPlace", "bounceInPlace({range})", "Renders the track after its trim and inserts"
                + " (range: [start, end], times; default the whole song, to the end of its last clip) to a file in"
                + " the session folder's bounces/, places it as a clip on a new track set like this one (\"Vox"
                + " bounce\"), mutes this one and returns the new track. Renders apart from the desk, live too.",
                Set.of("range"), (t, a) -> {
                    a.check(0, Set.of("range"));
                    long[] range = range(t.session(), a.option("range"), a.method());
                    return Bounce.inPlace(t, range[0], range[1]);
                })
                .method("freeze", "freeze({until})", "Renders the track before its fader, from 0 to until (a time;"
                        + " default the end of the song's last clip) and on while its reverbs and delays ring out, to"
                        + " a file in the session folder's .frozen/, then plays that instead of its inputs, clips"
                        + " and inserts, which cost nothing more (trim, inserts, input and clips cannot be changed"
                        + " until it is unfrozen). Rendered apart, live too.", Set.of("until"), (t, a) -> {
                    a.check(0, Set.of("until"));
                    Value until = a.option("until");
                    long end = until == null ? range(t.session(), null, a.method())[1]
                            : Math.round(t.session().tempo().position(Convert.time(until, a.method() + " until"),
                            t.session().transportSample(), a.method() + " until"));
                    if (end <= 0) {
                        throw new DeskException(a.method() + " until " + Convert.show(until) + ": must be after 0");
                    }
                    Bounce.freeze(t, end);
                    return ApiType.NOTHING;
                })
                .method("unfreeze", "unfreeze()", "Makes a frozen track live again: its inputs, clips, trim and"
                        + " inserts as they are set.", Set.of(), (t, a) -> {
                    a.check(0, Set.of());
                    t.unfreeze();
                    return ApiType.NOTHING;
                })
                .property("frozen", "True while the track is frozen (see freeze).", Track::frozen);
    }

    /** The range a bounce renders: {@code [start, end]} as given, or from 0 to the end of the last clip. */
    private static long[] range(Session session, Value value, String label) {
        if (value == null || value.isNull()) {
            long end = 0;
            for (Track track : session.tracks()) {
                for (Clip clip : track.clips()) {
                    end = Math.max(end, clip.position() + clip.length());
                }
            }
            if (end == 0) {
                throw new DeskException(label + ": needs {range: [start, end]}: no clip marks where the song ends");
            }
            return new long[] {0, end};
        }
        if (!value.hasArrayElements() || value.getArraySize() != 2) {
            throw new DeskException(label + " range " + Convert.show(value) + ": must be [start, end], two times");
        }
        long[] range = new long[2];
        for (int i = 0; i < 2; i++) {
            range[i] = Math.round(session.tempo().position(Convert.time(value.getArrayElement(i), label + " range"),
                    session.transportSample(), label + " range"));
        }
        if (range[1] <= range[0]) {
            throw new DeskException(label + " range " + Convert.show(value) + ": the end must come after the start");
        }
        return range;
    }

    /** The report a render returns; relative plot files lie in {@code folder}. */
    static ApiType<DeliveryReport> renderType(Session session, Path folder) {
        return new ApiType<>("Render", DeliveryReport.class, "What session.render wrote and measured (Desk's meters"
                + " on the delivered audio; -Infinity for silence); prints as one line.", r -> "render")
                .property("file", "The file written.", r -> r.file().toString())
                .property("seconds", "Its length, seconds.", DeliveryReport::seconds)
                .property("format", "\"wav\", \"bwf\" or \"flac\".", r -> r.spec().container().label())
                .property("bits", "16, 24 or \"32f\".", r -> r.spec().sampleFormat().isFloat() ? "32f"
                        : (Object) r.spec().sampleFormat().bitsPerSample())
                .property("dither", "\"none\", \"tpdf\" or \"shaped\".", r -> r.spec().dither().label())
                .property("rate", "Its sample rate, Hz.", DeliveryReport::sampleRate)
                .property("integrated", "Integrated loudness, LUFS.", DeliveryReport::integratedLufs)
                .property("truePeak", "Highest true peak, dBTP.", DeliveryReport::truePeakDbtp)
                .property("loudnessRange", "Loudness range, LU.", DeliveryReport::loudnessRangeLu)
                .property("samplePeak", "Highest sample, dBFS.", DeliveryReport::samplePeakDbfs)
                .property("maxMomentary", "Highest momentary loudness, LUFS.", DeliveryReport::maxMomentaryLufs)
                .property("maxShortTerm", "Highest short-term loudness, LUFS.", DeliveryReport::maxShortTermLufs)
                .property("gain", "The gain applied to reach the loudness target, dB (0 without one).",
                        DeliveryReport::gainDb)
                .property("limiter", "The limiter's deepest gain reduction, dB (0 when it never acted).",
                        DeliveryReport::limiterReductionDb)
                .method("plot", "plot(file)", "Draws the loudness over time into file, a PNG (inside the session"
                        + " folder if there is one, else the working folder): momentary and short-term, the integrated"
                        + " value and the target, the loudness range, true-peak overs and every reading. Returns its"
                        + " path.", Set.of(), (r, a) -> {
                        a.check(1, Set.of());
                        String path = Convert.text(a.required(0, "a file"), a.method() + " file");
                        Path base = session.recorder().folder() != null ? session.recorder().folder() : folder;
                        Path png = DeskApi.insideFolder(base, path, a.method());
                        try {
                            LoudnessPlot.draw(png, LoudnessPlot.Readings.of(r));
                        } catch (java.io.IOException e) {
                            throw new DeskException(a.method() + ": " + e.getMessage());
                        }
                        return png.toString();
                    });
    }

    private static DeliveryReport render(Session session, Arguments a, Path folder) {
        a.check(1, RENDER_OPTIONS);
        String label = a.method();
        String path = Convert.text(a.required(0, "a file"), label + " file");
        Value seconds = a.option("seconds");
        if (seconds == null) {
            throw new DeskException(label + ": needs {seconds: ...}, how long to render");
        }
        Path base = session.recorder().folder() != null ? session.recorder().folder() : folder;
        Path file = DeskApi.insideFolder(base, path, label);
        DeliverySpec spec = spec(file, a, label);
        return session.render(file, Convert.number(seconds, label + " seconds", "seconds"), spec, tail(a, label));
    }

    /** The delivery the options ask for; one line naming the option when one is wrong. */
    private static DeliverySpec spec(Path file, Arguments a, String label) {
        String option = "format";
        try {
            Value format = a.option("format");
            Container container = format == null ? Container.forFile(file)
                    : Container.parse(Convert.text(format, label + " format"));
            option = "bits";
            Value bits = a.option("bits");
            SampleFormat sampleFormat = bits == null ? SampleFormat.PCM_24 : SampleFormat.parse(
                    bits.isNumber() && bits.fitsInInt() ? String.valueOf(bits.asInt()) : Convert.text(bits, label + " bits"));
            option = "dither";
            Value dither = a.option("dither");
            Dither.Kind kind = dither == null ? DeliverySpec.defaultDither(sampleFormat)
                    : Dither.Kind.parse(Convert.text(dither, label + " dither"));
            option = "";
            Value rate = a.option("rate");
            Value description = a.option("description");
            return new DeliverySpec(container, sampleFormat, kind, optional(a.option("loudness"), label + " loudness",
                    "LUFS"), optional(a.option("truePeak"), label + " truePeak", "dBTP"),
                    description == null ? "" : Convert.text(description, label + " description"), 0,
                    rate == null ? 0 : Convert.integer(rate, label + " rate", DeliverySpec.MIN_SAMPLE_RATE,
                            DeliverySpec.MAX_SAMPLE_RATE));
        } catch (IllegalArgumentException e) {
            throw new DeskException(label + (option.isEmpty() ? "" : " " + option) + ": " + e.getMessage());
        }
    }

    /** The tail the options ask for: none without {@code tail}. */
    private static Tail tail(Arguments a, String label) {
        Value tail = a.option("tail");
        Value silence = a.option("tailSilence");
        if (tail == null) {
            if (silence != null) {
                throw new DeskException(label + " tailSilence: goes with a tail: add {tail: \"auto\"} or seconds");
            }
            return Tail.NONE;
        }
        String text = tail.isNumber() ? String.valueOf(tail.asDouble()) : Convert.text(tail, label + " tail");
        try {
            return Tail.of(text, silence == null ? Tail.DEFAULT_SILENCE
                    : Convert.number(silence, label + " tailSilence", "-200..0 dBFS"));
        } catch (IllegalArgumentException e) {
            throw new DeskException(label + ": " + e.getMessage());
        }
    }

    private static double optional(Value value, String label, String unit) {
        return value == null || value.isNull() ? Double.NaN : Convert.number(value, label, unit);
    }

    private static List<String> exportStems(Session s, Arguments a, Path folder) {
        a.check(1, STEM_OPTIONS);
        String path = Convert.text(a.required(0, "a folder"), a.method() + " folder");
        Value point = a.option("point");
        String where = point == null ? "post-fader" : Convert.text(point, a.method() + " point");
        if (!where.equals("post-fader") && !where.equals("pre-fader")) {
            throw new DeskException(a.method() + " point \"" + where + "\": must be \"post-fader\" or \"pre-fader\"");
        }
        Value seconds = a.option("seconds");
        if (seconds == null) {
            throw new DeskException(a.method() + ": needs {seconds: ...}, how long to render");
        }
        List<String> names = Convert.texts(a.option("strips"), a.method() + " strips");
        List<Strip> strips = new ArrayList<>();
        if (names == null) {
            strips.addAll(s.tracks());
            strips.addAll(s.buses());
        } else {
            for (String name : names) {
                Strip strip = s.find(name);
                if (strip == null || strip == s.master()) {
                    throw new DeskException(a.method() + " strips: \"" + name + "\""
                            + (strip == null ? ": no such strip" : ": the master is master.wav already"));
                }
                strips.add(strip);
            }
        }
        Path base = s.recorder().folder() != null ? s.recorder().folder() : folder;
        return s.exportStems(DeskApi.insideFolder(base, path, a.method()),
                Convert.number(seconds, a.method() + " seconds", "seconds"), strips, where.equals("pre-fader"),
                tail(a, a.method())).stream()
                .map(Path::toString).toList();
    }
}
