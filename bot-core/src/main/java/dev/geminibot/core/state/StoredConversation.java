package dev.geminibot.core.state;

import dev.geminibot.core.conversation.Turn;
import java.util.List;

/**
 * A conversation as the store holds it.
 *
 * @param turns   oldest first; empty after a reset
 * @param version increases with every change (save, append, reset), so a cache can tell that another
 *                instance changed the conversation; {@code 0} means the store has never seen it
 */
public record StoredConversation(List<Turn> turns, long version) {
    public static final StoredConversation NONE = new StoredConversation(List.of(), 0);

    public StoredConversation {
        turns = List.copyOf(turns);
    }

    /** Characters of all its turns' text (what the memory store's bound counts). */
    public long chars() {
        long chars = 0;
        for (Turn turn : turns) {
            chars += turn.text().length();
        }
        return chars;
    }

    /** Whether the store knows this conversation (it may still hold no turns, e.g. right after a reset). */
    public boolean known() {
        return version > 0;
    }
}
