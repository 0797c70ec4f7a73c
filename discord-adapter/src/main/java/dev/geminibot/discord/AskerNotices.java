package dev.geminibot.discord;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.Permission;
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

    /** The bot's own check found {@code missing} lacking in {@code channel}: tells {@code userId} which. */
    void missingPermissions(String userId, GuildChannel channel, List<Permission> missing) {
        String names = missing.stream().map(Permission::getName).collect(Collectors.joining(", "));
        String plural = missing.size() > 1 ? "s" : "";
        tell(userId, channel, "I am missing the permission" + plural + " " + names + " there. A server admin can grant "
                + (missing.size() > 1 ? "them" : "it") + " to me.");
    }

    /** Discord refused the answer in {@code channel} (JDA's cache thought it allowed): tells {@code userId}. */
    void refused(String userId, GuildChannel channel) {
        tell(userId, channel, "Discord refused my message there. A server admin can check my permissions in that channel.");
    }

    private void tell(String userId, GuildChannel channel, String why) {
        if (told.putIfAbsent(userId + "/" + channel.getId(), Boolean.TRUE) != null) {
            return;
        }
        String text = "I can't answer you in <#" + channel.getId() + ">: " + why;
        channel.getJDA().openPrivateChannelById(userId)
                .flatMap(dm -> dm.sendMessage(DiscordMessages.plain(text)))
                .queue(sent -> { }, failure -> LOG.debug("Could not tell user {} why they get no answer in {}: {}",
                        userId, channel.getId(), PlatformErrors.map(failure).getMessage()));
    }
}
