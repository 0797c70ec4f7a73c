package dev.geminibot.core.model;

import java.util.List;
import java.util.Objects;

/**
 * What the model is asked: an optional system prompt and the conversation, oldest first, ending with
 * the user's new message. Generation settings belong to the {@link ChatModel} (from configuration).
 *
 * @param systemPrompt instruction for the whole conversation; empty for none
 * @param messages     alternating turns, oldest first; the last one is the user's
 */
public record ChatRequest(String systemPrompt, List<ChatMessage> messages) {
    public ChatRequest {
        systemPrompt = systemPrompt == null ? "" : systemPrompt;
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one message");
        }
    }

    public static ChatRequest of(String systemPrompt, String userText) {
        return new ChatRequest(systemPrompt, List.of(ChatMessage.user(userText)));
    }
}
