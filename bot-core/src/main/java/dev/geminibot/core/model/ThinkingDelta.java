package dev.geminibot.core.model;

/** A piece of the model's thought summary. Never part of the answer; shown only as a status. */
public record ThinkingDelta(String text) implements StreamEvent {
}
