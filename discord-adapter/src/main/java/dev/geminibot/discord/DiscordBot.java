package dev.geminibot.discord;

import dev.geminibot.config.DiscordConfig;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.ops.Health;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.reply.TokenBucketPacer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;

/**
 * The Discord side of the bot: JDA shards that route mentions, replies, thread follow-ups, DMs, slash
 * commands and Stop buttons to the chat engine, and answer through message edits. Start one with
 * {@link #start(DiscordConfig, ChatEngine)}; {@link #close()} disconnects every shard.
 */
public final class DiscordBot implements AutoCloseable {

    /**
     * What the bot needs from the gateway. MESSAGE_CONTENT is privileged (enable it in the Developer
     * Portal): without it Discord blanks the text of messages that do not mention the bot, so mentions,
     * slash commands and DMs work but thread follow-ups and replies without a ping arrive empty.
     */
    static final EnumSet<GatewayIntent> INTENTS = EnumSet.of(
            GatewayIntent.GUILD_MESSAGES, GatewayIntent.DIRECT_MESSAGES, GatewayIntent.MESSAGE_CONTENT);

    /**
     * JDA logs every gateway frame it sends at TRACE on this logger, IDENTIFY and RESUME included, and
     * those carry the bot token in clear (seen in JDA 6.1).
     */
    static final String GATEWAY_FRAME_LOGGER = "net.dv8tion.jda.internal.requests.WebSocketClient";

    private final ShardManager shards;

    private DiscordBot(ShardManager shards) {
        this.shards = shards;
    }

    /**
     * Connects to Discord with {@code config} and answers through {@code engine}, after registering the
     * Discord history loader (a thread forgotten after a restart is rebuilt from Discord) and the pacer that
     * shares each channel's edit bucket among the answers streaming there. Returns once the first shard has
     * logged in (the token was accepted); shards finish connecting in the background (see
     * {@link #awaitReady}). {@link #close()} disconnects; the engine stays the caller's to shut down.
     *
     * @throws IllegalArgumentException for a missing token or a malformed {@code discord.shardRange}
     * @throws IllegalStateException    when {@code net.dv8tion.jda.internal.requests.WebSocketClient} logs at TRACE, which would
     *                                  print the token
     */
    public static DiscordBot start(DiscordConfig config, ChatEngine engine) {
        return start(config, engine, Clock.systemUTC(), builder -> { });
    }

    /**
     * As {@link #start(DiscordConfig, ChatEngine)}, with the clock that decides when an interaction token
     * is about to expire, and a hook that adjusts the JDA builder after the configuration was applied
     * (tests turn off gateway compression for their fake).
     */
    static DiscordBot start(DiscordConfig config, ChatEngine engine, Clock clock,
                            Consumer<DefaultShardManagerBuilder> tuning) {
        if (LoggerFactory.getLogger(GATEWAY_FRAME_LOGGER).isTraceEnabled()) {
            // Refuse rather than warn: once the token is in a log it has to be revoked.
            throw new IllegalStateException("The logger " + GATEWAY_FRAME_LOGGER + " is at TRACE, where JDA"
                    + " prints the gateway login frame with DISCORD_BOT_TOKEN in it; set that logger to DEBUG or"
                    + " higher (an explicit level, so that a TRACE root level does not reach it)");
        }
        String token = config.token()
                .orElseThrow(() -> new IllegalArgumentException("DISCORD_BOT_TOKEN is not set"))
                .reveal();
        var permissions = new PermissionWarnings();
        var allowlist = new Allowlist(config);
        var holder = new ShardHolder();
        var history = new ThreadHistory(holder::channel);
        engine.registerPlatform(Conversations.PLATFORM, history, TokenBucketPacer.discord(Scheduler.system()));

        var builder = DefaultShardManagerBuilder.createLight(token, INTENTS)
                .setRestConfig(new RestConfig().setBaseUrl(config.restBaseUrl().toString()))
                .setShardsTotal(config.shards() > 0 ? config.shards() : -1)
                .setEnableShutdownHook(false)
                .setHttpClientBuilder(new OkHttpClient.Builder()
                        .addInterceptor(new RequestMeter(engine.meterRegistry(), config.restBaseUrl().getPath())))
                .addEventListeners(
                        new MessageRouter(engine, allowlist, permissions, new AskerNotices(), history,
                                config.replyInThread()),
                        new SlashCommands(engine, allowlist, permissions, config.guildIds(), clock),
                        new InviteLog(config.replyInThread()));
        config.gatewayUrl().ifPresent(url -> builder.setSessionController(new GatewayOverride(url.toString())));
        config.shardRange().ifPresent(range -> applyShardRange(builder, range, config.shards()));
        tuning.accept(builder);
        ShardManager shards = builder.build();
        holder.shards = shards;
        return new DiscordBot(shards);
    }

    /**
     * Waits until every shard of this process is connected and has received its guilds.
     *
     * @throws TimeoutException when that takes longer than {@code timeout}
     */
    public void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (shards.getShardsQueued() > 0
                || !shards.getShards().stream().allMatch(jda -> jda.getStatus() == JDA.Status.CONNECTED)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Discord shards not ready after " + timeout);
            }
            Thread.sleep(20);
        }
        for (JDA jda : shards.getShards()) {
            jda.awaitReady();
        }
    }

    /**
     * Ready when every shard this process runs is connected to the gateway and none is waiting to start;
     * the detail names the shards that are not, with JDA's status (e.g. {@code shard 0: CONNECTING_TO_WEBSOCKET}).
     */
    public Health health() {
        int queued = shards.getShardsQueued();
        List<String> notReady = shards.getShards().stream()
                .filter(jda -> jda.getStatus() != JDA.Status.CONNECTED)
                .map(jda -> "shard " + jda.getShardInfo().getShardId() + ": " + jda.getStatus())
                .sorted()
                .toList();
        if (queued > 0 || !notReady.isEmpty()) {
            String waiting = queued > 0 ? queued + " shard(s) waiting to connect" : "";
            return Health.down(String.join("; ", notReady) + (waiting.isEmpty() || notReady.isEmpty() ? "" : "; ")
                    + waiting);
        }
        return Health.up(shards.getShards().size() + " shard(s) connected");
    }

    /** Disconnects every shard at once; answers still streaming get their remaining edits refused. */
    @Override
    public void close() {
        List<JDA> running = shards.getShards();
        shards.shutdown();
        for (JDA jda : running) {
            try {
                if (!jda.awaitShutdown(Duration.ofSeconds(5))) {
                    jda.shutdownNow();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void applyShardRange(DefaultShardManagerBuilder builder, String range, int shards) {
        String[] ends = range.strip().split("-", 2);
        try {
            int min = Integer.parseInt(ends[0].strip());
            int max = ends.length == 2 ? Integer.parseInt(ends[1].strip()) : min;
            if (shards <= 0 || min < 0 || max < min || max >= shards) {
                throw new IllegalArgumentException("discord.shardRange '" + range
                        + "' must be MIN-MAX within 0.." + (shards - 1) + " and needs discord.shards");
            }
            builder.setShardsTotal(shards).setShards(min, max);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("discord.shardRange '" + range + "' must look like 0-3", notANumber);
        }
    }

    /** Lets the history loader find channels before the shard manager exists. */
    private static final class ShardHolder {
        volatile ShardManager shards;

        MessageChannel channel(long id) {
            ShardManager current = shards;
            if (current == null) {
                return null;
            }
            for (JDA jda : current.getShards()) {
                MessageChannel channel = jda.getChannelById(MessageChannel.class, id);
                if (channel == null) {
                    channel = jda.getPrivateChannelById(id);
                }
                if (channel != null) {
                    return channel;
                }
            }
            return null;
        }
    }
}
