package dev.geminibot.discord;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;

/**
 * Points the gateway at {@code discord.gatewayUrl} (a proxy, or a local fake in tests) instead of the
 * URL Discord names in {@code GET gateway/bot}. The shard count and identify concurrency still come from
 * {@code gateway/bot} through the REST base URL.
 */
final class GatewayOverride extends ConcurrentSessionController {

    private final String gatewayUrl;

    GatewayOverride(String gatewayUrl) {
        this.gatewayUrl = gatewayUrl;
    }

    @Override
    public String getGateway() {
        return gatewayUrl;
    }

    @Override
    public ShardedGateway getShardedGateway(JDA api) {
        ShardedGateway discord = super.getShardedGateway(api);
        return new ShardedGateway(gatewayUrl, discord.getShardTotal(), discord.getConcurrency());
    }
}
