package desk.script;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The script languages Desk speaks. Immutable; any thread.
 */
public enum Language {
    /** JavaScript (GraalJS). */
    JS("js", "js", ".js"),
    /** Python 3 (GraalPy). */
    PYTHON("python", "py", ".py");

    private final String id;
    private final String shortName;
    private final String extension;

    Language(String id, String shortName, String extension) {
        this.id = id;
        this.shortName = shortName;
        this.extension = extension;
    }

    /** The polyglot language id. */
    public String id() {
        return id;
    }

    /** The short name the REPL shows and takes: "js" or "py". */
    public String shortName() {
        return shortName;
    }

    /** The language of a script file by its extension, or null. */
    public static Language ofFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (Language language : values()) {
            if (name.endsWith(language.extension)) {
                return language;
            }
        }
        return null;
    }
}
