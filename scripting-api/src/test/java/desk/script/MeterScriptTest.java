package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.session.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Meters from scripts in both languages: readings by name, a watch whose callback runs when the session
 * polls its watches, refusals in one line.
 */
class MeterScriptTest {
    private static final String JS = """
            var hits = [];
            var tone = session.track("Tone", {channels: 2});
            tone.input = session.generator("sine", {freq: 997, level: -0.5});
            tone.loudness = "post";
            var watch = session.master.meter.when("truePeak", v => hits.push(Math.round(v * 10) / 10), {above: -1});
            """;
    private static final String PYTHON = """
            hits = []
            tone = session.track("Tone", channels=2)
            tone.input = session.generator("sine", freq=997, level=-0.5)
            tone.loudness = "post"
            watch = session.master.meter.when("truePeak", lambda v: hits.append(round(v, 1)), above=-1)
            """;

    @ParameterizedTest
    @EnumSource(Language.class)
    void aWatchCallsBackOnceWhenTheMasterTruePeakPassesMinusOne(Language language) throws IOException {
        Engine engine = new Engine(48000, 0);
        Session session = new Session(new LocalEngineLink(engine));
        try (ScriptHost host = new ScriptHost(session, Path.of(""), false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            boolean js = language == Language.JS;
            host.evaluate(language, js ? JS : PYTHON, "<setup>", value -> null);
            OfflineRenderer renderer = new OfflineRenderer(engine);
            for (int block = 0; block < 100; block++) {
                renderer.render(480, BlockSizes.fixed(480), (master, frames) -> { });
                session.pollMeterWatches();
            }
            String hits = js ? "hits.join(',')" : "','.join(str(h) for h in hits)";
            assertEquals("-0.5", host.evaluate(language, hits, "<check>", value -> value.asString()),
                    "one call, with the true peak");
            String readings = js ? "[tone.meter.truePeak.toFixed(1), tone.meter.pre.truePeak, tone.meter.k14.toFixed(1),"
                    + " tone.meter.vu.toFixed(1), watch.active].join(' ')"
                    : "' '.join([f'{tone.meter.truePeak:.1f}', str(tone.meter.pre.truePeak), f'{tone.meter.k14:.1f}',"
                    + " f'{tone.meter.vu:.1f}', str(watch.active)])";
            String expected = js ? "-0.5  13.5 17.5 true" : "-0.5 None 13.5 17.5 True";
            assertEquals(expected, host.evaluate(language, readings, "<check>", value -> value.asString()),
                    "true peak after the fader, none before it; K-14 of a -0.5 dBFS sine; VU against -18 dBFS");
            String refused = js ? "try { tone.meter.when('loud', v => v, {above: 1}) } catch (e) { e.message }"
                    : "def refused():\n    try:\n        tone.meter.when('loud', lambda v: v, above=1)\n"
                    + "    except DeskError as e:\n        return str(e)\nrefused()";
            assertEquals("Tone.meter.when reading \"loud\": must be one of peak, peakHold, peakMax, clips, invalid, rms, rmsAes,"
                    + " average, vu, k20, k14, k12, momentary, shortTerm, integrated, momentaryMax, shortTermMax,"
                    + " loudnessRange, truePeak", host.evaluate(language, refused, "<check>", value -> value.asString()));
        }
    }
}
