package desk.script;

import desk.engine.Parameter;
import desk.session.Send;
import desk.session.Session;

import java.util.Set;

/**
 * The script API of a send: its level, pre or post, own pan, lane, ramp and removal.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class SendApi {
    private SendApi() {
    }

    /** The type of a strip's sends. */
    static ApiType<Send> send(Session session) {
        return new ApiType<>("Send", Send.class, "A send from a strip to a group or aux bus.",
                Send::label)
                .property("level", "Send level, dB: " + Parameter.SEND_LEVEL.allowed() + ".", Send::level,
                        (s, v) -> {
                            double level = Convert.parameter(v, s.label() + ".level", Parameter.SEND_LEVEL);
                            s.refuseUnheard(Parameter.format(level));
                            s.level(level);
                        })
                .property("pre", "Picks off before the fader (true) or after it (false).", Send::pre,
                        (s, v) -> s.pre(Convert.bool(v, s.label() + ".pre")))
                .property("pan", "The send's own pan (balance for a wider source), -1..+1, or null to follow the strip.",
                        s -> Double.isNaN(s.pan()) ? null : s.pan(),
                        (s, v) -> s.pan(v.isNull() ? Double.NaN : Convert.parameter(v, s.label() + ".pan", Parameter.SEND_PAN)))
                .property("source", "The strip that sends.", Send::source)
                .property("bus", "The bus it sends to.", Send::destination)
                .method("lane", "lane(\"level\")", "The automation lane of the send's level.", Set.of(), (s, a) -> {
                    a.check(1, Set.of());
                    return s.lane(Convert.text(a.required(0, "a parameter name"), a.method() + " parameter"));
                })
                .method("ramp", "ramp(\"level\", target, duration, {curve})", "Moves the level to target dB over"
                        + " duration, sample-accurately.", Set.of("curve"), (s, a) -> {
                    a.check(3, Set.of("curve"));
                    s.ramp(DeskApi.rampParameter(a), DeskApi.rampTarget(a), DeskApi.rampSamples(session, a),
                            DeskApi.curve(a.option("curve"), a.method() + " curve"));
                    return ApiType.NOTHING;
                })
                .method("remove", "remove()", "Removes the send.", Set.of(), (s, a) -> {
                    a.check(0, Set.of());
                    s.remove();
                    return ApiType.NOTHING;
                });
    }
}
