package dev.geminibot.state;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.state.ChannelRef;

/**
 * Stable string forms of conversations and channels, used as SQLite keys and inside Redis keys:
 * {@code platform:workspace:channel[:thread]}. A {@code :} or {@code %} inside an id is percent-encoded,
 * so two different keys never share a string.
 */
public final class StateKeys {
    private StateKeys() {
    }

    public static String conversation(ConversationKey key) {
        String base = part(key.platform()) + ":" + part(key.workspace()) + ":" + part(key.channel());
        return key.inThread() ? base + ":" + part(key.thread()) : base;
    }

    public static String channel(ChannelRef channel) {
        return part(channel.platform()) + ":" + part(channel.workspace()) + ":" + part(channel.channel());
    }

    /** Parses {@link #conversation}'s form back (stop signals travel as this string). */
    public static ConversationKey parseConversation(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("not a conversation key: " + text);
        }
        return new ConversationKey(unpart(parts[0]), unpart(parts[1]), unpart(parts[2]),
                parts.length == 4 ? unpart(parts[3]) : "");
    }

    private static String part(String id) {
        return id.replace("%", "%25").replace(":", "%3A");
    }

    private static String unpart(String id) {
        return id.replace("%3A", ":").replace("%25", "%");
    }
}
