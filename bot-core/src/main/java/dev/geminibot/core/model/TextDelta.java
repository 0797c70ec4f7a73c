package dev.geminibot.core.model;

/** The next piece of the answer, to be appended to what came before. Never empty. */
public record TextDelta(String text) implements StreamEvent {
}
