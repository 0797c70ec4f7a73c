package dev.geminibot.discord;

import dev.geminibot.config.DiscordConfig;
import dev.geminibot.core.controls.Feedback;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.config.ShardRange;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.state.ChannelRef;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
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
import net.dv8tion.jda.api.utils.cache.CacheFlag;
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
        return start(config, engine, engine.feedback());
    }

    /** As {@link #start(DiscordConfig, ChatEngine)}, counting 👍/👎 votes in {@code feedback} instead of the engine's. */
    public static DiscordBot start(DiscordConfig config, ChatEngine engine, Feedback feedback) {
        return start(config, engine, feedback, Clock.systemUTC(), builder -> { });
    }

    /**
     * As {@link #start(DiscordConfig, ChatEngine)}, with the clock that decides when an interaction token
     * is about to expire, and a hook that adjusts the JDA builder after the configuration was applied
     * (tests turn off gateway compression for their fake).
     */
    static DiscordBot start(DiscordConfig config, ChatEngine engine, Clock clock,
                            Consumer<DefaultShardManagerBuilder> tuning) {
        return start(config, engine, engine.feedback(), clock, tuning);
    }

    static DiscordBot start(DiscordConfig config, ChatEngine engine, Feedback feedback, Clock clock,
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
        // A thread's key names only the thread; its settings are its parent channel's.
        engine.registerChannelScope(Conversations.PLATFORM, key -> holder.settingsChannel(key));
        var notices = new AskerNotices();
        var buttons = new AnswerButtons(engine, feedback, permissions, notices, holder::channel);

        var builder = DefaultShardManagerBuilder.createLight(token, INTENTS)
                // Member-specific channel overwrites: the Manage Channels check of /model, /system, /search
                // reads them (the light cache leaves them out).
                .enableCache(CacheFlag.MEMBER_OVERRIDES)
                .setRestConfig(new RestConfig().setBaseUrl(config.restBaseUrl().toString()))
                .setShardsTotal(config.shards() > 0 ? config.shards() : -1)
                .setEnableShutdownHook(false)
                .setHttpClientBuilder(new OkHttpClient.Builder()
                        .addInterceptor(new RequestMeter(engine.meterRegistry(), config.restBaseUrl().getPath())))
                .addEventListeners(
                        new MessageRouter(engine, allowlist, permissions, notices, history,
                                config.replyInThread(), buttons),
                        new SlashCommands(engine, allowlist, permissions, config.guildIds(), clock, buttons),
                        buttons,
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

    /** The configuration parsed and checked the range; this guards configs built in code. */
    static void applyShardRange(DefaultShardManagerBuilder builder, ShardRange range, int shards) {
        if (shards <= 0 || !range.fitsIn(shards)) {
            throw new IllegalArgumentException("discord.shardRange '" + range
                    + "' must be MIN-MAX within 0.." + (shards - 1) + " and needs discord.shards");
        }
        builder.setShardsTotal(shards).setShards(range.first(), range.last());
    }

    /** Lets the history loader find channels before the shard manager exists. */
    private static final class ShardHolder {
        volatile ShardManager shards;

        /** The channel whose settings apply in a conversation: a thread's parent, when this process knows it. */
        ChannelRef settingsChannel(ConversationKey key) {
            ShardManager current = shards;
            if (current != null && key.inThread()) {
                try {
                    ThreadChannel thread = current.getThreadChannelById(key.channel());
                    if (thread != null) {
                        return Conversations.settingsChannel(thread);
                    }
                } catch (NumberFormatException notASnowflake) {
                    // Not a Discord id: fall through to the key's own channel.
                }
            }
            return ChannelRef.of(key);
        }

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
