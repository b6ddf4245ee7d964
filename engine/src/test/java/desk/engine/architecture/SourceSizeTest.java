package desk.engine.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the engine readable: no main source file over 600 lines, and the {@code Engine} facade at most 400, so
 * a growing concern gets its own type instead of swelling one that holds others.
 */
class SourceSizeTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final int MOST_LINES = 600;
    private static final int MOST_FACADE_LINES = 400;

    @Test
    void noEngineSourceFileIsOver600Lines() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 100, "only " + sources.size() + " sources found under " + SOURCES.toAbsolutePath());
        List<String> tooLong = sources.stream()
                .filter(file -> lines(file) > MOST_LINES)
                .map(file -> SOURCES.relativize(file) + " has " + lines(file) + " lines")
                .sorted()
                .toList();
        assertEquals(List.of(), tooLong, "engine source files over " + MOST_LINES + " lines");
    }

    @Test
    void theEngineFacadeIsAtMost400Lines() {
        int facade = lines(SOURCES.resolve("desk/engine/Engine.java"));
        assertTrue(facade > 0, "Engine.java not found under " + SOURCES.toAbsolutePath());
        assertTrue(facade <= MOST_FACADE_LINES, "Engine.java has " + facade + " lines: must be at most " + MOST_FACADE_LINES);
    }

    private static int lines(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return (int) lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
