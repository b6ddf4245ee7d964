package desk.repl;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugins in offline renders, in a process started as the launcher starts it (its crash folder and
 * {@code -XX:OnError} script): a plugin that crashes the process ends the render with one line naming it, and a
 * plugin that needs a host feature Desk lacks is refused in one line naming the feature.
 */
class OfflinePluginCrashTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path CRASH_LINE = ROOT.resolve("repl/src/main/sh/crash-line");

    @TempDir
    static Path folder;
    private static Path bundles;

    @BeforeAll
    static void buildPlugins() throws Exception {
        bundles = TestPlugins.build(folder);
    }

    @Test
    void aPluginThatCrashesAnOfflineRenderEndsItWithALineNamingIt() throws Exception {
        Path crashFolder = Files.createDirectories(folder.resolve("crash"));
        Result result = run(crashFolder, """
                var tone = session.track("Tone");
                tone.input = session.generator("sine", {freq: 1000, level: -20});
                var amp = tone.insert("lv2:http://plugin.org.uk/swh-plugins/amp");
                var crash = tone.insert("lv2:urn:desk:test:crash");
                session.play();
                session.after(0.5, () => { crash.crash = true; });
                session.render("out.wav", {seconds: 2});
                """);
        assertNotEquals(0, result.exit, "the process died");
        Path report = crashFolder.resolve("crash-" + result.pid + ".log");
        assertEquals("desk: Tone.inserts[1] (lv2:urn:desk:test:crash): the process stopped inside this plugin, so"
                + " the render stopped (the JVM's report: " + report + ")", result.lastErrorLine(), result.errors);
        assertTrue(Files.isRegularFile(report), "the JVM's report is kept");
        assertFalse(Files.exists(folder.resolve("out.wav")) && Files.size(folder.resolve("out.wav")) > 400_000,
                "the render did not finish");
    }

    @Test
    void aPluginThatNeedsAFeatureDeskLacksIsRefusedInOneLine() throws Exception {
        Path crashFolder = Files.createDirectories(folder.resolve("refused"));
        Result result = run(crashFolder, """
                session.track("Tone").insert("lv2:urn:desk:test:needs-feature");
                """);
        assertEquals(1, result.exit);
        assertEquals("desk: script.js:1:1: Tone.insert(\"lv2:urn:desk:test:needs-feature\"): Needs a feature"
                + " (urn:desk:test:needs-feature) cannot be hosted: it needs the host feature"
                + " urn:desk:test:feature-no-host-gives,"
                + " which Desk does not give yet", result.lastErrorLine(), result.errors);
        assertFalse(Files.exists(crashFolder), "a process that ends normally removes its crash folder");
    }

    /** The launcher gives the JVM these options for the crash line; the test starts Desk with the same. */
    @Test
    void theLauncherStartsDeskWithTheCrashLine() throws IOException {
        String launcher = Files.readString(ROOT.resolve("desk"));
        assertTrue(launcher.contains("\"-XX:OnError=sh '$root/repl/src/main/sh/crash-line' '$crash_folder' %p\""),
                "the launcher passes the crash-line script");
        assertTrue(launcher.contains("\"-Ddesk.crashFolder=$crash_folder\""), "and the crash folder");
    }

    private record Result(int exit, long pid, String errors) {
        String lastErrorLine() {
            List<String> lines = errors.lines().filter(line -> !line.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** Runs {@code script} offline in a new Desk process with the launcher's crash options. */
    private static Result run(Path crashFolder, String script) throws Exception {
        Path file = folder.resolve("script.js");
        Files.writeString(file, script);
        List<String> options = List.of("-D" + CrashFolder.PROPERTY + "=" + crashFolder, "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + crashFolder + "/crash-%p.log",
                "-XX:OnError=sh '" + CRASH_LINE + "' '" + crashFolder + "' %p");
        List<String> command = new ArrayList<>(TmuxPane.deskCommand(options, "run", "--offline", file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("LV2_PATH", TestPlugins.lv2Path(bundles));
        Process desk = builder.start();
        String errors = new String(desk.getErrorStream().readAllBytes());
        assertTrue(desk.waitFor(120, TimeUnit.SECONDS), "Desk ended");
        return new Result(desk.exitValue(), desk.pid(), errors);
    }
}
