package desk.script;

import java.io.OutputStream;

/** Discards what tests' scripts print: these tests read results, not printed text. */
final class OutputStreamSink extends OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {
        // nothing to keep
    }
}
