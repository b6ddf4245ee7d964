package desk.repl;

import desk.session.Expectations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a script's {@code expect} checks as a JUnit XML report (one test suite named after the script, one
 * test case per check, a failure element for each failed one), the format CI servers read; each scheduled
 * function or callback that failed during the run is a test case with an error element.
 * <p>
 * Threads: any thread.
 */
final class JUnitReport {
    private JUnitReport() {
    }

    /**
     * Writes {@code results} of the script {@code suite}, and {@code errors} (one line per callback that
     * failed), to {@code file}, replacing it.
     */
    static void write(Path file, String suite, List<Expectations.Result> results, List<String> errors)
            throws IOException {
        long failures = results.stream().filter(r -> !r.passed()).count();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuite name=\"").append(escape(suite)).append("\" tests=\"")
                .append(results.size() + errors.size()).append("\" failures=\"").append(failures)
                .append("\" errors=\"").append(errors.size()).append("\" skipped=\"0\">\n");
        for (int e = 0; e < errors.size(); e++) {
            xml.append("  <testcase classname=\"").append(escape(suite)).append("\" name=\"callback error ")
                    .append(e + 1).append("\">\n    <error message=\"").append(escape(errors.get(e)))
                    .append("\"/>\n  </testcase>\n");
        }
        for (Expectations.Result result : results) {
            xml.append("  <testcase classname=\"").append(escape(suite)).append("\" name=\"")
                    .append(escape(result.name())).append("\"");
            if (result.passed()) {
                xml.append("/>\n");
            } else {
                xml.append(">\n    <failure message=\"").append(escape(result.message())).append("\"/>\n")
                        .append("  </testcase>\n");
            }
        }
        xml.append("</testsuite>\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, xml, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
