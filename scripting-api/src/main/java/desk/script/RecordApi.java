package desk.script;

import desk.session.Session;
import desk.session.Take;

import java.util.Set;

/**
 * The part of the script API that deals with recording: {@code record()}, the punch range, exclusive arming, the
 * take files' format and buffer, and the session folder takes go to.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class RecordApi {
    private RecordApi() {
    }

    /** Adds these members to the session type. */
    static ApiType<Session> sessionMembers(ApiType<Session> type) {
        return type
                .method("record", "record()", "Starts the transport and records every armed track into a new take"
                        + " (from punchIn, if set, until punchOut or stop()).", Set.of(), (s, a) -> {
                        a.check(0, Set.of());
                        s.recorder().record();
                        return ApiType.NOTHING;
                    })
                .property("recording", "True while a take records or a pass waits for punchIn.",
                        s -> s.recorder().recording())
                .property("punchIn", "Where record passes start recording: a time (seconds, \"5:1:0\") or null"
                        + " (at once).", s -> TransportApi.seconds(s, s.recorder().punchIn()),
                        (s, v) -> s.recorder().punchIn(TransportApi.timePoint(s, v, "session.punchIn")))
                .property("punchOut", "Where record passes stop recording: a time after punchIn, or null (at stop()).",
                        s -> TransportApi.seconds(s, s.recorder().punchOut()),
                        (s, v) -> s.recorder().punchOut(TransportApi.timePoint(s, v, "session.punchOut")))
                .property("exclusiveArm", "Whether arming a track disarms the others (true/false, default false).",
                        s -> s.recorder().exclusiveArm(),
                        (s, v) -> s.recorder().exclusiveArm(Convert.bool(v, "session.exclusiveArm")))
                .property("recordFormat", "Take files: \"24\" (24-bit PCM, default) or \"32f\" (32-bit float).",
                        s -> s.recorder().format(),
                        (s, v) -> s.recorder().format(Convert.text(v, "session.recordFormat")))
                .property("recordBuffer", "Seconds of audio each armed track's recording buffer holds: 1..60"
                        + " (default 5).", s -> s.recorder().bufferSeconds(),
                        (s, v) -> s.recorder().bufferSeconds(Convert.number(v, "session.recordBuffer", "1..60 seconds")))
                .property("folder", "The session folder (takes go to its takes/), or null without --session.",
                        s -> s.recorder().folder() == null ? null : s.recorder().folder().toString());
    }

    /** The type of a recorded take. */
    static ApiType<Take> take() {
        return new ApiType<>("Take", Take.class, "A recorded take: one file in the session folder's takes/.",
                Take::toString)
                .property("track", "The name of the track it was recorded on.", Take::track)
                .property("file", "Its file inside the session folder, e.g. \"takes/Vox-001.wav\".", Take::name)
                .property("position", "Where its first frame sits on the timeline, seconds.", Take::position)
                .property("sample", "Where its first frame sits on the timeline, samples.", Take::sample)
                .property("length", "Its length, seconds.", Take::seconds)
                .property("channels", "Its channels.", Take::channels);
    }
}
