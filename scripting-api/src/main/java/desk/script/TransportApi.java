package desk.script;

import desk.session.Session;
import org.graalvm.polyglot.Value;

import java.util.Set;

/**
 * The part of the script API that deals with time: the transport's position, play, stop, locate and the
 * loop range, the tempo and time signature, and functions scheduled on the transport ({@code at},
 * {@code after}, {@code every}). Times cross as users write them: seconds, "17:1:0", "next bar".
 * <p>
 * Threads: built once; used on the script thread.
 */
final class TransportApi {
    private TransportApi() {
    }

    /** Adds these members to the session type. */
    static ApiType<Session> sessionMembers(ApiType<Session> type) {
        return type
                .property("position", "The transport position, seconds.", Session::transportSeconds)
                .property("bars", "The transport position as \"bar:beat:tick\" (from 1:1:0).",
                        s -> s.tempo().bars(s.transportSample()))
                .property("playing", "True while the transport rolls.", Session::transportRolling)
                .action("play", "Starts the transport where it is.", Session::play)
                .action("stop", "Stops the transport where it is.", Session::stop)
                .method("locate", "locate(time)", "Moves the transport to a time: seconds, \"17:1:0\", \"next bar\".",
                        Set.of(), (s, a) -> {
                        a.check(1, Set.of());
                        s.locate(Convert.time(a.required(0, "a time"), a.method() + " time"));
                        return ApiType.NOTHING;
                    })
                .method("loop", "loop(start, end)", "Sets the loop range (times as for locate, the end after the start)"
                        + " and turns looping on: the transport goes from the end back to the start on the exact"
                        + " sample.", Set.of(), (s, a) -> {
                        a.check(2, Set.of());
                        Long start = timePoint(s, a.required(0, "a start time"), a.method() + " start");
                        Long end = timePoint(s, a.required(1, "an end time"), a.method() + " end");
                        s.loop(start, end, a.method());
                        s.looping(true);
                        return ApiType.NOTHING;
                    })
                .property("loopStart", "Where the loop range starts, seconds, or null; set a time to move it.",
                        s -> seconds(s, s.loopStart()),
                        (s, v) -> s.loop(timePoint(s, v, "session.loopStart"), s.loopEnd(), "session.loopStart"))
                .property("loopEnd", "Where the loop range ends (the transport jumps back from here), seconds, or"
                        + " null; set a time after loopStart to move it.", s -> seconds(s, s.loopEnd()),
                        (s, v) -> s.loop(s.loopStart(), timePoint(s, v, "session.loopEnd"), "session.loopEnd"))
                .property("looping", "Whether the transport goes round the loop range (true/false, default false).",
                        Session::looping, (s, v) -> s.looping(Convert.bool(v, "session.looping")))
                .property("tempo", "Tempo, quarter notes per minute: 10..999 (default 120).", s -> s.tempo().bpm(),
                        (s, v) -> s.tempo().bpm(Convert.number(v, "session.tempo", "10..999 beats per minute")))
                .property("timeSignature", "Time signature as text, e.g. \"4/4\" (default) or \"6/8\".",
                        s -> s.tempo().signature(), (s, v) -> s.tempo().signature(Convert.text(v, "session.timeSignature")))
                .method("at", "at(time, fn)", "Runs fn when the transport reaches time (seconds, \"17:1:0\", \"next bar\");"
                        + " its changes land on that exact sample.", Set.of(), (s, a) -> {
                        a.check(2, Set.of());
                        return s.at(Convert.time(a.required(0, "a time"), a.method() + " time"),
                                Convert.function(a.required(1, "a function"), a.method() + " fn"));
                    })
                .method("after", "after(duration, fn)", "Runs fn once, duration (seconds, \"2 bars\") from now on the"
                        + " transport.", Set.of(), (s, a) -> {
                        a.check(2, Set.of());
                        return s.after(Convert.time(a.required(0, "a duration"), a.method() + " duration"),
                                Convert.function(a.required(1, "a function"), a.method() + " fn"));
                    })
                .method("every", "every(interval, fn)", "Runs fn on every multiple of interval (seconds, \"1 bar\")"
                        + " of transport time, from now on.", Set.of(), (s, a) -> {
                        a.check(2, Set.of());
                        return s.every(Convert.time(a.required(0, "an interval"), a.method() + " interval"),
                                Convert.function(a.required(1, "a function"), a.method() + " fn"));
                    });
    }

    /** A position or length in samples as seconds, or null for null. */
    static Object seconds(Session session, Long sample) {
        return sample == null ? null : (double) sample / session.sampleRate();
    }

    /** A transport position given as a time (see Tempo.position), in samples, or null. */
    static Long timePoint(Session session, Value value, String label) {
        if (value.isNull()) {
            return null;
        }
        return Math.round(session.tempo().position(Convert.time(value, label), session.transportSample(), label));
    }
}
