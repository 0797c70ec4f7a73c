package dev.geminibot.core.state;

import dev.geminibot.core.conversation.ConversationKey;
import java.util.Objects;

/**
 * "Stop the answer being written here", sent to every instance.
 *
 * @param key         the conversation
 * @param withThreads also every thread of {@code key}'s channel (Slack's {@code /stop} is typed in the
 *                    channel while the answer streams in a thread under it)
 */
public record StopSignal(ConversationKey key, boolean withThreads) {
    public StopSignal {
        Objects.requireNonNull(key, "key");
    }

    /** Whether an answer in {@code conversation} is meant. */
    public boolean matches(ConversationKey conversation) {
        if (conversation.equals(key)) {
            return true;
        }
        return withThreads && conversation.platform().equals(key.platform())
                && conversation.workspace().equals(key.workspace())
                && conversation.channel().equals(key.channel());
    }
}
