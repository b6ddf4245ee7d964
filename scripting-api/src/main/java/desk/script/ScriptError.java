package desk.script;

import desk.session.CallbackFailure;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

import java.util.function.UnaryOperator;

/**
 * A script failure as users read it: one line with where (file:line:column) and why. Host refusals
 * (a {@link desk.session.DeskException} thrown by the API) are shown by their message, located at the script
 * line that caused them. Python runtime errors are located through the exception's traceback.
 * <p>
 * Threads: the script thread (reading a Python traceback enters the context).
 */
public final class ScriptError {
    private ScriptError() {
    }

    /** The one-line description of {@code failure} in the script {@code sourceName} whose text is {@code code}. */
    public static String oneLine(PolyglotException failure, String sourceName, String code) {
        return oneLine(failure, sourceName, code, UnaryOperator.identity());
    }

    /** As {@link #oneLine(PolyglotException, String, String)}, the error's own words passed through {@code wording}. */
    private static String oneLine(PolyglotException failure, String sourceName, String code,
                                  UnaryOperator<String> wording) {
        String message;
        if (failure.isHostException()) {
            Throwable cause = failure.asHostException();
            message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        } else if (failure.isInterrupted() || failure.isCancelled()) {
            message = "interrupted";
        } else {
            message = failure.getMessage() == null ? "error" : failure.getMessage();
        }
        message = message.lines().findFirst().orElse(message).strip();
        message = message.replaceFirst("^DeskError: ", "");
        message = message.replaceFirst("^(SyntaxError: )" + java.util.regex.Pattern.quote(sourceName) + ":\\d+:\\d+ ", "$1");
        message = wording.apply(message);
        int line = pythonLine(failure, sourceName);
        if (line > 0) {
            return sourceName + ":" + line + ":" + firstColumn(code, line) + ": " + message;
        }
        SourceSection location = location(failure, sourceName);
        if (location != null) {
            return location.getSource().getName() + ":" + location.getStartLine() + ":" + location.getStartColumn()
                    + ": " + message;
        }
        return message;
    }

    /**
     * The one-line description of a failure in code that ran outside an evaluation (a scheduled function):
     * placed in the innermost script frame that is not Desk's own.
     */
    public static String oneLine(PolyglotException failure) {
        return outsideEvaluation(failure, UnaryOperator.identity());
    }

    /**
     * The one-line description of a scheduled function or watch callback that failed or overran, placed as
     * {@link #oneLine(PolyglotException)} places it: "mix.js:4:9: every 1 beat failed and is cancelled: Error:
     * boom".
     */
    public static String oneLine(CallbackFailure failure) {
        if (!(failure.getCause() instanceof PolyglotException script)) {
            return failure.getMessage();
        }
        return outsideEvaluation(script, message -> failure.overran() ? failure.getMessage()
                : failure.callback() + " failed and is cancelled: " + message);
    }

    private static String outsideEvaluation(PolyglotException failure, UnaryOperator<String> wording) {
        for (PolyglotException.StackFrame frame : failure.getPolyglotStackTrace()) {
            SourceSection section = frame.getSourceLocation();
            if (frame.isGuestFrame() && section != null && !section.getSource().isInternal()
                    && !section.getSource().getName().startsWith("<desk")) {
                return oneLine(failure, section.getSource().getName(), section.getSource().getCharacters().toString(),
                        wording);
            }
        }
        return oneLine(failure, "<script>", "", wording);
    }

    /** The innermost guest source position in the script (for a host refusal: the script line that called the API). */
    private static SourceSection location(PolyglotException failure, String sourceName) {
        SourceSection own = failure.getSourceLocation();
        if (own != null && !failure.isHostException() && own.getSource().getName().equals(sourceName)) {
            return own;
        }
        for (PolyglotException.StackFrame frame : failure.getPolyglotStackTrace()) {
            SourceSection section = frame.getSourceLocation();
            if (frame.isGuestFrame() && section != null && section.getSource().getName().equals(sourceName)) {
                return section;
            }
        }
        return null;
    }

    /** The line of the innermost frame of {@code sourceName} in a Python exception's traceback, or 0. */
    private static int pythonLine(PolyglotException failure, String sourceName) {
        Value exception = failure.getGuestObject();
        if (exception == null || !exception.hasMember("__traceback__")) {
            return 0;
        }
        int line = 0;
        for (Value tb = exception.getMember("__traceback__"); tb != null && !tb.isNull(); tb = tb.getMember("tb_next")) {
            Value file = tb.getMember("tb_frame").getMember("f_code").getMember("co_filename");
            if (file != null && file.isString() && file.asString().equals(sourceName)) {
                line = tb.getMember("tb_lineno").asInt();
            }
        }
        return line;
    }

    private static int firstColumn(String code, int line) {
        String[] lines = code.split("\n", -1);
        if (line > lines.length) {
            return 1;
        }
        String text = lines[line - 1];
        int column = 0;
        while (column < text.length() && Character.isWhitespace(text.charAt(column))) {
            column++;
        }
        return column + 1;
    }
}
