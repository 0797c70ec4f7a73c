package dev.geminibot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.DiscordConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.ShardRange;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.ChannelRef;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.testing.ScriptedModel;
import dev.geminibot.state.redis.RedisStateStore;
import dev.geminibot.state.redis.RedisUrl;
import dev.geminibot.state.testing.LocalRedis;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.utils.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Discord shards split across two "processes" (two JDA shard managers, engines and Redis clients in one
 * JVM): {@code discord.shards: 2} with {@code discord.shardRange} 0-0 and 1-1 against the fake gateway,
 * sharing one real redis-server.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DiscordShardsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "MTAwMDAw.Gx7fQk.shards-T0KEN-n3ver-1n-l0gs";

    private final List<AutoCloseable> opened = new ArrayList<>();
    private FakeDiscord discord;
    private LocalRedis redis;

    private record Process(ChatEngine engine, DiscordBot bot, StateStore store, ScriptedModel model) {
    }

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        redis = LocalRedis.start("shards-pw");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        discord.close();
        redis.close();
    }

    private Process process(ShardRange range) throws Exception {
        var config = new DiscordConfig(Optional.of(Secret.of(TOKEN)), URI.create(discord.restBaseUrl()),
                Optional.of(URI.create(discord.gatewayUrl())), List.of(), false, List.of(), List.of(), List.of(),
                List.of(), 2, Optional.of(range));
        StateStore store = new RedisStateStore(RedisUrl.parse(redis.url()), "gemini-bot:", Scheduler.system());
        ScriptedModel model = new ScriptedModel();
        ChatEngine engine = new ChatEngine(model, BotConfig.defaults(), Scheduler.system(), store);
        DiscordBot bot = DiscordBot.start(config, engine, Clock.systemUTC(),
                builder -> builder.setCompression(Compression.NONE));
        opened.add(store);
        opened.add(bot);
        opened.add(engine);
        bot.awaitReady(WAIT);
        return new Process(engine, bot, store, model);
    }

    @Test
    void eachProcessServesTheGuildsOfItsShardAndConversationsAndSettingsAreShared() throws Exception {
        assertThat(FakeDiscord.shardOf(FakeDiscord.GUILD2_ID, 2)).isZero();
        assertThat(FakeDiscord.shardOf(FakeDiscord.GUILD_ID, 2)).isEqualTo(1);
        Process zero = process(new ShardRange(0, 0));
        Process one = process(new ShardRange(1, 1));
        zero.model().answer("Hello from shard 0.");
        one.model().answer("Hello from shard 1: noted 42.");

        discord.userMessage(FakeDiscord.CHANNEL_ID, FakeDiscord.GUILD_ID, FakeDiscord.ALICE,
                "<@" + FakeDiscord.BOT_ID + "> remember 42", null);
        discord.userMessage(FakeDiscord.CHANNEL2_ID, FakeDiscord.GUILD2_ID, FakeDiscord.ALICE,
                "<@" + FakeDiscord.BOT_ID + "> hi", null);
        FakeDiscord.await(WAIT, "both answers", () -> discord.botMessageIds(FakeDiscord.CHANNEL_ID).size() == 1
                && discord.botMessageIds(FakeDiscord.CHANNEL2_ID).size() == 1
                && "Hello from shard 1: noted 42.".equals(discord.content(discord.botMessageIds(FakeDiscord.CHANNEL_ID).getFirst()))
                && "Hello from shard 0.".equals(discord.content(discord.botMessageIds(FakeDiscord.CHANNEL2_ID).getFirst())));
        // Each guild was answered by the process that runs its shard, and only by it.
        assertThat(one.model().requests()).hasSize(1);
        assertThat(zero.model().requests()).hasSize(1);

        ConversationKey guildOne = ConversationKey.channel("discord", FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
        FakeDiscord.await(WAIT, "the exchange stored", () -> zero.store().loadConversation(guildOne).turns().size() == 2);
        // Shard 0's process sees the conversation shard 1's process stored, and settings either writes.
        assertThat(zero.engine().knows(guildOne)).isTrue();
        zero.store().putSetting(ChannelRef.of(guildOne), "model", "gemini-2.5-pro");
        assertThat(one.store().setting(ChannelRef.of(guildOne), "model")).contains("gemini-2.5-pro");

        // Shard 1's process restarts (a rolling deploy): the channel conversation comes back from Redis,
        // not from Discord (a channel is never read back from the platform).
        opened.remove(one.engine());
        opened.remove(one.bot());
        opened.remove(one.store());
        one.engine().close();
        one.bot().close();
        one.store().close();
        Process oneAgain = process(new ShardRange(1, 1));
        oneAgain.model().answer("You said 42.");
        discord.userMessage(FakeDiscord.CHANNEL_ID, FakeDiscord.GUILD_ID, FakeDiscord.ALICE,
                "<@" + FakeDiscord.BOT_ID + "> what did I say?", null);
        FakeDiscord.await(WAIT, "the answer after the restart", () -> !oneAgain.model().requests().isEmpty());
        assertThat(oneAgain.model().requests().getFirst().messages()).extracting(ChatMessage::text)
                .containsExactly("[alice] remember 42", "Hello from shard 1: noted 42.", "[alice] what did I say?");
        assertThat(zero.model().requests()).hasSize(1);
    }
}
