package dev.geminibot.core.conversation;

import java.util.List;

/**
 * Rebuilds a conversation from the platform when the bot does not remember it (after a restart, or
 * once the cache let it go). Implemented by adapters (Discord message history, Slack
 * {@code conversations.replies}).
 */
@FunctionalInterface
public interface HistoryLoader {

    /** Never rebuilds anything. */
    HistoryLoader NONE = (key, maxChars) -> List.of();

    /**
     * Returns the conversation's turns, oldest first, the newest ones within about {@code maxChars},
     * excluding the message being answered now. Blocks (call it on a virtual thread). An empty list
     * when there is nothing to load or the platform refused; never throws for a platform failure.
     */
    List<Turn> load(ConversationKey key, int maxChars);
}
