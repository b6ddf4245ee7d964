package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.session.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheduled function that never returns is stopped once it has run past session.callbackBudget, named with
 * its script line, and cancelled; the other scheduled functions and the render go on. One that throws is
 * named and cancelled the same way.
 */
class CallbackBudgetTest {
    private static final String JS = """
            session.callbackBudget = 50;
            let runs = 0, steady = 0;
            session.every(0.1, () => {
              runs++;
              if (runs == 3) { while (true) {} }
            });
            session.every(0.1, () => { steady++; });
            session.every(0.25, () => { throw new Error("boom"); });
            session.play();
            """;
    private static final String PYTHON = """
            session.callbackBudget = 50
            runs = 0
            steady = 0
            def runaway():
                global runs
                runs += 1
                if runs == 3:
                    while True:
                        pass
            def count():
                global steady
                steady += 1
            def fail():
                raise ValueError("boom")
            session.every(0.1, runaway)
            session.every(0.1, count)
            session.every(0.25, fail)
            session.play()
            """;

    @ParameterizedTest
    @EnumSource(Language.class)
    void aRunawayCallbackIsStoppedNamedAndCancelledAndTheRestGoesOn(Language language) throws Exception {
        Engine engine = new Engine(48000, 0);
        Session session = new Session(new LocalEngineLink(engine));
        String file = language == Language.JS ? "runaway.js" : "runaway.py";
        List<String> failures = new ArrayList<>();
        try (ScriptHost host = new ScriptHost(session, Path.of(""), false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            host.evaluate(language, language == Language.JS ? JS : PYTHON, file, value -> null);
            long started = System.nanoTime();
            new OfflineRenderer(engine).render(48000, BlockSizes.fixed(480), (master, count) -> { },
                    horizon -> {
                        try {
                            host.control(() -> session.tick(horizon));
                        } catch (ScriptException failure) {
                            failures.add(failure.getMessage());
                        }
                    });
            double seconds = (System.nanoTime() - started) / 1e9;
            String runaway = language == Language.JS ? ":5:20" : ":8:9";
            String thrower = language == Language.JS ? ":8:35: every 0.25 failed and is cancelled: Error: boom"
                    : ":14:5: every 0.25 failed and is cancelled: ValueError: boom";
            assertEquals(List.of(file + thrower,
                            file + runaway + ": every 0.1 ran past its 50 ms budget (session.callbackBudget):"
                                    + " stopped and cancelled"),
                    failures);
            assertEquals(3, (int) host.evaluate(language, "runs", "<check>", value -> value.asInt()),
                    "the runaway ran three times and no more");
            assertEquals(10, (int) host.evaluate(language, "steady", "<check>", value -> value.asInt()),
                    "the steady function ran every 0.1 s through the render");
            assertTrue(seconds < 5, "the render took " + seconds + " s");
        }
    }
}
