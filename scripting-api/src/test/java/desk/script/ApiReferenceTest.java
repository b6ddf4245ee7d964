package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.session.Session;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API reference documents every member scripts can reach: for each API type, a section whose heading
 * names the type has a row for each member, with its JavaScript and its Python form.
 */
class ApiReferenceTest {
    private static final Path REFERENCE = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("api-reference.md");

    @Test
    void everyExportedMemberIsDocumentedForBothLanguages() throws IOException {
        Map<String, String> sections = sections(Files.readString(REFERENCE));
        ApiRegistry registry = DeskApi.registry(new Session(new LocalEngineLink(new Engine(48000, 0))), Path.of(""));
        List<String> missing = new ArrayList<>();
        for (ApiType<?> type : registry.types()) {
            Pattern named = Pattern.compile("\\b" + type.name() + "\\b");
            for (String member : type.members().keySet()) {
                boolean documented = sections.entrySet().stream()
                        .filter(section -> named.matcher(section.getKey()).find())
                        .anyMatch(section -> hasRow(section.getValue(), member));
                if (!documented) {
                    missing.add(type.name() + "." + member);
                }
            }
        }
        assertTrue(missing.isEmpty(), "undocumented in docs/api-reference.md: " + missing);
    }

    /** A table row for {@code member} with four cells: name, JavaScript, Python, what. */
    private static boolean hasRow(String section, String member) {
        return section.lines().anyMatch(line -> line.startsWith("| `" + member + "` |") && line.split("\\|").length >= 5);
    }

    private static Map<String, String> sections(String markdown) {
        Map<String, String> sections = new LinkedHashMap<>();
        String heading = "";
        StringBuilder body = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ")) {
                sections.put(heading, body.toString());
                heading = line.substring(3);
                body.setLength(0);
            } else {
                body.append(line).append('\n');
            }
        }
        sections.put(heading, body.toString());
        return sections;
    }
}
