package dev.geminibot.core.model;

import dev.geminibot.config.GeminiTool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the model is asked: an optional system prompt, the conversation, oldest first, ending with the
 * user's new message, and the built-in tools this request may use. Generation settings belong to the
 * {@link ChatModel} (from configuration); a channel's {@code /model} may name another model for one request.
 *
 * @param systemPrompt instruction for the whole conversation; empty for none
 * @param messages     alternating turns, oldest first; the last one is the user's
 * @param tools        Gemini tools for this request (from {@code gemini.tools}, or a channel's choice);
 *                     empty for none
 * @param model        the model to ask instead of the configured one ({@code /model}); empty for the configured one
 */
public record ChatRequest(String systemPrompt, List<ChatMessage> messages, Set<GeminiTool> tools, String model) {
    public ChatRequest {
        systemPrompt = systemPrompt == null ? "" : systemPrompt;
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one message");
        }
        tools = tools == null || tools.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(tools));
        model = model == null ? "" : model.strip();
    }

    /** For the configured model. */
    public ChatRequest(String systemPrompt, List<ChatMessage> messages, Set<GeminiTool> tools) {
        this(systemPrompt, messages, tools, "");
    }

    public ChatRequest(String systemPrompt, List<ChatMessage> messages) {
        this(systemPrompt, messages, Set.of());
    }

    public static ChatRequest of(String systemPrompt, String userText) {
        return new ChatRequest(systemPrompt, List.of(ChatMessage.user(userText)));
    }

    /** The same request with these tools instead. */
    public ChatRequest withTools(Set<GeminiTool> tools) {
        return new ChatRequest(systemPrompt, messages, tools, model);
    }

    /** The same request for {@code model} (empty: the configured one). */
    public ChatRequest withModel(String model) {
        return new ChatRequest(systemPrompt, messages, tools, model);
    }

    /** The same request with another system prompt. */
    public ChatRequest withSystemPrompt(String systemPrompt) {
        return new ChatRequest(systemPrompt, messages, tools, model);
    }

    /** The same request with {@code files} attached to its last (the user's new) message. */
    public ChatRequest withFilesOnLastTurn(List<InlineFile> files) {
        if (files.isEmpty()) {
            return this;
        }
        List<ChatMessage> changed = new ArrayList<>(messages);
        ChatMessage last = changed.get(changed.size() - 1);
        List<InlineFile> all = new ArrayList<>(last.files());
        all.addAll(files);
        changed.set(changed.size() - 1, new ChatMessage(last.role(), last.text(), all));
        return new ChatRequest(systemPrompt, changed, tools, model);
    }
}
