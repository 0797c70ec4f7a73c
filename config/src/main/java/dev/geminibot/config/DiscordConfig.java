package dev.geminibot.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The Discord adapter. On when {@code DISCORD_BOT_TOKEN} is set.
 *
 * @param token           {@code DISCORD_BOT_TOKEN}
 * @param restBaseUrl     REST base as JDA's {@code RestConfig.setBaseUrl} takes it
 * @param gatewayUrl      gateway WebSocket URL; empty means ask Discord ({@code GET gateway/bot})
 * @param guildIds        register slash commands in these guilds (instant) instead of globally
 * @param replyInThread   answer a mention in a new thread instead of as a reply
 * @param allowedGuilds   when non-empty, only these guilds are served
 * @param allowedChannels when non-empty, only these channels (and their threads) are served
 * @param allowedRoles    when non-empty, only members with one of these roles are served
 * @param allowedUsers    when non-empty, only these users are served
 * @param shards     total shards of the bot; 0 lets Discord recommend
 * @param shardRange      shards this process runs, e.g. {@code 0-3}; empty runs all
 */
public record DiscordConfig(
        Optional<Secret> token,
        URI restBaseUrl,
        Optional<URI> gatewayUrl,
        List<String> guildIds,
        boolean replyInThread,
        List<String> allowedGuilds,
        List<String> allowedChannels,
        List<String> allowedRoles,
        List<String> allowedUsers,
        int shards,
        Optional<ShardRange> shardRange) {

    public static final URI DEFAULT_REST_BASE_URL = URI.create("https://discord.com/api/v10/");

    public static DiscordConfig defaults() {
        return new DiscordConfig(Optional.empty(), DEFAULT_REST_BASE_URL, Optional.empty(), List.of(),
                false, List.of(), List.of(), List.of(), List.of(), 0, Optional.empty());
    }

    public boolean enabled() {
        return token.isPresent();
    }
}
