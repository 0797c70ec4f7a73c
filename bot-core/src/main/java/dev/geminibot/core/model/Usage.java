package dev.geminibot.core.model;

/** Token counts of one answer; 0 where the server did not say. */
public record Usage(int promptTokens, int outputTokens, int thinkingTokens, int totalTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);
}
