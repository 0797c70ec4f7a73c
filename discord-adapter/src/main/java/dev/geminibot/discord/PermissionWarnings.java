package dev.geminibot.discord;

import dev.geminibot.core.reply.PlatformException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bot's permissions in a channel and logs each missing one once per channel, naming the
 * permission, so an operator sees what to grant without a log line per message. Thread-safe.
 */
final class PermissionWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(PermissionWarnings.class);

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** True when the bot holds every one of {@code needed} in {@code channel}; logs the missing ones once. */
    boolean has(GuildChannel channel, Permission... needed) {
        var self = channel.getGuild().getSelfMember();
        boolean all = true;
        for (Permission permission : needed) {
            if (!self.hasPermission(channel, permission)) {
                all = false;
                warnOnce(channel.getId(), channel.getName(), permission.getName());
            }
        }
        return all;
    }

    /** Logs a FORBIDDEN failure of a call into {@code channel} once. */
    void onFailure(MessageChannel channel, PlatformException failure) {
        if (failure.kind() == PlatformException.Kind.FORBIDDEN) {
            warnOnce(channel.getId(), channel.getName(), failure.getMessage());
        }
    }

    private void warnOnce(String channelId, String channelName, String what) {
        if (warned.add(channelId + "/" + what)) {
            LOG.warn("Missing permission in Discord channel #{} ({}): {}. The bot cannot answer there until it is granted.",
                    channelName, channelId, what);
        }
    }
}
