package dev.geminibot.discord;

import dev.geminibot.core.reply.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bot's permissions in a channel and logs each missing one once per channel, naming the
 * permission as Discord's settings show it and as JDA spells it, so an operator sees what to grant without
 * a log line per message. Thread-safe.
 */
final class PermissionWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(PermissionWarnings.class);

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** True when the bot holds every one of {@code needed} in {@code channel}; logs the missing ones once. */
    boolean has(GuildChannel channel, Permission... needed) {
        return missing(channel, needed).isEmpty();
    }

    /** Which of {@code needed} the bot lacks in {@code channel}, in order; logs each once per channel. */
    List<Permission> missing(GuildChannel channel, Permission... needed) {
        var self = channel.getGuild().getSelfMember();
        List<Permission> missing = new ArrayList<>();
        for (Permission permission : needed) {
            if (!self.hasPermission(channel, permission)) {
                missing.add(permission);
                warnOnce(channel.getId(), channel.getName(), describe(permission));
            }
        }
        return missing;
    }

    /** Logs a FORBIDDEN failure of a call into {@code channel} once. */
    void onFailure(MessageChannel channel, PlatformException failure) {
        if (failure.kind() != PlatformException.Kind.FORBIDDEN) {
            return;
        }
        // JDA's own check names the permission: log it as a check above would, not a second time.
        String what = failure.getCause() instanceof InsufficientPermissionException missing
                ? describe(missing.getPermission())
                : failure.getMessage();
        warnOnce(channel.getId(), channel.getName(), what);
    }

    /** "Send Messages (MESSAGE_SEND)": the name in Discord's settings and the one in JDA and the docs. */
    static String describe(Permission permission) {
        return permission.getName() + " (" + permission.name() + ")";
    }

    private void warnOnce(String channelId, String channelName, String what) {
        if (warned.add(channelId + "/" + what)) {
            LOG.warn("Missing permission in Discord channel #{} ({}): {}. The bot cannot answer there until it is granted.",
                    channelName, channelId, what);
        }
    }
}
