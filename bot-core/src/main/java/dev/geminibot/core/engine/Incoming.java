package dev.geminibot.core.engine;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.media.SharedFile;
import java.util.List;
import java.util.Objects;

/**
 * A message addressed to the bot, in platform-neutral terms. Adapters build it after they decided that
 * the bot is addressed and stripped the mention.
 *
 * @param conversation where it was said
 * @param userId       platform user id (rate limits, allowlists, logs)
 * @param userName     display name, given to the model so it can tell people apart
 * @param text         the question, without the mention
 * @param trigger      how it reached the bot
 * @param messageId    the platform's id of the user's message, or empty (slash commands)
 * @param files        files attached to the message, in the order attached; they go to the model with it
 */
public record Incoming(ConversationKey conversation, String userId, String userName, String text,
                       Trigger trigger, String messageId, List<SharedFile> files) {
    public Incoming {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(userId, "userId");
        userName = userName == null || userName.isBlank() ? userId : userName;
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(trigger, "trigger");
        messageId = messageId == null ? "" : messageId;
        files = files == null ? List.of() : List.copyOf(files);
    }

    public Incoming(ConversationKey conversation, String userId, String userName, String text, Trigger trigger,
                    String messageId) {
        this(conversation, userId, userName, text, trigger, messageId, List.of());
    }
}
