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

    /**
     * Removes the last {@code count} turns if they are exactly {@code expected} (oldest first): the latest
     * exchange, for an answer that is regenerated. False, changing nothing, when the conversation moved on.
     */
    public synchronized boolean removeLast(List<Turn> expected) {
        int from = turns.size() - expected.size();
        if (from < 0 || !turns.subList(from, turns.size()).equals(expected)) {
            return false;
        }
        for (int i = turns.size() - 1; i >= from; i--) {
            chars -= turns.remove(i).text().length();
        }
        return true;
    }

    /** Replaces the last turn if it is {@code expected}: a cut answer that was continued. */
    public synchronized boolean replaceLast(Turn expected, Turn replacement) {
        if (turns.isEmpty() || !turns.getLast().equals(expected)) {
            return false;
        }
        chars += replacement.text().length() - turns.getLast().text().length();
        turns.set(turns.size() - 1, replacement);
        return true;
    }
}
