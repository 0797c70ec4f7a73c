package dev.geminibot.core.model;

/**
 * A language model that streams its answers. Implementations: Gemini's native protocol, the
 * OpenAI-compatible protocol, and the offline demo model.
 */
public interface ChatModel {

    /**
     * Prepares a stream for {@code request}. Returns at once without network I/O: the request is sent
     * when the caller starts iterating, so {@link ModelStream#cancel()} works from the first moment,
     * including while the client waits to retry.
     */
    ModelStream stream(ChatRequest request);

    /** The model's name as shown in logs, e.g. {@code gemini-2.5-flash}. */
    String name();
}
