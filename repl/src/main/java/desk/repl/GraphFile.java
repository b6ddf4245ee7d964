package desk.repl;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The file {@code desk run --graph FILE} writes the routing to: {@code .dot} as Graphviz DOT text,
 * {@code .svg} or {@code .png} drawn by Graphviz's {@code dot}. Without {@code dot} it writes the DOT text
 * beside, in FILE with {@code .dot} for its extension, and says so in one line.
 * <p>
 * Threads: any one thread at a time; {@link #write} runs {@code dot} and waits for it.
 */
final class GraphFile {
    /** Graphviz's layout program, looked up on the PATH. */
    static final String DOT_COMMAND = "dot";

    private static final long DOT_TIMEOUT_SECONDS = 60;

    private final Path file;
    private final String format;

    private GraphFile(Path file, String format) {
        this.file = file;
        this.format = format;
    }

    /** The graph file {@code file}; refused in one line unless its name ends in .svg, .png or .dot. */
    static GraphFile of(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!extension.equals("svg") && !extension.equals("png") && !extension.equals("dot")) {
            throw new IllegalArgumentException("--graph " + file + ": the file name must end in .svg, .png or .dot");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--graph " + file + ": the folder " + folder + " does not exist");
        }
        return new GraphFile(file, extension);
    }

    /**
     * Writes {@code dotText} to the file, through {@code dotCommand} for .svg and .png. Returns the line to
     * tell the user when {@code dotCommand} is not installed and the DOT text went to a .dot file instead, or
     * null. A failure of {@code dotCommand} or of the disk is an IOException with one line.
     */
    String write(String dotText, String dotCommand) throws IOException {
        if (format.equals("dot")) {
            writeText(file, dotText);
            return null;
        }
        Process process;
        try {
            process = new ProcessBuilder(dotCommand, "-T" + format, "-o", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException notInstalled) {
            Path instead = besideAsDot();
            writeText(instead, dotText);
            return "--graph " + file + " needs Graphviz's dot (on Debian: apt-get install graphviz); wrote "
                    + instead + " instead";
        }
        try (OutputStream input = process.getOutputStream()) {
            input.write(dotText.getBytes(StandardCharsets.UTF_8));
        }
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(DOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("--graph " + file + ": " + dotCommand + " did not finish within "
                        + DOT_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("--graph " + file + ": interrupted while " + dotCommand + " ran");
        }
        if (process.exitValue() != 0) {
            throw new IOException("--graph " + file + ": " + dotCommand + " failed with status " + process.exitValue()
                    + (errors.isEmpty() ? "" : ": " + errors.lines().findFirst().orElse(errors)));
        }
        return null;
    }

    private void writeText(Path target, String text) throws IOException {
        try {
            Files.writeString(target, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("--graph " + file + ": cannot write " + target + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    /** The file's path with .dot for its extension. */
    private Path besideAsDot() {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.length() - format.length()) + "dot");
    }
}
