package desk.script;

/**
 * A script that failed: a syntax error, an uncaught error, a refused API call, or an interrupt. The message is
 * the one line users see (file:line:column: cause); the cause keeps the details for {@code :verbose}.
 * Any thread.
 */
public final class ScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitStatus;

    /** A failure with its one-line message and, if any, the underlying cause. */
    public ScriptException(String message, Throwable cause) {
        this(message, cause, 1);
    }

    /** A script that ended itself ({@code sys.exit(n)}) or failed, with the process exit status it asks for. */
    public ScriptException(String message, Throwable cause, int exitStatus) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /** The exit status: 1 for a failure, the script's own for an exit. */
    public int exitStatus() {
        return exitStatus;
    }
}
