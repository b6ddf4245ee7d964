package desk.script;

/**
 * A script that failed: a syntax error, an uncaught error, a refused API call, or an interrupt. The message is
 * the one line users see (file:line:column: cause); the cause keeps the details for {@code :verbose}.
 * Any thread.
 */
public final class ScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with its one-line message and, if any, the underlying cause. */
    public ScriptException(String message, Throwable cause) {
        super(message, cause);
    }
}
