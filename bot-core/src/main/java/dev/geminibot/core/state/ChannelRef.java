package dev.geminibot.core.state;

import dev.geminibot.core.conversation.ConversationKey;
import java.util.Objects;

/**
 * A channel, the scope of per-channel settings ({@code /model}, {@code /system}, {@code /search}). A thread
 * shares its channel's settings.
 *
 * @param platform  {@code discord}, {@code slack}, …
 * @param workspace Discord guild id, Slack team id; may be empty
 * @param channel   channel id (for a Discord thread: its parent channel, as the adapter decides)
 */
public record ChannelRef(String platform, String workspace, String channel) {
    public ChannelRef {
        Objects.requireNonNull(platform, "platform");
        workspace = workspace == null ? "" : workspace;
        Objects.requireNonNull(channel, "channel");
    }

    /** The channel a conversation happens in (its thread, if any, dropped). */
    public static ChannelRef of(ConversationKey key) {
        return new ChannelRef(key.platform(), key.workspace(), key.channel());
    }

    @Override
    public String toString() {
        return platform + ":" + workspace + "/" + channel;
    }
}
