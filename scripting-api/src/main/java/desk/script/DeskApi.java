package desk.script;

import desk.engine.AudioInterface;
import desk.engine.Interpolation;
import desk.engine.MonitorMode;
import desk.engine.Parameter;
import desk.control.MidiSurface;
import desk.control.OscSurface;
import desk.session.Bus;
import desk.session.Clip;
import desk.session.DeskException;
import desk.session.RoutingView;
import desk.session.Session;
import desk.session.Source;
import desk.session.Strip;
import desk.session.Track;
import org.graalvm.polyglot.Value;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API scripts use, the same in JavaScript and Python: the session, tracks, buses, sends, sources and
 * meters, their members and what each accepts. Units: dB for levels, -1..+1 for pan and balance, seconds
 * for time.
 * <p>
 * Threads: built once; used on the script thread.
 */
public final class DeskApi {
    private DeskApi() {
    }

    /**
     * A registry with every API type, for scripts over {@code session} whose working folder is
     * {@code folder} (where relative paths start, and the only place {@code session.file} may read).
     */
    public static ApiRegistry registry(Session session, Path folder) {
        return registry(session, folder, new OscSurface(session, Runnable::run, session::notice,
                java.time.Clock.systemUTC(), false), new MidiSurface(session, session::notice));
    }

    /** As {@link #registry(Session, Path)}, with {@code osc} as {@code session.osc} and {@code midi} as {@code session.midi}. */
    public static ApiRegistry registry(Session session, Path folder, OscSurface osc, MidiSurface midi) {
        ApiRegistry registry = new ApiRegistry();
        registry.register(NodeApi.sessionMembers(PluginApi.sessionMembers(MidiApi.sessionMembers(OscApi.sessionMembers(
                RenderApi.sessionMembers(session(folder.toAbsolutePath().normalize()), folder.toAbsolutePath().normalize()),
                osc), midi))));
        registry.register(RenderApi.trackMembers(track(session, folder.toAbsolutePath().normalize())));
        registry.register(bus(session));
        registry.register(SendApi.send(session));
        registry.register(SourceApi.source());
        registry.register(SourceApi.sourceChannel());
        registry.register(MeterApi.meter());
        registry.register(TimeApi.lane(session));
        registry.register(TimeApi.point(session));
        registry.register(TimeApi.task(session));
        registry.register(TimeApi.expectation());
        registry.register(MeterApi.meterWatch());
        registry.register(MeterApi.gainReport());
        registry.register(latency(session));
        registry.register(RecordApi.take());
        registry.register(clip(session));
        registry.register(InsertApi.insertType(session));
        registry.register(InsertApi.typeType());
        registry.register(InsertApi.parameterType());
        registry.register(PluginApi.pluginType());
        registry.register(RenderApi.renderType(session, folder.toAbsolutePath().normalize()));
        registry.register(OscApi.oscType(session));
        registry.register(MidiApi.midiType(session));
        registry.register(MidiApi.mappingType());
        registry.register(NodeApi.node());
        return registry;
    }

    private static ApiType<Session> session(Path folder) {
        ApiType<Session> type = new ApiType<>("Session", Session.class,
                "The session: tracks, buses, the master and sources.", s -> "session")
                .method("track", "track(name, {channels, on})", "The track called name, created if it does not exist:"
                        + " channels 1..8 (default 1); on: the node it runs on (default or null: this engine).",
                        Set.of("channels", "on"), (s, a) -> {
                        a.check(1, Set.of("channels", "on"));
                        String name = Convert.text(a.required(0, "a name"), a.method() + " name");
                        Value channels = a.option("channels");
                        Value on = a.option("on");
                        if (on != null && !on.isNull()) {
                            return s.track(name, channels == null ? 1 : Convert.integer(channels,
                                    a.method() + " channels", 1, 8), Convert.text(on, a.method() + " on"));
                        }
                        return channels == null ? s.track(name)
                                : s.track(name, Convert.integer(channels, a.method() + " channels", 1, 8));
                    })
                .method("bus", "bus(name, {kind, channels, on})", "The bus called name, created if it does not exist:"
                        + " kind \"group\" (default) or \"aux\", channels 1 or 2 (default 2); on: the node it runs on.",
                        Set.of("kind", "channels", "on"), (s, a) -> {
                        a.check(1, Set.of("kind", "channels", "on"));
                        String name = Convert.text(a.required(0, "a name"), a.method() + " name");
                        Value kind = a.option("kind");
                        Value channels = a.option("channels");
                        Value on = a.option("on");
                        boolean here = on == null || on.isNull();
                        if (kind == null && channels == null && here) {
                            return s.bus(name);
                        }
                        return s.bus(name, kind == null ? "group" : Convert.text(kind, a.method() + " kind"),
                                channels == null ? 2 : Convert.integer(channels, a.method() + " channels", 1, 2),
                                here ? null : Convert.text(on, a.method() + " on"));
                    })
                .property("master", "The stereo master bus.", Session::master)
                .property("tracks", "The tracks, in the order they were made.", Session::tracks)
                .property("buses", "The group and aux buses, in the order they were made.", Session::buses)
                .method("find", "find(name)", "The track or bus called name (\"master\" for the master), or null.",
                        Set.of(), (s, a) -> {
                        a.check(1, Set.of());
                        return s.find(Convert.text(a.required(0, "a name"), a.method() + " name"));
                    })
                .method("generator", "generator(type, {freq, level, color, seed, at, every})", "A test-signal source:"
                        + " \"sine\" or \"square\" (freq Hz, default 1000; level dBFS peak, default -20), \"noise\""
                        + " (color \"white\" or \"pink\", seed, level dBFS RMS), \"impulse\" (level, at s, every s),"
                        + " \"silence\".", Set.of("freq", "level", "color", "seed", "at", "every"), (s, a) -> {
                        a.check(1, Set.of("freq", "level", "color", "seed", "at", "every"));
                        return s.generator(Convert.text(a.required(0, "a type"), a.method() + " type"), a.plainOptions());
                    })
                .method("file", "file(path, {loop, truncated})", "A WAV file as a source, playing from the start, once"
                        + " or looped (loop: true/false, default false); truncated: \"allow\" opens a file cut short"
                        + " and plays what is there.", Set.of("loop", "truncated"), (s, a) -> {
                        a.check(1, Set.of("loop", "truncated"));
                        Value loop = a.option("loop");
                        return s.file(audioFile(s, folder, Convert.text(a.required(0, "a path"), a.method() + " path"),
                                a.method()), loop != null && Convert.bool(loop, a.method() + " loop"),
                                allowTruncated(a.option("truncated"), a.method() + " truncated"));
                    })
                .property("sources", "The generators and files made so far.", Session::sources)
                .property("insertTypes", "The kinds of insert strips take, with their parameters.",
                        s -> desk.engine.fx.BuiltIns.all())
                .property("inputs", "The capture ports of the interface, by name, e.g. \"system:capture_1\".",
                        Session::inputs)
                .property("outputs", "The playback ports the master feeds, by name.", Session::outputs)
                .property("sampleRate", "The engine's sample rate, Hz.", Session::sampleRate)
                .property("clock", "The engine's clock, seconds of audio since it started.", Session::seconds);
        type = TransportApi.sessionMembers(type);
        type = type
                .method("expect", "expect(value, name)", "A check on value, reported under name: toBeBelow,"
                        + " toBeAbove, toBe, toBeCloseTo.", Set.of(), (s, a) -> {
                        a.check(2, Set.of());
                        Value name = a.optional(1);
                        return s.expectations().expect(Convert.plain(a.required(0, "a value")),
                                name == null || name.isNull() ? null : Convert.text(name, a.method() + " name"));
                    })
                .property("callbackBudget", "How long one scheduled function or watch callback may run before it is"
                        + " stopped and cancelled, ms: 1..60000 (default 100).", s -> s.callbackBudget().milliseconds(),
                        (s, v) -> s.callbackBudget().milliseconds(Convert.number(v, "session.callbackBudget",
                                "1..60000 ms")))
                .property("metering", "Whether the strips' meters are measured (true/false, default true).",
                        Session::metering, (s, v) -> s.metering(Convert.bool(v, "session.metering")))
                .property("vuReference", "The level that reads 0 VU, dBFS: -40..0 (default -18).", Session::vuReference,
                        (s, v) -> s.vuReference(Convert.number(v, "session.vuReference", "-40..0 dBFS")))
                .method("resetMeters", "resetMeters()", "Clears every strip's meters: peaks, clips, averages, loudness.",
                        Set.of(), (s, a) -> {
                        a.check(0, Set.of());
                        s.resetMeters();
                        return ApiType.NOTHING;
                    })
                .method("gainReport", "gainReport({stage})", "The gain-staging assistant: every track, bus and the"
                        + " master against the targets of stage \"tracking\", \"mixing\" (default) or \"mastering\","
                        + " with the problems found.", Set.of("stage"), (s, a) -> {
                        a.check(0, Set.of("stage"));
                        Value stage = a.option("stage");
                        return s.gainReport(stage == null ? "mixing" : Convert.text(stage, a.method() + " stage"));
                    })
                .method("routing", "routing({format})", "The signal flow as text: format \"tree\" (default: from the"
                        + " master down, with sends, inputs and ports) or \"dot\" (Graphviz).", Set.of("format"), (s, a) -> {
                        a.check(0, Set.of("format"));
                        Value format = a.option("format");
                        return RoutingView.draw(s, format == null ? "tree" : Convert.text(format, a.method() + " format"),
                                a.method() + " format");
                    })
                .property("bufferSize", "Frames per period of the audio interface, as the server has it now (0 offline).",
                        Session::bufferSize)
                .property("latency", "The latency figures now: buffer, capture and playback ranges, round trip.",
                        Session::latency)
                .property("xruns", "Xruns (buffer over- or underruns) counted since the engine started.",
                        Session::xruns);
        type = RecordApi.sessionMembers(type);
        type = SessionFileApi.sessionMembers(type, folder);
        return type
                .property("takes", "The takes in the session folder's takes/, by file name.", s -> s.recorder().takes())
                .property("playbackMissed", "Seconds of clip playback played as silence because the disk reader was"
                        + " not there yet (after a locate or an edit while playing, or a slow disk).",
                        s -> s.recorder().playbackMissed());
    }

    private static <T extends Strip> ApiType<T> strip(ApiType<T> type, Session session) {
        return InsertApi.stripMembers(type)
                .property("name", "The name, unique in the session; set it to rename.", Strip::name,
                        (t, v) -> t.name(Convert.text(v, t.name() + ".name")))
                .property("channels", "Number of channels: 1 (mono), 2 (stereo) or more.", Strip::channels)
                .property("trim", "Input trim, dB: " + Parameter.TRIM.allowed() + ".", Strip::trim,
                        (t, v) -> t.trim(byHand(t, Parameter.TRIM, Convert.parameter(v, t.name() + ".trim", Parameter.TRIM))))
                .property("fader", "Fader, dB: " + Parameter.FADER.allowed() + ".", Strip::fader,
                        (t, v) -> t.fader(byHand(t, Parameter.FADER, Convert.parameter(v, t.name() + ".fader", Parameter.FADER))))
                .property("pan", "Pan of a mono strip, -1 (left) .. +1 (right).", Strip::pan,
                        (t, v) -> t.pan(byHand(t, Parameter.PAN, Convert.parameter(v, t.name() + ".pan", Parameter.PAN))))
                .property("balance", "Balance of a stereo or wider strip, -1..+1.", Strip::balance,
                        (t, v) -> t.balance(byHand(t, Parameter.BALANCE, Convert.parameter(v, t.name() + ".balance", Parameter.BALANCE))))
                .property("panLaw", "Pan law, dB at the centre: 0, -3 (default), -4.5 or -6.", Strip::panLaw,
                        (t, v) -> t.panLaw(Convert.parameter(v, t.name() + ".panLaw", Parameter.PAN_LAW)))
                .property("phase", "Polarity inverted: true/false for every channel, or one per channel.",
                        DeskApi::phase, DeskApi::setPhase)
                .property("mute", "Muted (true/false): closes the output and all sends.", Strip::mute,
                        (t, v) -> {
                            boolean on = Convert.bool(v, t.name() + ".mute");
                            t.refuseUnheard(Parameter.MUTE, Boolean.toString(on));
                            t.mute(on);
                        })
                .property("solo", "Soloed in place (true/false).", Strip::solo,
                        (t, v) -> t.solo(Convert.bool(v, t.name() + ".solo")))
                .property("soloSafe", "Never muted by other strips' solo (true/false).", Strip::soloSafe,
                        (t, v) -> t.soloSafe(Convert.bool(v, t.name() + ".soloSafe")))
                .property("output", "Where the output goes: a bus, session.master, or null for nowhere.",
                        Strip::output, (t, v) -> t.output(v.isNull() ? null : bus(session, v, t.name() + ".output")))
                .method("send", "send(bus, {level, pre})", "Sends to a group or aux bus: level dB, "
                        + Parameter.SEND_LEVEL.allowed() + " (default 0); pre true for pre-fader (default false)."
                        + " Sending again to the same bus updates that send.", Set.of("level", "pre"), (t, a) -> {
                        a.check(1, Set.of("level", "pre"));
                        Bus bus = bus(session, a.required(0, "a bus"), a.method());
                        Value level = a.option("level");
                        Value pre = a.option("pre");
                        return t.send(bus, level == null ? 0 : Convert.parameter(level, a.method() + " level",
                                Parameter.SEND_LEVEL), pre != null && Convert.bool(pre, a.method() + " pre"));
                    })
                .property("sends", "The sends, in the order they were made.", Strip::sends)
                .property("meter", "The meters now, after the fader; meter.pre before it, meter.input at the input.",
                        Strip::meters)
                .method("lane", "lane(parameter)", "The automation lane of \"trim\", \"fader\", \"pan\", \"balance\""
                        + " or \"mute\".", Set.of(), (t, a) -> {
                        a.check(1, Set.of());
                        return t.lane(Convert.text(a.required(0, "a parameter name"), a.method() + " parameter"));
                    })
                .property("lanes", "The automation lanes made so far.", Strip::lanes)
                .method("ramp", "ramp(parameter, target, duration, {curve})", "Moves trim, fader, pan or balance to"
                        + " target over duration (seconds or \"2 bars\"), sample-accurately; curve \"db\" (default),"
                        + " \"gain\" or \"scurve\".", Set.of("curve"), (t, a) -> {
                        a.check(3, Set.of("curve"));
                        t.ramp(rampParameter(a), rampTarget(a), rampSamples(session, a),
                                curve(a.option("curve"), a.method() + " curve"));
                        return ApiType.NOTHING;
                    })
                .property("loudness", "Where loudness and true peak are measured: \"input\", \"pre\", \"post\" or"
                        + " \"off\" (the master: \"post\"; others: \"off\").", Strip::loudness,
                        (t, v) -> t.loudness(Convert.text(v, t.name() + ".loudness")))
                .method("autoTrim", "autoTrim({target})", "Sets the trim so the average before the fader (AES17, since"
                        + " the last reset) lands on target dBFS, -60..0 (default -18); returns the trim.",
                        Set.of("target"), (t, a) -> {
                        a.check(0, Set.of("target"));
                        Value target = a.option("target");
                        return t.autoTrim(target == null ? -18 : Convert.number(target, a.method() + " target",
                                "-60..0 dBFS"));
                    })
                .method("remove", "remove()", "Removes it with its sends; what fed a removed bus goes to the master.",
                        Set.of(), (t, a) -> {
                        a.check(0, Set.of());
                        t.remove();
                        return ApiType.NOTHING;
                    });
    }

    private static ApiType<Track> track(Session session, Path folder) {
        ApiType<Track> type = new ApiType<>("Track", Track.class, "A track: mono, stereo or up to 8 channels.", Track::name)
                .property("input", "What feeds it: a port name (\"system:capture_1\"), a source, a source's channel(n),"
                        + " null, or a list with one per channel.", DeskApi::input, DeskApi::setInput)
                .property("armed", "Armed to record (true/false); needs an input.", Track::armed,
                        (t, v) -> t.armed(Convert.bool(v, t.name() + ".armed")))
                .property("on", "The node it runs on, or null for this engine; set a node's name (or null) to move it"
                        + " there while the transport is stopped, with everything it has.", Track::on,
                        (t, v) -> t.on(v == null || v.isNull() ? null : Convert.text(v, t.name() + ".on")))
                .property("monitoring", "What it hears: \"input\" (always the live input, the default), \"auto\""
                        + " (the live input while armed and stopped or recording, playback otherwise) or \"off\".",
                        Track::monitoring, (t, v) -> t.monitoring(Convert.text(v, t.name() + ".monitoring")))
                .property("takes", "The takes recorded on it, from the session folder.", Track::takes)
                .property("clips", "The clips on it, in the order they were placed.", Track::clips)
                .method("clip", "clip(path, {at, offset, length, gain, fadeIn, fadeOut, truncated})", "Places a WAV"
                        + " file (inside the working or the session folder) as a clip at a time (default 0), playing"
                        + " length (default: to the file's end) from offset into the file, gain dB (-inf..+18, default"
                        + " 0), fades in and out (default 0); truncated: \"allow\" opens a file cut short and plays"
                        + " what is there.", Set.of("at", "offset", "length", "gain", "fadeIn", "fadeOut", "truncated"),
                        (t, a) -> {
                        a.check(1, Set.of("at", "offset", "length", "gain", "fadeIn", "fadeOut", "truncated"));
                        String label = a.method();
                        String path = Convert.text(a.required(0, "a path"), label + " path");
                        Path file = audioFile(session, folder, path, label);
                        long at = a.option("at") == null ? 0 : Math.round(session.tempo().position(
                                Convert.time(a.option("at"), label + " at"), session.transportSample(), label + " at"));
                        long offset = samples(session, a.option("offset"), label + " offset");
                        Long length = a.option("length") == null ? null : samples(session, a.option("length"), label + " length");
                        double gain = a.option("gain") == null ? 0 : Convert.number(a.option("gain"), label + " gain",
                                "-inf..18 dB");
                        boolean allowTruncated = allowTruncated(a.option("truncated"), label + " truncated");
                        Clip clip = t.clip(file, clipName(session, folder, file), allowTruncated, offset, length, at,
                                gain, samples(session, a.option("fadeIn"), label + " fadeIn"),
                                samples(session, a.option("fadeOut"), label + " fadeOut"));
                        if (t.clips().size() == 1 && t.monitoring().equals(MonitorMode.INPUT.scriptName())) {
                            session.notice(label + ": " + t.name() + " monitors its input (\"input\"), which never"
                                    + " plays clips: set its monitoring to \"auto\" or \"off\" to hear them");
                        }
                        return clip;
                    });
        return strip(type, session);
    }

    private static ApiType<Bus> bus(Session session) {
        ApiType<Bus> type = new ApiType<>("Bus", Bus.class, "A group or aux bus, or the master.", Bus::name)
                .property("kind", "\"group\", \"aux\" or \"master\".", b -> b.kind().scriptName())
                .property("directOut", "A direct out (true/false, default false): the bus after its fader and mute"
                        + " on output ports of its own (on JACK desk:<bus>_out_1, _2); not on the master.",
                        Bus::directOut, (b, v) -> b.directOut(Convert.bool(v, b.name() + ".directOut")))
                .property("ports", "Its own output ports, one per channel: the master's, or its direct out's (none"
                        + " off JACK).", Bus::ports)
                .property("connections", "What its own output ports feed: a list of port names per channel.",
                        Bus::connections)
                .method("connectOut", "connectOut(ports)", "Connects its own output ports to ports: a name (mono),"
                        + " or a list with one name per channel (null for none); adds to what they feed.", Set.of(),
                        (b, a) -> {
                        a.check(1, Set.of());
                        b.connectOut(portNames(a.required(0, "port names"), a.method()));
                        return ApiType.NOTHING;
                    })
                .method("disconnectOut", "disconnectOut(port)", "Disconnects its own output ports from port, or"
                        + " from every port when called with none.", Set.of(), (b, a) -> {
                        a.check(1, Set.of());
                        Value port = a.optional(0);
                        b.disconnectOut(port == null || port.isNull() ? null : Convert.text(port, a.method() + " port"));
                        return ApiType.NOTHING;
                    });
        return strip(type, session);
    }

    private static ApiType<Clip> clip(Session session) {
        return new ApiType<>("Clip", Clip.class, "A region of a WAV file placed on a track.", Clip::toString)
                .property("file", "Its file, e.g. \"takes/Vox-001.wav\".", Clip::name)
                .property("track", "The track it is on.", Clip::track)
                .property("position", "Where it starts on the timeline, seconds; set a time to move it.",
                        c -> TransportApi.seconds(session, c.position()),
                        (c, v) -> c.position(Math.round(session.tempo().position(Convert.time(v, label(c) + ".position"),
                                session.transportSample(), label(c) + ".position"))))
                .property("offset", "Where in the file it starts playing, seconds; set it to trim the start.",
                        c -> TransportApi.seconds(session, c.offset()), (c, v) -> c.offset(samples(session, v, label(c) + ".offset")))
                .property("length", "How long it plays, seconds; set it to trim the end.",
                        c -> TransportApi.seconds(session, c.length()), (c, v) -> c.length(samples(session, v, label(c) + ".length")))
                .property("gain", "Clip gain, dB: -inf or -144..+18 (default 0), before the track's strip.", Clip::gain,
                        (c, v) -> c.gain(Convert.number(v, label(c) + ".gain", "-inf..18 dB")))
                .property("fadeIn", "Linear fade-in, seconds (default 0).", c -> TransportApi.seconds(session, c.fadeIn()),
                        (c, v) -> c.fadeIn(samples(session, v, label(c) + ".fadeIn")))
                .property("fadeOut", "Linear fade-out, seconds (default 0).", c -> TransportApi.seconds(session, c.fadeOut()),
                        (c, v) -> c.fadeOut(samples(session, v, label(c) + ".fadeOut")))
                .method("remove", "remove()", "Takes it off its track; the file stays.", Set.of(), (c, a) -> {
                    a.check(0, Set.of());
                    c.remove();
                    return ApiType.NOTHING;
                });
    }

    private static String label(Clip clip) {
        return clip.track().name() + " clip " + clip.name();
    }

    /** A duration (seconds or musical, 0 when absent) in samples. */
    private static long samples(Session session, Value value, String label) {
        if (value == null) {
            return 0;
        }
        return Math.round(session.tempo().length(Convert.time(value, label), label));
    }

    /** The {@code truncated} option: absent (refuse a file cut short) or "allow"; anything else is refused. */
    private static boolean allowTruncated(Value value, String label) {
        if (value == null) {
            return false;
        }
        if (value.isString() && value.asString().equals("allow")) {
            return true;
        }
        throw new DeskException(label + " " + Convert.show(value) + ": must be \"allow\" (to open a WAV file that is"
                + " cut short), or left out");
    }

    /**
     * An audio file a script names (a clip's or a file input's): a relative path is looked up in the session
     * folder first, where the takes are ("takes/Vox-001.wav"), then in the working folder; an absolute one must
     * lie inside either (links followed), else it is refused. A file in neither is refused naming both folders.
     */
    private static Path audioFile(Session session, Path folder, String path, String label) {
        Path sessionFolder = session.recorder().folder();
        if (sessionFolder == null) {
            return insideFolder(folder, path, label);
        }
        Path inSession = sessionFolder.resolve(path).normalize();
        try {
            if (inSession.startsWith(sessionFolder) && java.nio.file.Files.exists(inSession)
                    && inSession.toRealPath().startsWith(sessionFolder.toRealPath())) {
                return inSession;
            }
        } catch (java.io.IOException e) {
            throw new DeskException(label + " \"" + path + "\": cannot read it: " + e.getMessage());
        }
        Path inWorking = folder.resolve(path).normalize();
        if (!java.nio.file.Files.exists(inWorking) && (inSession.startsWith(sessionFolder) || inWorking.startsWith(folder))) {
            throw new DeskException(label + " \"" + path + "\": no such file in the session folder " + sessionFolder
                    + " or the working folder " + folder);
        }
        return insideFolder(folder, path, label);
    }

    /** How the session shows a clip's file: relative to the session folder if inside it, else to the working folder. */
    private static String clipName(Session session, Path folder, Path file) {
        Path sessionFolder = session.recorder().folder();
        Path base = sessionFolder != null && file.startsWith(sessionFolder) ? sessionFolder : folder;
        return base.relativize(file).toString().replace('\\', '/');
    }

    /** A ramp's parameter: the name its first argument gives. */
    static String rampParameter(Arguments a) {
        return Convert.text(a.required(0, "a parameter name"), a.method() + " parameter");
    }

    /** A ramp's target: the number its second argument gives. */
    static double rampTarget(Arguments a) {
        return Convert.number(a.required(1, "a target"), a.method() + " target", "a number");
    }

    /** A ramp's duration in samples: its third argument, seconds or musical time ("2 bars") from now. */
    static long rampSamples(Session session, Arguments a) {
        String label = a.method() + " duration";
        return Math.round(session.tempo().length(Convert.time(a.required(2, "a duration"), label), label));
    }

    /** A ramp's or a lane point's curve: "db" (the default), "gain", "scurve" or "step". */
    static Interpolation curve(Value value, String label) {
        if (value == null) {
            return Interpolation.DB;
        }
        Interpolation curve = Interpolation.byScriptName(Convert.text(value, label));
        if (curve == null) {
            throw new DeskException(label + " " + Convert.show(value) + ": must be \"db\", \"gain\", \"scurve\" or \"step\"");
        }
        return curve;
    }

    private static ApiType<AudioInterface.Latency> latency(Session session) {
        return new ApiType<>("Latency", AudioInterface.Latency.class, "Latency figures of the audio interface, in"
                + " frames and milliseconds.", l -> "session.latency")
                .property("buffer", "One period, frames.", AudioInterface.Latency::bufferFrames)
                .property("bufferMs", "One period, milliseconds.", l -> l.milliseconds(l.bufferFrames()))
                .property("capture", "From the capture connectors to the engine, [min, max] frames, as the server reports.",
                        l -> List.of(l.captureMin(), l.captureMax()))
                .property("playback", "From the engine to the playback connectors, [min, max] frames, as the server"
                        + " reports.", l -> List.of(l.playbackMin(), l.playbackMax()))
                .property("roundTrip", "Capture plus playback (the larger of each range), frames.",
                        AudioInterface.Latency::roundTripFrames)
                .property("roundTripMs", "The round trip, milliseconds.", l -> l.milliseconds(l.roundTripFrames()))
                .property("inserts", "What the inserts delay the master by (delay compensation lines every path up to"
                        + " the slowest), samples; takes are placed earlier by it too.", l -> session.insertLatency())
                .property("insertsMs", "The inserts' delay of the master, milliseconds.",
                        l -> session.insertLatency() * 1000.0 / session.sampleRate());
    }

    /** {@code path} resolved against the working folder, refused unless it lies inside it (links followed). */
    static Path insideFolder(Path folder, String path, String label) {
        Path resolved = folder.resolve(path).normalize();
        boolean inside = resolved.startsWith(folder);
        try {
            inside &= !java.nio.file.Files.exists(resolved)
                    || resolved.toRealPath().startsWith(folder.toRealPath());
        } catch (java.io.IOException e) {
            inside = false;
        }
        if (!inside) {
            throw new DeskException(label + " \"" + path + "\": scripts reach files inside the working folder "
                    + folder + " only");
        }
        return resolved;
    }

    private static Bus bus(Session session, Value value, String label) {
        if (value.isString()) {
            if (session.find(value.asString()) instanceof Bus bus) {
                return bus;
            }
            throw new DeskException(label + " \"" + value.asString() + "\": there is no bus by that name");
        }
        return Convert.api(value, Bus.class, label, "a bus (or its name) or session.master");
    }

    /** {@code value} for {@code parameter}, once {@link Strip#refuseUnheard} has let a script set it. */
    private static double byHand(Strip strip, Parameter parameter, double value) {
        strip.refuseUnheard(parameter, Parameter.format(value));
        return value;
    }

    private static Object phase(Strip strip) {
        boolean[] phase = strip.phase();
        for (boolean flag : phase) {
            if (flag != phase[0]) {
                return phase;
            }
        }
        return phase[0];
    }

    private static void setPhase(Strip strip, Value value) {
        String label = strip.name() + ".phase";
        if (value.hasArrayElements()) {
            if (value.getArraySize() != strip.channels()) {
                throw new DeskException(label + " needs " + strip.channels() + " flag" + (strip.channels() == 1 ? "" : "s")
                        + " (one per channel), got " + value.getArraySize());
            }
            boolean[] flags = new boolean[strip.channels()];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = Convert.bool(value.getArrayElement(i), label + "[" + i + "]");
            }
            strip.phase(flags);
        } else {
            strip.phase(Convert.bool(value, label));
        }
    }

    /** Port names, one per channel: a name, or a list of names and nulls. */
    private static List<String> portNames(Value value, String label) {
        if (value.isString()) {
            return List.of(value.asString());
        }
        if (!value.hasArrayElements()) {
            throw new DeskException(label + " " + Convert.show(value) + ": must be a port name such as"
                    + " \"system:playback_3\", or a list with one per channel");
        }
        List<String> names = new ArrayList<>();
        for (long i = 0; i < value.getArraySize(); i++) {
            Value item = value.getArrayElement(i);
            names.add(item.isNull() ? null : Convert.text(item, label + "[" + i + "]"));
        }
        return names;
    }

    private static Object input(Track track) {
        List<Object> inputs = track.input();
        return inputs.stream().distinct().count() == 1 ? inputs.get(0) : inputs;
    }

    private static void setInput(Track track, Value value) {
        String label = track.name() + ".input";
        if (value.hasArrayElements() && !value.isString()) {
            List<Object> items = new ArrayList<>();
            for (long i = 0; i < value.getArraySize(); i++) {
                items.add(inputItem(value.getArrayElement(i), label));
            }
            track.input(items);
        } else {
            track.input(inputItem(value, label));
        }
    }

    private static Object inputItem(Value value, String label) {
        if (value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isProxyObject() && value.asProxyObject() instanceof ApiObject object
                && (object.target() instanceof Source || object.target() instanceof Source.SourceChannel)) {
            return object.target();
        }
        throw new DeskException(label + " " + Convert.show(value) + ": must be a port name such as \"system:capture_1\","
                + " a generator or file source, or null");
    }

    /** The script names of the members of every type, for completion: "Track.fader" and so on. */
    public static List<String> memberNames(ApiRegistry registry) {
        List<String> names = new ArrayList<>();
        for (ApiType<?> type : registry.types()) {
            for (String member : type.members().keySet()) {
                names.add(type.name() + "." + member);
            }
        }
        return names;
    }
}
