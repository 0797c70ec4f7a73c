package dev.geminibot.discord;

import dev.geminibot.config.DiscordConfig;
import java.util.List;
import java.util.Set;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;

/**
 * Who the bot serves where ({@code discord.allowedGuilds/Channels/Roles/Users}); an empty list allows
 * everyone. A thread inherits its parent channel's entry. A DM has no guild, channel or roles, so any
 * guild, channel or role allowlist closes DMs; the user allowlist applies to them as everywhere.
 */
final class Allowlist {

    private final Set<String> guilds;
    private final Set<String> channels;
    private final Set<String> roles;
    private final Set<String> users;

    Allowlist(DiscordConfig config) {
        this(config.allowedGuilds(), config.allowedChannels(), config.allowedRoles(), config.allowedUsers());
    }

    Allowlist(List<String> guilds, List<String> channels, List<String> roles, List<String> users) {
        this.guilds = Set.copyOf(guilds);
        this.channels = Set.copyOf(channels);
        this.roles = Set.copyOf(roles);
        this.users = Set.copyOf(users);
    }

    /** Whether {@code user} (as {@code member}, null in DMs) may talk to the bot in {@code channel}. */
    boolean allows(User user, Member member, MessageChannel channel) {
        if (!users.isEmpty() && !users.contains(user.getId())) {
            return false;
        }
        if (!(channel instanceof GuildChannel guildChannel)) {
            return guilds.isEmpty() && channels.isEmpty() && roles.isEmpty();
        }
        if (!guilds.isEmpty() && !guilds.contains(guildChannel.getGuild().getId())) {
            return false;
        }
        if (!channels.isEmpty()) {
            String parent = channel instanceof ThreadChannel thread ? thread.getParentChannel().getId() : "";
            if (!channels.contains(channel.getId()) && !channels.contains(parent)) {
                return false;
            }
        }
        if (!roles.isEmpty()) {
            return member != null && member.getRoles().stream().map(Role::getId).anyMatch(roles::contains);
        }
        return true;
    }
}
