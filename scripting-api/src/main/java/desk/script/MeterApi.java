package desk.script;

import desk.session.DeskException;
import desk.session.GainReport;
import desk.session.MeterQuantity;
import desk.session.MeterSnapshot;
import desk.session.MeterWatch;
import org.graalvm.polyglot.Value;

import java.util.Set;

/**
 * The script API of meters: {@code Meter} (a strip's readings at one moment), {@code MeterWatch} and the
 * gain-staging assistant's {@code GainReport}.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class MeterApi {
    private MeterApi() {
    }

    static ApiType<MeterSnapshot> meter() {
        ApiType<MeterSnapshot> type = new ApiType<>("Meter", MeterSnapshot.class, "A strip's meters at one moment and"
                + " one pick-off point (-Infinity for silence; null for loudness where it is not measured).",
                MeterSnapshot::label);
        for (MeterQuantity quantity : MeterQuantity.values()) {
            type.property(quantity.scriptName(), quantity.help() + ".", m -> {
                double value = m.value(quantity);
                return Double.isNaN(value) ? null : value;
            });
        }
        return type
                .property("pre", "The pre-fader reading taken at the same moment (null except after the fader).",
                        MeterSnapshot::pre)
                .property("input", "The input reading taken at the same moment (null except after the fader).",
                        MeterSnapshot::input)
                .method("when", "when(reading, callback, {above, below})", "Calls callback(value) each time the"
                        + " reading crosses above (or below) the threshold; returns a watch with cancel().",
                        Set.of("above", "below"), (m, a) -> {
                        a.check(2, Set.of("above", "below"));
                        String label = m.label() + ".when";
                        MeterQuantity quantity = MeterQuantity.ofScriptName(
                                Convert.text(a.required(0, "a reading"), label + " reading"), label + " reading");
                        Value callback = a.required(1, "a callback");
                        if (!callback.canExecute()) {
                            throw new DeskException(label + " callback " + Convert.show(callback) + ": must be a function");
                        }
                        Value above = a.option("above");
                        Value below = a.option("below");
                        if ((above == null) == (below == null)) {
                            throw new DeskException(label + " needs one threshold: above or below, in "
                                    + quantity.unit());
                        }
                        double threshold = Convert.number(above != null ? above : below,
                                label + (above != null ? " above" : " below"), quantity.unit());
                        return m.when(quantity, threshold, above != null, value -> callback.executeVoid(value));
                    })
                .method("reset", "reset()", "Clears the strip's meters at every point.", Set.of(), (m, a) -> {
                    a.check(0, Set.of());
                    m.reset();
                    return ApiType.NOTHING;
                });
    }

    static ApiType<MeterWatch> meterWatch() {
        return new ApiType<>("MeterWatch", MeterWatch.class, "A watch on a meter reading (meter.when).",
                MeterWatch::toString)
                .property("active", "True until cancelled or its strip is removed.", MeterWatch::active)
                .method("cancel", "cancel()", "Stops the watch.", Set.of(), (w, a) -> {
                    a.check(0, Set.of());
                    w.cancel();
                    return ApiType.NOTHING;
                });
    }

    static ApiType<GainReport> gainReport() {
        return new ApiType<>("GainReport", GainReport.class, "The gain-staging assistant's report.",
                r -> "gainReport")
                .property("stage", "\"tracking\", \"mixing\" or \"mastering\".", r -> r.stage().scriptName())
                .property("lines", "One line per track, bus and the master: level, target, verdict.",
                        r -> r.lines().stream().map(Object::toString).toList())
                .property("problems", "The problems found, one line each, e.g. \"Vox: too hot: ...\".",
                        r -> r.findings().stream().map(Object::toString).toList())
                .property("ok", "True when no problem was found.", GainReport::ok);
    }
}
