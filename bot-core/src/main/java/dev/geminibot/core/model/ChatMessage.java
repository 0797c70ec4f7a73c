package dev.geminibot.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One message of the conversation sent to the model.
 *
 * @param files files attached to this message, in the order they were attached; empty for text only
 */
public record ChatMessage(Role role, String text, List<InlineFile> files) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
        files = files == null ? List.of() : List.copyOf(files);
    }

    public ChatMessage(Role role, String text) {
        this(role, text, List.of());
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text);
    }

    public static ChatMessage model(String text) {
        return new ChatMessage(Role.MODEL, text);
    }

    /** Whether there is nothing to send: no text and no file. */
    public boolean isEmpty() {
        return text.isBlank() && files.isEmpty();
    }
}
