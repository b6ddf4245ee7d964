package desk.session;

/**
 * A user action Desk refused. The message is one line that names the thing, the value and what is allowed;
 * when it is thrown nothing of the action has been applied. Any thread.
 */
public final class DeskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a one-line message. */
    public DeskException(String message) {
        super(message);
    }
}
