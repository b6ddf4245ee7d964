package desk.repl;

import org.jline.reader.LineReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lines a script prints while the prompt waits go above it whole, handed to a thread other than the one that
 * prints (JLine's lock may be held by a widget that waits for that thread); while a line the user entered
 * runs they go straight to the terminal.
 */
class PromptSafeOutputTest {
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final List<String> above = new ArrayList<>();
    private final List<Runnable> handedOver = new ArrayList<>();
    private final LineReader reader = (LineReader) Proxy.newProxyInstance(LineReader.class.getClassLoader(),
            new Class<?>[] {LineReader.class}, (proxy, method, arguments) -> {
                if (method.getName().equals("printAbove")) {
                    above.add((String) arguments[0]);
                    return null;
                }
                throw new AssertionError("unexpected call: LineReader." + method.getName());
            });

    @Test
    void linesPrintedWhileThePromptWaitsGoAboveItWholeByAnotherThread() {
        PromptSafeOutput output = new PromptSafeOutput(terminal, handedOver::add);
        PrintStream script = new PrintStream(output, true, StandardCharsets.UTF_8);
        output.attach(reader);
        script.println("while a line runs");
        output.prompting(true);
        script.print("tock ");
        script.flush();
        assertEquals(List.of(), handedOver, "a partial line waits for its newline while the prompt waits");
        script.println("at 2 s: -18 dBFS ✓");
        script.println("second");
        assertEquals(List.of(), above, "the printing thread does not call JLine");
        handedOver.forEach(Runnable::run);
        assertEquals(List.of("tock at 2 s: -18 dBFS ✓", "second"), above);
        script.print("half a line");
        output.prompting(false);
        script.println(", then after");
        assertEquals("while a line runs\nhalf a line, then after\n", terminal.toString(StandardCharsets.UTF_8));
        assertEquals(2, handedOver.size(), "what waited for its newline went to the terminal when the prompt left");
    }

    @Test
    void withoutAReaderEverythingGoesStraightOut() {
        PromptSafeOutput output = new PromptSafeOutput(terminal, handedOver::add);
        PrintStream script = new PrintStream(output, true, StandardCharsets.UTF_8);
        script.print("no newline");
        script.flush();
        assertEquals("no newline", terminal.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), handedOver);
    }
}
