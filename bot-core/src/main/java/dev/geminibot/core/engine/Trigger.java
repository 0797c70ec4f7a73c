package dev.geminibot.core.engine;

/** How a message reached the bot. */
public enum Trigger {
    /** {@code @Bot question} in a channel. */
    MENTION,
    /** A reply to one of the bot's messages, without a ping. */
    REPLY,
    /** {@code /ask}. */
    SLASH_COMMAND,
    /** A message in a thread where the bot takes part. */
    THREAD_FOLLOW_UP,
    /** A direct message, or a line typed in the terminal chat. */
    DIRECT_MESSAGE
}
