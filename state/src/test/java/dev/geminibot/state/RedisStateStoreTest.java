package dev.geminibot.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.LatestAnswer;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StateStoreContract;
import dev.geminibot.state.redis.RedisStateStore;
import dev.geminibot.state.redis.RedisUrl;
import dev.geminibot.state.testing.LocalRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * The contract on a real redis-server with a password (as {@code redis://:PASSWORD@host:port}); the
 * "second instance" is a second client. Expiry here is Redis's own, so {@link #advance} really waits
 * (a few hundred milliseconds in all).
 */
class RedisStateStoreTest extends StateStoreContract {
    private static final String PASSWORD = "s3cret-pa:ss";
    private static LocalRedis server;
    private final List<RedisStateStore> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        server = LocalRedis.start(PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    private RedisStateStore open() {
        RedisStateStore store = new RedisStateStore(RedisUrl.parse(server.url().replace(PASSWORD, "s3cret-pa%3Ass")),
                "test:", Scheduler.system());
        opened.add(store);
        return store;
    }

    @Override
    protected StateStore newStore() {
        return open();
    }

    @Override
    protected StateStore secondInstance() {
        return open();
    }

    @Override
    protected void advance(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void awaitSubscribed() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && !opened.stream().allMatch(RedisStateStore::stopsSubscribed)) {
            Thread.onSpinWait();
        }
    }

    @Test
    void everyKeyStartsWithThePrefixAndNothingShowsThePassword() {
        store.appendTurns(new dev.geminibot.core.conversation.ConversationKey("slack", "T", "C", ""),
                List.of(dev.geminibot.core.conversation.Turn.user("U", "Ann", "hi", java.time.Instant.EPOCH)), 4);
        store.firstDelivery("Ev1", Duration.ofHours(1));
        store.tryTakeFromWindow("edits:T", 5, Duration.ofMinutes(1));
        ConversationKey conversation = new ConversationKey("slack", "T", "C", "");
        Turn question = Turn.user("U", "Ann", "hi", java.time.Instant.EPOCH);
        store.rememberLatestAnswer(conversation, new LatestAnswer("a-1", "MENTION", "", question,
                Turn.model("hello", java.time.Instant.EPOCH), false));
        try (JedisPooled raw = new JedisPooled(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().password(PASSWORD).build())) {
            assertThat(raw.keys("*")).isNotEmpty().allMatch(key -> key.startsWith("test:"));
            // The latest answer expires with the conversation it belongs to.
            assertThat(raw.exists("test:latest:slack:T:C")).isTrue();
            assertThat(raw.pttl("test:latest:slack:T:C")).isPositive()
                    .isLessThanOrEqualTo(StateStore.RETENTION.toMillis());
            assertThat(raw.pttl("test:latest:slack:T:C") - raw.pttl("test:turns:slack:T:C")).isBetween(0L, 5_000L);
            // Where the buttons are expires like the latest answer.
            store.moveButtons(conversation, "C|1.2|b|hello");
            assertThat(raw.get("test:buttons:slack:T:C")).isEqualTo("C|1.2|b|hello");
            assertThat(raw.pttl("test:buttons:slack:T:C")).isPositive()
                    .isLessThanOrEqualTo(StateStore.RETENTION.toMillis());
        }
        assertThat(store.health().detail()).doesNotContain(PASSWORD).contains("127.0.0.1:" + server.port());
        assertThat(RedisUrl.parse(server.url()).toString()).doesNotContain(PASSWORD);
    }

    @Test
    void resetMarkersAndSettingsDoNotExpireWhileConversationsDo() {
        ConversationKey conversation = new ConversationKey("slack", "T", "C9", "");
        store.appendTurns(conversation, List.of(Turn.user("U", "Ann", "hi", java.time.Instant.EPOCH)), 4);
        store.markReset(conversation, java.time.Instant.parse("2026-11-28T10:00:00Z"));
        store.appendTurns(conversation, List.of(Turn.user("U", "Ann", "again", java.time.Instant.EPOCH)), 4);
        dev.geminibot.core.state.ChannelRef channel = dev.geminibot.core.state.ChannelRef.of(conversation);
        try (JedisPooled raw = new JedisPooled(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().password(PASSWORD).build())) {
            // A setting written by an older version carried the retention; writing any setting clears it.
            store.putSetting(channel, "model", "gemini-2.5-pro");
            String settings = raw.keys("test:settings:*").stream().filter(k -> k.endsWith("C9")).findFirst().orElseThrow();
            raw.pexpire(settings, StateStore.RETENTION.toMillis());
            store.putSetting(channel, "search", "on");

            assertThat(raw.pttl("test:turns:slack:T:C9")).as("the conversation").isPositive()
                    .isLessThanOrEqualTo(StateStore.RETENTION.toMillis());
            assertThat(raw.pttl("test:reset:slack:T:C9")).as("the reset marker: no expiry").isEqualTo(-1);
            assertThat(raw.pttl(settings)).as("the settings: no expiry").isEqualTo(-1);
        }
        assertThat(store.resetMarker(conversation)).contains(java.time.Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(store.settings(channel)).containsEntry("model", "gemini-2.5-pro").containsEntry("search", "on");
    }

    @Test
    void aStartKeepsMarkersAndSettingsThatAnOlderVersionSetToExpire() throws InterruptedException {
        long month = RedisStateStore.RETENTION.toMillis();
        ConversationKey conversation = new ConversationKey("slack", "T", "OLD", "");
        dev.geminibot.core.state.ChannelRef channel = dev.geminibot.core.state.ChannelRef.of(conversation);
        open().putSetting(channel, "model", "gemini-2.5-pro");
        try (JedisPooled raw = new JedisPooled(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().password(PASSWORD).build())) {
            // As the version before 2026-11-28 left them: everything with the conversations' retention.
            String settings = raw.keys("test:settings:*").stream().filter(k -> k.endsWith("OLD")).findFirst().orElseThrow();
            raw.pexpire(settings, month);
            raw.set("test:reset:slack:T:OLD", "2026-11-01T10:00:00Z", SetParams.setParams().px(month));
            raw.rpush("test:turns:slack:T:OLD", "a turn");
            raw.pexpire("test:turns:slack:T:OLD", month);
            // An operator's prefix with glob characters matches itself only.
            raw.set("t*[x]:reset:slack:T:OLD", "2026-11-01T10:00:00Z", SetParams.setParams().px(month));
            raw.set("tQQx:reset:slack:T:OLD", "2026-11-01T10:00:00Z", SetParams.setParams().px(month));

            open(); // a start
            RedisStateStore globbed = new RedisStateStore(RedisUrl.parse(server.url().replace(PASSWORD, "s3cret-pa%3Ass")),
                    "t*[x]:", Scheduler.system());
            opened.add(globbed);

            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while ((raw.pttl("test:reset:slack:T:OLD") != -1 || raw.pttl(settings) != -1
                    || raw.pttl("t*[x]:reset:slack:T:OLD") != -1) && System.nanoTime() - end < 0) {
                Thread.sleep(20);
            }
            assertThat(raw.pttl("test:reset:slack:T:OLD")).as("the reset marker: no expiry").isEqualTo(-1);
            assertThat(raw.pttl(settings)).as("the settings: no expiry").isEqualTo(-1);
            assertThat(raw.pttl("t*[x]:reset:slack:T:OLD")).as("a marker under a prefix with glob characters").isEqualTo(-1);
            assertThat(raw.pttl("tQQx:reset:slack:T:OLD")).as("another prefix's key").isPositive();
            assertThat(raw.pttl("test:turns:slack:T:OLD")).as("the conversation still expires").isPositive();
            raw.del("t*[x]:reset:slack:T:OLD", "tQQx:reset:slack:T:OLD");
        }
        assertThat(open().resetMarker(conversation)).contains(java.time.Instant.parse("2026-11-01T10:00:00Z"));
    }
}
