package dev.geminibot.core.state;

import dev.geminibot.core.conversation.ConversationKey;
import java.util.Objects;

/**
 * "Stop the answer being written here", sent to every instance.
 *
 * @param key         the conversation
 * @param withThreads also every thread of {@code key}'s channel (Slack's {@code /stop} is typed in the
 *                    channel while the answer streams in a thread under it)
 * @param byUser      when not empty, only an answer to this user stops (a Stop button only its asker
 *                    may press); empty: any answer
 */
public record StopSignal(ConversationKey key, boolean withThreads, String byUser) {
    public StopSignal {
        Objects.requireNonNull(key, "key");
        byUser = byUser == null ? "" : byUser;
    }

    public StopSignal(ConversationKey key, boolean withThreads) {
        this(key, withThreads, "");
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
