package desk.script;

import desk.engine.AudioInterface;
import desk.engine.Parameter;
import desk.session.Bus;
import desk.session.DeskException;
import desk.session.MeterSnapshot;
import desk.session.Send;
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
        ApiRegistry registry = new ApiRegistry();
        registry.register(session(folder.toAbsolutePath().normalize()));
        registry.register(track(session));
        registry.register(bus(session));
        registry.register(send());
        registry.register(source());
        registry.register(sourceChannel());
        registry.register(meter());
        registry.register(latency());
        return registry;
    }

    private static ApiType<Session> session(Path folder) {
        return new ApiType<>("Session", Session.class, "The session: tracks, buses, the master and sources.", s -> "session")
                .method("track", "track(name, {channels})", "The track called name, created if it does not exist:"
                        + " channels 1..8 (default 1).", Set.of("channels"), (s, a) -> {
                        a.check(1, Set.of("channels"));
                        String name = Convert.text(a.required(0, "a name"), a.method() + " name");
                        Value channels = a.option("channels");
                        return channels == null ? s.track(name)
                                : s.track(name, Convert.integer(channels, a.method() + " channels", 1, 8));
                    })
                .method("bus", "bus(name, {kind, channels})", "The bus called name, created if it does not exist:"
                        + " kind \"group\" (default) or \"aux\", channels 1 or 2 (default 2).", Set.of("kind", "channels"),
                        (s, a) -> {
                        a.check(1, Set.of("kind", "channels"));
                        String name = Convert.text(a.required(0, "a name"), a.method() + " name");
                        Value kind = a.option("kind");
                        Value channels = a.option("channels");
                        if (kind == null && channels == null) {
                            return s.bus(name);
                        }
                        return s.bus(name, kind == null ? "group" : Convert.text(kind, a.method() + " kind"),
                                channels == null ? 2 : Convert.integer(channels, a.method() + " channels", 1, 2));
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
                .method("file", "file(path, {loop})", "A WAV file as a source, playing from the start, once or"
                        + " looped (loop: true/false, default false).", Set.of("loop"), (s, a) -> {
                        a.check(1, Set.of("loop"));
                        Value loop = a.option("loop");
                        return s.file(insideFolder(folder, Convert.text(a.required(0, "a path"), a.method() + " path"),
                                a.method()), loop != null && Convert.bool(loop, a.method() + " loop"));
                    })
                .property("sources", "The generators and files made so far.", Session::sources)
                .property("inputs", "The capture ports of the interface, by name, e.g. \"system:capture_1\".",
                        Session::inputs)
                .property("outputs", "The playback ports the master feeds, by name.", Session::outputs)
                .property("sampleRate", "The engine's sample rate, Hz.", Session::sampleRate)
                .property("position", "The engine's clock, seconds since it started.", Session::seconds)
                .property("metering", "Whether the strips' meters are measured (true/false, default true).",
                        Session::metering, (s, v) -> s.metering(Convert.bool(v, "session.metering")))
                .property("bufferSize", "Frames per period of the audio interface, as the server has it now (0 offline).",
                        Session::bufferSize)
                .property("latency", "The latency figures now: buffer, capture and playback ranges, round trip.",
                        Session::latency)
                .property("xruns", "Xruns (buffer over- or underruns) counted since the engine started.",
                        Session::xruns);
    }

    private static <T extends Strip> ApiType<T> strip(ApiType<T> type, Session session) {
        return type
                .property("name", "The name, unique in the session; set it to rename.", Strip::name,
                        (t, v) -> t.name(Convert.text(v, t.name() + ".name")))
                .property("channels", "Number of channels: 1 (mono), 2 (stereo) or more.", Strip::channels)
                .property("trim", "Input trim, dB: " + Parameter.TRIM.allowed() + ".", Strip::trim,
                        (t, v) -> t.trim(Convert.parameter(v, t.name() + ".trim", Parameter.TRIM)))
                .property("fader", "Fader, dB: " + Parameter.FADER.allowed() + ".", Strip::fader,
                        (t, v) -> t.fader(Convert.parameter(v, t.name() + ".fader", Parameter.FADER)))
                .property("pan", "Pan of a mono strip, -1 (left) .. +1 (right).", Strip::pan,
                        (t, v) -> t.pan(Convert.parameter(v, t.name() + ".pan", Parameter.PAN)))
                .property("balance", "Balance of a stereo or wider strip, -1..+1.", Strip::balance,
                        (t, v) -> t.balance(Convert.parameter(v, t.name() + ".balance", Parameter.BALANCE)))
                .property("panLaw", "Pan law, dB at the centre: 0, -3 (default), -4.5 or -6.", Strip::panLaw,
                        (t, v) -> t.panLaw(Convert.parameter(v, t.name() + ".panLaw", Parameter.PAN_LAW)))
                .property("phase", "Polarity inverted: true/false for every channel, or one per channel.",
                        DeskApi::phase, DeskApi::setPhase)
                .property("mute", "Muted (true/false): closes the output and all sends.", Strip::mute,
                        (t, v) -> t.mute(Convert.bool(v, t.name() + ".mute")))
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
                .property("meter", "The meters now: peak, peakHold and rms in dBFS after the fader; meter.pre before it.",
                        Strip::meters)
                .method("remove", "remove()", "Removes it with its sends; what fed a removed bus goes to the master.",
                        Set.of(), (t, a) -> {
                        a.check(0, Set.of());
                        t.remove();
                        return null;
                    });
    }

    private static ApiType<Track> track(Session session) {
        ApiType<Track> type = new ApiType<>("Track", Track.class, "A track: mono, stereo or up to 8 channels.", Track::name)
                .property("input", "What feeds it: a port name (\"system:capture_1\"), a source, a source's channel(n),"
                        + " null, or a list with one per channel.", DeskApi::input, DeskApi::setInput);
        return strip(type, session);
    }

    private static ApiType<Bus> bus(Session session) {
        ApiType<Bus> type = new ApiType<>("Bus", Bus.class, "A group or aux bus, or the master.", Bus::name)
                .property("kind", "\"group\", \"aux\" or \"master\".", b -> b.kind().scriptName());
        return strip(type, session);
    }

    private static ApiType<Send> send() {
        return new ApiType<>("Send", Send.class, "A send from a strip to a group or aux bus.",
                s -> s.source().name() + ".send(" + s.destination().name() + ")")
                .property("level", "Send level, dB: " + Parameter.SEND_LEVEL.allowed() + ".", Send::level,
                        (s, v) -> s.level(Convert.parameter(v, label(s) + ".level", Parameter.SEND_LEVEL)))
                .property("pre", "Picks off before the fader (true) or after it (false).", Send::pre,
                        (s, v) -> s.pre(Convert.bool(v, label(s) + ".pre")))
                .property("pan", "The send's own pan (balance for a wider source), -1..+1, or null to follow the strip.",
                        s -> Double.isNaN(s.pan()) ? null : s.pan(),
                        (s, v) -> s.pan(v.isNull() ? Double.NaN : Convert.parameter(v, label(s) + ".pan", Parameter.SEND_PAN)))
                .property("source", "The strip that sends.", Send::source)
                .property("bus", "The bus it sends to.", Send::destination)
                .method("remove", "remove()", "Removes the send.", Set.of(), (s, a) -> {
                    a.check(0, Set.of());
                    s.remove();
                    return null;
                });
    }

    private static String label(Send send) {
        return send.source().name() + ".send(" + send.destination().name() + ")";
    }

    private static ApiType<Source> source() {
        return new ApiType<>("Source", Source.class, "A generator or a WAV file that tracks can take as input.",
                Source::toString)
                .property("channels", "Number of channels (generators are mono).", Source::channels)
                .method("channel", "channel(n)", "Channel n (from 1), to feed one channel of a track.", Set.of(),
                        (s, a) -> {
                        a.check(1, Set.of());
                        return s.channel(Convert.integer(a.required(0, "a channel number"), a.method() + " channel",
                                1, Math.max(1, s.channels())));
                    });
    }

    private static ApiType<Source.SourceChannel> sourceChannel() {
        return new ApiType<>("SourceChannel", Source.SourceChannel.class, "One channel of a source.",
                Source.SourceChannel::toString)
                .property("source", "The source.", Source.SourceChannel::source)
                .property("number", "The channel number, from 1.", c -> c.index() + 1);
    }

    private static ApiType<MeterSnapshot> meter() {
        return new ApiType<>("Meter", MeterSnapshot.class, "A strip's meters at one moment, in dBFS (-Infinity for silence).",
                m -> m.strip() + ".meter")
                .property("peak", "Sample peak of the loudest channel, falling 20 dB in 1.7 s, dBFS.", MeterSnapshot::peak)
                .property("peakHold", "Highest peak of the last 2 s, dBFS.", MeterSnapshot::peakHold)
                .property("rms", "RMS over the last 300 ms of the loudest channel, dBFS.", MeterSnapshot::rms)
                .property("pre", "The pre-fader reading taken at the same moment (null on a pre-fader reading).",
                        MeterSnapshot::pre);
    }

    private static ApiType<AudioInterface.Latency> latency() {
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
                .property("roundTripMs", "The round trip, milliseconds.", l -> l.milliseconds(l.roundTripFrames()));
    }

    /** {@code path} resolved against the working folder, refused unless it lies inside it (links followed). */
    private static Path insideFolder(Path folder, String path, String label) {
        Path resolved = folder.resolve(path).normalize();
        boolean inside = resolved.startsWith(folder);
        try {
            inside &= !java.nio.file.Files.exists(resolved)
                    || resolved.toRealPath().startsWith(folder.toRealPath());
        } catch (java.io.IOException e) {
            inside = false;
        }
        if (!inside) {
            throw new DeskException(label + " \"" + path + "\": scripts read audio files inside the working folder "
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
