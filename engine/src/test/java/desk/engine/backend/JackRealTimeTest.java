package desk.engine.backend;

import desk.engine.Engine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The description of a JACK backend says when its server runs without real-time scheduling, where a busy
 * machine costs dropouts, and says nothing of it when the server has it. Each test has its own server (libjack
 * serves one server at a time in a process).
 */
class JackRealTimeTest {
    private static final int RATE = 48_000;
    private static final String WARNING = ", without real-time scheduling (a busy machine can cost dropouts: start"
            + " jackd with -R)";

    @Test
    void aServerWithoutRealTimeSchedulingIsDescribedWithTheWarning() throws Exception {
        try (JackServer server = new JackServer(RATE, 256);
             JackBackend<Engine> backend = JackBackend.open("desk", server.name(), null, Engine::new)) {
            assertEquals("JACK server \"" + server.name() + "\" as client desk, 48000 Hz, 256-frame periods" + WARNING,
                    backend.describe());
        }
    }

    @Test
    void aServerWithRealTimeSchedulingIsDescribedWithoutTheWarning() throws Exception {
        try (JackServer server = JackServer.withRealTimeScheduling(RATE, 256)) {
            Assumptions.assumeTrue(server.realTime(), "this system refuses real-time scheduling");
            try (JackBackend<Engine> backend = JackBackend.open("desk", server.name(), null, Engine::new)) {
                assertEquals("JACK server \"" + server.name() + "\" as client desk, 48000 Hz, 256-frame periods",
                        backend.describe());
            }
        }
    }
}
