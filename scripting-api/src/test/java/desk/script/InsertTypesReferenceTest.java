package desk.script;

import desk.engine.fx.BuiltIns;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.ProcessorType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API reference's "Insert types" section says what the processors really take: for every built-in type
 * a heading, its summary, and a row per parameter with its range, default and help exactly as the type
 * declares them. A failure prints the section as it should read.
 */
class InsertTypesReferenceTest {
    private static final Path REFERENCE = Path.of(System.getProperty("user.dir")).resolveSibling("docs")
            .resolve("api-reference.md");

    @Test
    void everyInsertTypeAndParameterIsDocumentedAsDeclared() throws IOException {
        String reference = Files.readString(REFERENCE);
        String expected = expectedSection();
        assertTrue(reference.contains(expected), "docs/api-reference.md should contain:\n" + expected);
    }

    /** The section as the types declare it. */
    static String expectedSection() {
        StringBuilder text = new StringBuilder("## Insert types\n\n");
        text.append("What `strip.insert(type, ...)` takes; each parameter is a property of the insert.\n");
        for (ProcessorType type : BuiltIns.all()) {
            text.append("\n### `").append(type.name()).append("`\n\n").append(type.summary())
                    .append(type.sideChain() ? " It has a side chain (`sidechain`)." : "").append("\n\n")
                    .append("| parameter | allowed | default | what |\n| --- | --- | --- | --- |\n");
            for (InsertParameter parameter : type.parameters()) {
                text.append("| `").append(parameter.name()).append("` | ").append(parameter.allowed()).append(" | ")
                        .append(parameter.format(parameter.initial())).append(" | ").append(parameter.help())
                        .append(" |\n");
            }
        }
        return text.toString();
    }
}
