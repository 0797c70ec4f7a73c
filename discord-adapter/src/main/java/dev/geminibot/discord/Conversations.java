package dev.geminibot.discord;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.state.ChannelRef;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;

/**
 * Conversation keys of Discord channels. A thread is its own conversation: its key names the thread's
 * channel id both as channel and as thread (so the engine knows it is a thread and may rebuild it with
 * the {@link ThreadHistory} loader); a channel's key has no thread; DMs use the workspace {@code dm}.
 */
final class Conversations {

    static final String PLATFORM = "discord";
    static final String DM_WORKSPACE = "dm";

    private Conversations() {
    }

    static ConversationKey keyOf(MessageChannel channel) {
        if (channel instanceof ThreadChannel thread) {
            return new ConversationKey(PLATFORM, thread.getGuild().getId(), thread.getId(), thread.getId());
        }
        if (channel instanceof GuildChannel guildChannel) {
            return ConversationKey.channel(PLATFORM, guildChannel.getGuild().getId(), channel.getId());
        }
        return ConversationKey.channel(PLATFORM, DM_WORKSPACE, channel.getId());
    }

    /** The channel whose settings apply in {@code channel}: a thread follows its parent channel. */
    static ChannelRef settingsChannel(MessageChannel channel) {
        if (channel instanceof ThreadChannel thread) {
            return new ChannelRef(PLATFORM, thread.getGuild().getId(), thread.getParentChannel().getId());
        }
        return ChannelRef.of(keyOf(channel));
    }
}
