package desk.repl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing from the command line: {@code :routing} in the REPL, and {@code desk run --graph FILE} with
 * Graphviz's dot installed or not (the test checks whichever this machine has, and the missing case also
 * through a program name that does not exist).
 */
class RoutingGraphTest {
    private static final String SCRIPT = """
            const verb = session.bus("Verb", {kind: "aux"});
            const vox = session.track("Vox");
            vox.input = session.generator("sine", {freq: 440, level: -18});
            vox.send(verb, {level: -12});
            """;
    private static final String TREE = """
            master (stereo)  fader 0.0 dB
            |   out -> system:playback_1, system:playback_2
            |-- Verb (aux, stereo)  fader 0.0 dB
            |       <- sends from Vox
            `-- Vox (mono)  <- sine 440 Hz -18 dBFS  fader 0.0 dB
                    send -> Verb  -12.0 dB  post
            """;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Whether Graphviz's dot is on the PATH, as {@code which dot} would say. */
    private static boolean dotInstalled() {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(folder -> !folder.isEmpty() && Files.isExecutable(Path.of(folder, GraphFile.DOT_COMMAND)));
    }

    @Test
    void theReplDrawsTheRoutingAsATreeOrAsDotAndRefusesOtherFormatsInOneLine() {
        Result result = run(SCRIPT.replace(";\n", "\n") + ":routing\n:routing dot\n:routing svg\n");
        assertEquals(1, result.status(), "the refused format fails the run");
        assertTrue(result.out().contains(TREE), result.out());
        assertTrue(result.out().contains("digraph routing {\n"), result.out());
        assertTrue(result.out().contains("  \"strip:Vox\" -> \"strip:Verb\" [label=\"-12.0 dB post\", style=dashed];\n"),
                result.out());
        assertEquals(":routing \"svg\": must be \"tree\" or \"dot\"\n", result.err());
    }

    @Test
    void runWritesTheGraphWithDotOrSaysInOneLineThatItWroteDotTextInstead(@TempDir Path folder) throws Exception {
        Path script = folder.resolve("mix.js");
        Files.writeString(script, SCRIPT);
        Path svg = folder.resolve("mix.svg");
        Result result = run("", "run", script.toString(), "--offline", "--seconds", "0.1", "--graph", svg.toString());
        assertEquals(0, result.status(), result.err());
        Path dotFile = folder.resolve("mix.dot");
        if (dotInstalled()) {
            assertEquals("", result.err());
            String drawn = Files.readString(svg);
            assertTrue(drawn.startsWith("<?xml") || drawn.startsWith("<svg"), drawn);
            assertTrue(drawn.contains("Vox"), drawn);
            assertFalse(Files.exists(dotFile));
            Path png = folder.resolve("mix.png");
            assertEquals(0, run("", "run", script.toString(), "--offline", "--graph", png.toString()).status());
            byte[] header = Arrays.copyOf(Files.readAllBytes(png), 4);
            assertEquals("\u0089PNG", new String(header, StandardCharsets.ISO_8859_1));
        } else {
            assertEquals("desk: --graph " + svg + " needs Graphviz's dot (on Debian: apt-get install graphviz); wrote "
                    + dotFile + " instead\n", result.err());
            assertFalse(Files.exists(svg));
            assertTrue(Files.readString(dotFile).startsWith("digraph routing {\n"));
        }
    }

    @Test
    void runWritesDotTextToADotFileAndRefusesOtherExtensionsInOneLine(@TempDir Path folder) throws Exception {
        Path script = folder.resolve("mix.js");
        Files.writeString(script, SCRIPT);
        Path dotFile = folder.resolve("routing.dot");
        Result result = run("", "run", script.toString(), "--offline", "--graph", dotFile.toString());
        assertEquals(0, result.status(), result.err());
        assertEquals("", result.err());
        String dot = Files.readString(dotFile);
        assertTrue(dot.startsWith("digraph routing {\n") && dot.endsWith("}\n"), dot);
        assertTrue(dot.contains("  \"source:1\" -> \"strip:Vox\";\n"), dot);

        Path pdf = folder.resolve("routing.pdf");
        Result refused = run("", "run", script.toString(), "--offline", "--graph", pdf.toString());
        assertEquals(1, refused.status());
        assertEquals("desk: --graph " + pdf + ": the file name must end in .svg, .png or .dot\n", refused.err());
        Path nowhere = folder.resolve("missing").resolve("routing.svg");
        Result noFolder = run("", "run", script.toString(), "--offline", "--graph", nowhere.toString());
        assertEquals(1, noFolder.status());
        assertEquals("desk: --graph " + nowhere + ": the folder " + nowhere.getParent() + " does not exist\n",
                noFolder.err());
    }

    @Test
    void withoutDotTheGraphFileWritesTheDotTextBesideAndSaysSo(@TempDir Path folder) throws Exception {
        Path png = folder.resolve("routing.png");
        String notice = GraphFile.of(png).write("digraph routing {\n}\n", "desk-test-no-such-program");
        assertEquals("--graph " + png + " needs Graphviz's dot (on Debian: apt-get install graphviz); wrote "
                + folder.resolve("routing.dot") + " instead", notice);
        assertEquals("digraph routing {\n}\n", Files.readString(folder.resolve("routing.dot")));
        assertFalse(Files.exists(png));
        assertNull(GraphFile.of(folder.resolve("again.dot")).write("digraph routing {\n}\n", "desk-test-no-such-program"));
    }
}
