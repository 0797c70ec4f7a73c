package dev.geminibot.core.state;

import dev.geminibot.core.conversation.ConversationKey;
import java.util.Objects;

/**
 * The right to answer one conversation, held by one instance until released or expired.
 *
 * @param key   the conversation
 * @param token unique to this holder, so only the holder can renew or release it
 */
public record Lease(ConversationKey key, String token) {
    public Lease {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(token, "token");
    }
}
