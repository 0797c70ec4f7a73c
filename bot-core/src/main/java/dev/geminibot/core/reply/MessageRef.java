package dev.geminibot.core.reply;

import java.util.Objects;

/** A message the bot posted, as its platform identifies it (Discord snowflake, Slack {@code ts}). */
public record MessageRef(String id) {
    public MessageRef {
        Objects.requireNonNull(id, "id");
    }
}
