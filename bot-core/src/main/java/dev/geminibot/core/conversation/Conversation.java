package dev.geminibot.core.conversation;

import java.util.ArrayList;
import java.util.List;

/**
 * The remembered turns of one conversation. Thread-safe; the engine appends one exchange at a time
 * because a conversation answers one message at a time.
 */
public final class Conversation {
    private final ConversationKey key;
    private final List<Turn> turns = new ArrayList<>();
    private long chars;
    /** The state store's version this copy matches; 0 when it was not read from (or written to) the store. */
    private volatile long version;

    public Conversation(ConversationKey key) {
        this.key = key;
    }

    public ConversationKey key() {
        return key;
    }

    public long version() {
        return version;
    }

    public void version(long storeVersion) {
        this.version = storeVersion;
    }

    /** A snapshot of the turns, oldest first. */
    public synchronized List<Turn> turns() {
        return List.copyOf(turns);
    }

    /** Appends turns in order. */
    public synchronized void append(Turn... newTurns) {
        for (Turn turn : newTurns) {
            turns.add(turn);
            chars += turn.text().length();
        }
    }

    /**
     * Keeps at most {@code maxTurns} of the newest turns, so a conversation that lives for weeks does not
     * grow without bound; what a request can use is trimmed again by {@link ContextWindow}.
     */
    public synchronized void retainNewest(int maxTurns) {
        while (turns.size() > maxTurns) {
            chars -= turns.remove(0).text().length();
        }
    }

    /** Total characters of all turns: the cache's weight of this conversation. */
    public synchronized long chars() {
        return chars;
    }

    public synchronized boolean isEmpty() {
        return turns.isEmpty();
    }
}
