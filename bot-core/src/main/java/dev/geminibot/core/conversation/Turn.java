package dev.geminibot.core.conversation;

import dev.geminibot.core.model.Role;
import java.time.Instant;
import java.util.Objects;

/**
 * One message of a conversation as the bot remembers it.
 *
 * @param role       the user's or the model's
 * @param authorId   platform user id of a user turn; empty for the model
 * @param authorName display name of a user turn, so the model can tell people apart in a channel
 * @param text       what was said (for a failed answer: what was shown)
 * @param at         when it was said
 */
public record Turn(Role role, String authorId, String authorName, String text, Instant at) {
    public Turn {
        Objects.requireNonNull(role, "role");
        authorId = authorId == null ? "" : authorId;
        authorName = authorName == null ? "" : authorName;
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }

    public static Turn user(String authorId, String authorName, String text, Instant at) {
        return new Turn(Role.USER, authorId, authorName, text, at);
    }

    public static Turn model(String text, Instant at) {
        return new Turn(Role.MODEL, "", "", text, at);
    }
}
