package dev.geminibot.core.model;

/** Who said a message in a {@link ChatRequest}. */
public enum Role {
    USER,
    MODEL
}
