package desk.repl;

import org.jline.reader.LineReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * What scripts print in a terminal REPL. While the prompt waits for a line, a line printed by a scheduled
 * function, a meter watch or an OSC handler goes above the prompt and the prompt is drawn again under it,
 * as Desk's own notices do; otherwise (while a line the user entered runs) it goes straight to the terminal.
 * A line is held until its newline while the prompt waits (or until it grows past {@value #LONGEST_LINE}
 * bytes).
 * <p>
 * The writing thread never touches JLine: a line for above the prompt is handed to a thread of its own,
 * since JLine holds its lock while a key's widget runs, and a widget (tab completion) may wait for the
 * script thread that is printing.
 * <p>
 * Threads: any; the script thread and the control loop write to it, the REPL's thread says when the prompt
 * waits.
 */
final class PromptSafeOutput extends OutputStream {
    private static final int LONGEST_LINE = 64 * 1024;

    private final OutputStream terminal;
    private final Executor printer;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile LineReader reader;
    private volatile boolean prompting;

    /**
     * Output to {@code terminal} (the process's standard output or error); lines above the prompt go by a
     * thread of its own.
     */
    PromptSafeOutput(OutputStream terminal) {
        this(terminal, Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "desk-prompt-output");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** As {@link #PromptSafeOutput(OutputStream)}, with {@code printer} running the calls to JLine. */
    PromptSafeOutput(OutputStream terminal, Executor printer) {
        this.terminal = terminal;
        this.printer = printer;
    }

    /** The reader whose prompt lines go above, or null for none. */
    void attach(LineReader reader) {
        synchronized (this) {
            flushLine();
        }
        this.reader = reader;
    }

    /** Whether the prompt waits for a line now: the REPL says so around each read. */
    void prompting(boolean waiting) {
        synchronized (this) {
            prompting = waiting;
            if (!waiting) {
                flushLine();
            }
        }
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n' || line.size() >= LONGEST_LINE) {
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
        if (reader == null || !prompting) {
            flushLine();
        }
    }

    private void flushLine() {
        if (line.size() == 0) {
            return;
        }
        LineReader above = reader;
        if (above != null && prompting) {
            String text = line.toString(StandardCharsets.UTF_8);
            String shown = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            printer.execute(() -> above.printAbove(shown));
        } else {
            try {
                line.writeTo(terminal);
                terminal.flush();
            } catch (IOException e) {
                // The terminal is gone: there is no one left to show the line to.
            }
        }
        line.reset();
    }
}
