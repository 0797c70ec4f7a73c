package dev.geminibot.config;

/** Key {@code streaming.mode}: how an answer appears. */
public enum StreamingMode {
    /** One message grows while the model writes (the default). */
    EDIT,
    /** The typing indicator (Discord) or a "Thinking…" status (Slack), then one post of the whole answer. */
    FINAL
}
