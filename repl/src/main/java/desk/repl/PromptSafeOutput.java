package desk.repl;

import org.jline.reader.LineReader;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What scripts print in a terminal REPL. While the prompt waits for a line, a line printed by a scheduled
 * function, a meter watch or an OSC handler goes above the prompt and the prompt is drawn again under it,
 * as Desk's own notices do; otherwise (while a line the user entered runs) it goes straight to the terminal.
 * A line is held until its newline while the prompt waits.
 * <p>
 * Threads: any; the script thread and the control loop's write to it.
 */
final class PromptSafeOutput extends OutputStream {
    private final OutputStream terminal;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private LineReader reader;

    /** Output to {@code terminal} (the process's standard output or error), until a reader is attached. */
    PromptSafeOutput(OutputStream terminal) {
        this.terminal = terminal;
    }

    /** From now on, lines printed while {@code reader} waits for input go above its prompt; null: none does. */
    synchronized void attach(LineReader reader) {
        flushLine();
        this.reader = reader;
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    /** Writes out a partial line unless the prompt waits, where it stays until its newline. */
    @Override
    public synchronized void flush() {
        if (reader == null || !reader.isReading()) {
            flushLine();
        }
    }

    private void flushLine() {
        if (line.size() == 0) {
            return;
        }
        if (reader != null && reader.isReading()) {
            String text = line.toString(StandardCharsets.UTF_8);
            reader.printAbove(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
        } else {
            try {
                line.writeTo(terminal);
                terminal.flush();
            } catch (java.io.IOException e) {
                // The terminal is gone: there is no one left to show the line to.
            }
        }
        line.reset();
    }
}
