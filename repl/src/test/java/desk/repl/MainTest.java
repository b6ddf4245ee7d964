package desk.repl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: version, benchmark output, one-line errors and exit codes. */
class MainTest {
    private record Result(int status, String out, String err) {
    }

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Result result = run("", "--version");
        assertEquals(0, result.status());
        assertTrue(result.out().matches("desk \\d+\\.\\d+\\.\\d+\\R"), result.out());
    }

    @Test
    void benchPrintsOneJsonObjectWithItsFigures() throws Exception {
        Result result = run("", "bench", "--offline", "--tracks", "4", "--seconds", "0.5", "--warm-up", "0.1", "--json");
        assertEquals(0, result.status(), result.err());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertEquals(4, json.get("tracks").asInt());
        assertEquals(0.5, json.get("seconds").asDouble(), 1e-9);
        assertTrue(json.get("realtime_factor").asDouble() > 0);
        assertTrue(json.get("cpu_us_per_track_second").asDouble() > 0);
        assertFalse(json.get("meters").asBoolean());
        assertEquals(1024, json.get("buffer").asInt());
    }

    @Test
    void benchPrintsTextByDefault() {
        Result result = run("", "--buffer", "128", "bench", "--offline", "--tracks", "2", "--seconds", "0.2",
                "--warm-up", "0", "--meters");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("2 stereo tracks"), result.out());
        assertTrue(result.out().contains("128-frame blocks, meters on"), result.out());
        assertTrue(result.out().contains("us per track-second"), result.out());
    }

    @Test
    void badArgumentsGetOneLineAndNoStackTrace() {
        Result missingMode = run("", "bench", "--tracks", "4");
        assertEquals(1, missingMode.status());
        assertEquals("desk: bench needs --offline (the real-time benchmark comes with the JACK backend)\n",
                missingMode.err());
        Result badCount = run("", "bench", "--offline", "--tracks", "0");
        assertEquals("desk: --tracks 0: must be 1..4096\n", badCount.err());
        Result unknown = run("", "--frobnicate");
        assertEquals(2, unknown.status());
        assertEquals(1, unknown.err().lines().count(), unknown.err());
        assertTrue(unknown.err().startsWith("desk: Unknown option: '--frobnicate'"), unknown.err());
    }

    @Test
    void startingWithoutASubcommandRunsTheEngineUntilInputEnds() {
        Result result = run("", "--buffer", "64");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().startsWith("Desk " + Main.Version.number() + ": engine running on the dummy backend"),
                result.out());
        assertTrue(result.out().contains("Desk stopped after"), result.out());
    }
}
