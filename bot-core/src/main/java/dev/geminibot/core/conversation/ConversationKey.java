package dev.geminibot.core.conversation;

import java.util.Objects;

/**
 * Identifies one conversation: a channel, or a thread inside it.
 *
 * @param platform  {@code discord}, {@code slack}, {@code terminal}, …
 * @param workspace Discord guild id, Slack team id; {@code "dm"} or empty for direct messages
 * @param channel   channel id (for a Discord thread, the thread's own channel id)
 * @param thread    thread id (Slack thread {@code ts}), or empty when the conversation is the channel itself
 */
public record ConversationKey(String platform, String workspace, String channel, String thread) {
    public ConversationKey {
        Objects.requireNonNull(platform, "platform");
        workspace = workspace == null ? "" : workspace;
        Objects.requireNonNull(channel, "channel");
        thread = thread == null ? "" : thread;
    }

    public static ConversationKey channel(String platform, String workspace, String channel) {
        return new ConversationKey(platform, workspace, channel, "");
    }

    public boolean inThread() {
        return !thread.isEmpty();
    }

    @Override
    public String toString() {
        return platform + ":" + workspace + "/" + channel + (thread.isEmpty() ? "" : "/" + thread);
    }
}
