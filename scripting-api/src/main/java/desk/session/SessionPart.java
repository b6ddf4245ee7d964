package desk.session;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * State kept beside the session that is saved in its file and made again when the file is opened (the MIDI
 * ports and mappings): a top-level key of the document of its own. Undo and redo leave it alone.
 * <p>
 * Threads: the session's control thread.
 */
public interface SessionPart {
    /** The document's key for it, e.g. {@code "midi"}. */
    String key();

    /** What to save, or null when there is nothing (the key is then left out). */
    JsonNode document();

    /**
     * Makes the state of {@code node} (as {@link #document} wrote it) after the strips have been made; a
     * DeskException names what is wrong.
     */
    void restore(JsonNode node);
}
