package dev.geminibot.core.model;

import java.util.List;

/**
 * The stream's last event.
 *
 * @param reason  why the model stopped
 * @param usage   token counts as far as the server reported them
 * @param detail  extra words from the server (a finish message, the block reason), or {@code null}
 * @param sources pages the answer drew on (grounding, URL context), in the model's order, without
 *                duplicates; empty when there are none
 */
public record Finished(FinishReason reason, Usage usage, String detail, List<Source> sources) implements StreamEvent {

    public Finished {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    public Finished(FinishReason reason, Usage usage, String detail) {
        this(reason, usage, detail, List.of());
    }

    public Finished(FinishReason reason, Usage usage) {
        this(reason, usage, null, List.of());
    }
}
