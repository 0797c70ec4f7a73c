package dev.geminibot.discord;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a user in a DM why the bot does not answer them in a channel where it lacks a permission, so a
 * mention is not met with silence. At most once an hour per user and channel: someone who keeps asking
 * there is not sent a DM per message. A user who does not accept DMs is left alone (logged at DEBUG).
 * Thread-safe; never blocks (the DM is queued on JDA's requester).
 */
final class AskerNotices {

    private static final Logger LOG = LoggerFactory.getLogger(AskerNotices.class);
    static final Duration QUIET_PERIOD = Duration.ofHours(1);

    private final Map<String, Boolean> told = Caffeine.newBuilder()
            .expireAfterWrite(QUIET_PERIOD)
            .maximumSize(10_000)
            .<String, Boolean>build()
            .asMap();

    /** DMs {@code user} that the bot cannot answer in {@code channel} for want of {@code missing}. */
    void cannotAnswer(User user, GuildChannel channel, List<Permission> missing) {
        if (missing.isEmpty() || told.putIfAbsent(user.getId() + "/" + channel.getId(), Boolean.TRUE) != null) {
            return;
        }
        String text = text(channel.getId(), missing);
        user.openPrivateChannel()
                .flatMap(dm -> dm.sendMessage(DiscordMessages.plain(text)))
                .queue(sent -> { }, failure -> LOG.debug("Could not tell user {} why they get no answer in {}: {}",
                        user.getId(), channel.getId(), PlatformErrors.map(failure).getMessage()));
    }

    static String text(String channelId, List<Permission> missing) {
        String names = missing.stream().map(Permission::getName).collect(Collectors.joining(", "));
        return "I can't answer you in <#" + channelId + ">: I am missing the permission" + (missing.size() > 1 ? "s " : " ")
                + names + " there. A server admin can grant " + (missing.size() > 1 ? "them" : "it") + " to me.";
    }
}
