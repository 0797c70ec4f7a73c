package dev.geminibot.core.model;

/**
 * The model is using a tool: reported once per kind as the stream tells it, so the placeholder can say
 * what the model is doing before its first word. Carries no answer text.
 */
public record ToolActivity(Kind kind) implements StreamEvent {

    /** What the model is doing. */
    public enum Kind {
        /** Google Search queries arrived ({@code groundingMetadata.webSearchQueries}). */
        SEARCHING,
        /** Code to run arrived ({@code executableCode}). */
        RUNNING_CODE,
        /** Pages were fetched ({@code urlContextMetadata}). */
        READING_PAGES
    }
}
