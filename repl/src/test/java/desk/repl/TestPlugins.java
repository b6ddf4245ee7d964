package desk.repl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LV2 plugins made for the tests, in the bundle {@code lv2/crash.lv2} of the test resources: "Crash test"
 * ({@code urn:desk:test:crash}), which crashes its process from {@code run} once its switch is on, and "Needs a
 * feature" ({@code urn:desk:test:needs-feature}), which asks for a host feature no host gives. Built with gcc.
 */
final class TestPlugins {
    /** The system's plugin folders, searched after the test's. */
    static final List<String> SYSTEM_FOLDERS = List.of("/usr/lib/lv2", "/usr/local/lib/lv2");

    private TestPlugins() {
    }

    /** Copies the bundle into {@code folder} and builds its library; returns the folder to add to {@code LV2_PATH}. */
    static Path build(Path folder) throws IOException, InterruptedException {
        Path bundle = Files.createDirectories(folder.resolve("lv2").resolve("crash.lv2"));
        for (String file : List.of("crash.c", "manifest.ttl", "crash.ttl")) {
            try (InputStream in = TestPlugins.class.getResourceAsStream("/lv2/crash.lv2/" + file)) {
                Files.copy(in, bundle.resolve(file));
            }
        }
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-nostdlib", "-O1", "-o", "crash.so", "crash.c")
                .directory(bundle.toFile()).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + output);
        return bundle.getParent();
    }

    /** The value of {@code LV2_PATH} that finds the built bundle (in {@code bundles}) and the system's plugins. */
    static String lv2Path(Path bundles) {
        return bundles + ":" + String.join(":", SYSTEM_FOLDERS);
    }
}
