package dev.geminibot.core.model;

/** What a {@link ModelStream} yields: answer text, thinking, tool progress, and one final {@link Finished}. */
public sealed interface StreamEvent permits TextDelta, ThinkingDelta, ToolActivity, Finished {
}
