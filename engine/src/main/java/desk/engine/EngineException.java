package desk.engine;

/**
 * A command the engine refused; its message is one line that names the thing, the value and what is
 * allowed. When it is thrown, nothing of the command has been applied. Any thread.
 */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a one-line message. */
    public EngineException(String message) {
        super(message);
    }
}
