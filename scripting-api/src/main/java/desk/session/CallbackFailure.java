package desk.session;

/**
 * A scheduled function or meter-watch callback that threw, or ran past the session's callback budget and was
 * stopped; either way the session cancels it. Its message names the callback and what
 * went wrong; the cause is the script's own failure (which knows the script line).
 * <p>
 * Threads: made on the session's control thread; immutable.
 */
public final class CallbackFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String callback;
    private final int budgetMilliseconds;

    CallbackFailure(String callback, int budgetMilliseconds, RuntimeException cause) {
        super(callback + (budgetMilliseconds > 0 ? " ran past its " + budgetMilliseconds
                + " ms budget (session.callbackBudget): stopped and cancelled"
                : " failed and is cancelled: " + describe(cause)), cause);
        this.callback = callback;
        this.budgetMilliseconds = budgetMilliseconds;
    }

    private static String describe(RuntimeException cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message).strip();
    }

    /** What failed, as the script made it: "every 1 beat", "Watch Vox.meter.peak above -1 dBFS". */
    public String callback() {
        return callback;
    }

    /** True when the callback was stopped for running past its budget rather than for throwing. */
    public boolean overran() {
        return budgetMilliseconds > 0;
    }
}
