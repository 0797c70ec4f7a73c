package dev.geminibot.core.model;

/**
 * The stream's last event.
 *
 * @param reason why the model stopped
 * @param usage  token counts as far as the server reported them
 * @param detail extra words from the server (a finish message, the block reason), or {@code null}
 */
public record Finished(FinishReason reason, Usage usage, String detail) implements StreamEvent {

    public Finished(FinishReason reason, Usage usage) {
        this(reason, usage, null);
    }
}
