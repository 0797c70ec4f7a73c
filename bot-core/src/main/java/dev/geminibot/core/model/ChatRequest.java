package dev.geminibot.core.model;

import java.util.List;
import java.util.Objects;

/**
 * What the model is asked: an optional system prompt and the conversation, oldest first, ending with
 * the user's new message. Generation settings belong to the {@link ChatModel} (from configuration);
 * a channel's settings ({@code /model}, {@code /search}) may override the model and add Google Search
 * for one request.
 *
 * @param systemPrompt instruction for the whole conversation; empty for none
 * @param messages     alternating turns, oldest first; the last one is the user's
 * @param model        the model to ask instead of the configured one; empty for the configured one
 * @param googleSearch ground the answer with Google Search (Gemini's {@code google_search} tool)
 */
public record ChatRequest(String systemPrompt, List<ChatMessage> messages, String model, boolean googleSearch) {
    public ChatRequest {
        systemPrompt = systemPrompt == null ? "" : systemPrompt;
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one message");
        }
        model = model == null ? "" : model.strip();
    }

    /** With the configured model and no tools. */
    public ChatRequest(String systemPrompt, List<ChatMessage> messages) {
        this(systemPrompt, messages, "", false);
    }

    public static ChatRequest of(String systemPrompt, String userText) {
        return new ChatRequest(systemPrompt, List.of(ChatMessage.user(userText)));
    }

    /** The same request for {@code model} (empty: the configured one) with or without Google Search. */
    public ChatRequest with(String model, boolean googleSearch) {
        return new ChatRequest(systemPrompt, messages, model, googleSearch);
    }

    /** The same request with another system prompt. */
    public ChatRequest withSystemPrompt(String systemPrompt) {
        return new ChatRequest(systemPrompt, messages, model, googleSearch);
    }
}
