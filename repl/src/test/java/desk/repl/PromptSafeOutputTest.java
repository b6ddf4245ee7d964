package desk.repl;

import org.jline.reader.LineReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lines a script prints while the prompt waits go above it whole; while a line the user entered runs they go
 * straight to the terminal.
 */
class PromptSafeOutputTest {
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final List<String> above = new ArrayList<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final LineReader reader = (LineReader) Proxy.newProxyInstance(LineReader.class.getClassLoader(),
            new Class<?>[] {LineReader.class}, (proxy, method, arguments) -> switch (method.getName()) {
                case "isReading" -> reading.get();
                case "printAbove" -> above.add((String) arguments[0]);
                default -> throw new AssertionError("unexpected call: LineReader." + method.getName());
            });

    @Test
    void linesPrintedWhileThePromptWaitsGoAboveItWholeAndOthersStraightOut() {
        PromptSafeOutput output = new PromptSafeOutput(terminal);
        PrintStream script = new PrintStream(output, true, StandardCharsets.UTF_8);
        output.attach(reader);
        script.println("while a line runs");
        reading.set(true);
        script.print("tock ");
        script.flush();
        assertEquals(List.of(), above, "a partial line waits for its newline while the prompt waits");
        script.println("at 2 s: -18 dBFS ✓");
        script.println("second");
        reading.set(false);
        script.println("after");
        assertEquals(List.of("tock at 2 s: -18 dBFS ✓", "second"), above);
        assertEquals("while a line runs\nafter\n", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAReaderEverythingGoesStraightOut() {
        PromptSafeOutput output = new PromptSafeOutput(terminal);
        PrintStream script = new PrintStream(output, true, StandardCharsets.UTF_8);
        script.print("no newline");
        script.flush();
        assertEquals("no newline", terminal.toString(StandardCharsets.UTF_8));
    }
}
