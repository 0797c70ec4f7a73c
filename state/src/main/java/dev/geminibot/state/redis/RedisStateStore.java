package dev.geminibot.state.redis;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.ChannelRef;
import dev.geminibot.core.state.LatestAnswer;
import dev.geminibot.core.state.Lease;
import dev.geminibot.core.state.RateDecision;
import dev.geminibot.core.ops.Health;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StateUnavailableException;
import dev.geminibot.core.state.StopSignal;
import dev.geminibot.core.state.StoredConversation;
import dev.geminibot.state.LatestAnswerCodec;
import dev.geminibot.state.StateKeys;
import dev.geminibot.state.TurnCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The store in Redis (6.2+), shared by every instance that uses the same server and {@code state.keyPrefix}:
 * {@code SET NX PX} for de-duplication and leases, Lua scripts where a verb must read and write at once
 * (conversation append, lease renew/release, the sliding window), pub/sub for stop signals. Every key
 * starts with the prefix. Conversations, latest answers, where their buttons are and threads live
 * {@link StateStore#RETENTION} after their last write. Reset markers and settings stay: a reset must still hold when a
 * conversation that expired is rebuilt from the platform's history, and a channel's settings are its
 * configuration, not a cache.
 *
 * <p>Jedis rather than Lettuce: its blocking calls fit the engine's one-virtual-thread-per-answer model,
 * and it brings a connection pool but no Netty or Reactor. Short timeouts make a lost server fail fast
 * (the caller degrades) instead of holding an answer.
 */
public final class RedisStateStore implements StateStore {
    private static final Logger log = LoggerFactory.getLogger(RedisStateStore.class);

    private static final int TIMEOUT_MILLIS = 1000;

    private static final LuaScript LOAD = new LuaScript("""
            return {redis.call('GET', KEYS[2]) or '0', redis.call('LRANGE', KEYS[1], 0, -1)}
            """);
    /** KEYS: turns, version. ARGV: maxTurns (-1: replace all), retention ms, turns… */
    private static final LuaScript WRITE = new LuaScript("""
            local max = tonumber(ARGV[1])
            if max < 0 then redis.call('DEL', KEYS[1]) end
            for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
            if max == 0 then redis.call('DEL', KEYS[1]) elseif max > 0 then redis.call('LTRIM', KEYS[1], -max, -1) end
            local v = redis.call('INCR', KEYS[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            return v
            """);
    /** KEYS: the buttons' record. ARGV: the message, retention ms. Returns the message before (or false). */
    private static final LuaScript MOVE_BUTTONS = new LuaScript("""
            local before = redis.call('GET', KEYS[1])
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return before
            """);
    /** KEYS: the buttons' record. Returns the message (or false) and deletes it. */
    private static final LuaScript TAKE_BUTTONS = new LuaScript("""
            local before = redis.call('GET', KEYS[1])
            redis.call('DEL', KEYS[1])
            return before
            """);
    /** KEYS: turns, version, reset marker, latest answer. ARGV: reset time, retention ms (the marker stays). */
    private static final LuaScript RESET = new LuaScript("""
            redis.call('DEL', KEYS[1], KEYS[4])
            redis.call('SET', KEYS[3], ARGV[1])
            local v = redis.call('INCR', KEYS[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            return v
            """);
    private static final LuaScript RENEW = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """);
    private static final LuaScript RELEASE = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);
    /**
     * A sliding window as a sorted set of call times. KEYS: the window. ARGV: now ms, window ms, limit,
     * a unique member. Returns {1, 0} when counted, {0, ms until the oldest call leaves} when refused.
     */
    private static final LuaScript WINDOW = new LuaScript("""
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
              local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
              return {0, math.max(0, tonumber(oldest[2]) + window - now)}
            end
            redis.call('ZADD', KEYS[1], now, ARGV[4])
            redis.call('PEXPIRE', KEYS[1], window)
            return {1, 0}
            """);

    /** KEYS: the calls. ARGV: now ms, a unique member starting with "now:", retention ms. */
    private static final LuaScript RECORD = new LuaScript("""
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """);

    private final RedisUrl url;
    private final String prefix;
    private final Scheduler clock;
    private final JedisPooled redis;
    private final String stopChannel;
    private final List<Consumer<StopSignal>> stopListeners = new CopyOnWriteArrayList<>();
    private volatile StopSubscriber subscriber;
    private volatile boolean closed;

    public RedisStateStore(RedisUrl url, String keyPrefix, Scheduler clock) {
        this.url = url;
        this.prefix = keyPrefix;
        this.clock = clock;
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .database(url.database())
                .ssl(url.tls())
                .clientName("gemini-bot");
        if (url.password() != null) {
            config.user(url.user()).password(url.password());
        }
        this.redis = new JedisPooled(new HostAndPort(url.host(), url.port()), config.build());
        this.stopChannel = prefix + "stop";
        Thread.ofVirtual().name("redis-keep-markers").start(this::keepWhatAnOlderVersionSetToExpire);
    }

    /**
     * Takes away the expiry that versions before 2026-11-28 gave reset markers and channel settings (the
     * conversations' retention), so that they stay as they do now. Once per start, in the background: a
     * marker that expired would let a thread rebuilt from the platform bring back what its reset forgot,
     * and it is too late to fix one on its next read, which comes after the idle month. Keys that never had
     * an expiry are left as they are; a server that is down is tried again at the next start.
     */
    void keepWhatAnOlderVersionSetToExpire() {
        long kept;
        try {
            kept = call("look for reset markers and settings an older version set to expire", () -> {
                long persisted = 0;
                for (String kind : List.of("reset:", "settings:")) {
                    ScanParams match = new ScanParams().match(globEscaped(prefix + kind) + "*").count(1000);
                    String cursor = ScanParams.SCAN_POINTER_START;
                    do {
                        ScanResult<String> page = redis.scan(cursor, match);
                        for (String key : page.getResult()) {
                            persisted += redis.persist(key);
                        }
                        cursor = page.getCursor();
                    } while (!closed && !ScanParams.SCAN_POINTER_START.equals(cursor));
                }
                return persisted;
            });
        } catch (StateUnavailableException e) {
            if (!closed) {
                log.warn("{}; trying again at the next start", e.getMessage());
            }
            return;
        }
        if (kept > 0) {
            log.info("Redis at {}: {} reset markers and channel settings that an older version had set to expire"
                    + " will now stay", url.where(), kept);
        }
    }

    /** {@code text} matched literally by a Redis glob pattern (the prefix is the operator's). */
    static String globEscaped(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Where this store's server is, for logs: {@code host:port}. */
    public String where() {
        return url.where();
    }

    private String conv(String kind, ConversationKey key) {
        return prefix + kind + ":" + StateKeys.conversation(key);
    }

    @Override
    public StoredConversation loadConversation(ConversationKey key) {
        return call("read a conversation", () -> {
            List<?> reply = (List<?>) LOAD.run(redis, List.of(conv("turns", key), conv("version", key)), List.of());
            long version = Long.parseLong(reply.get(0).toString());
            List<Turn> turns = new ArrayList<>();
            for (Object json : (List<?>) reply.get(1)) {
                turns.add(TurnCodec.decode(json.toString()));
            }
            return version == 0 ? StoredConversation.NONE : new StoredConversation(turns, version);
        });
    }

    @Override
    public long conversationVersion(ConversationKey key) {
        return call("read a conversation version", () -> {
            String version = redis.get(conv("version", key));
            return version == null ? 0L : Long.parseLong(version);
        });
    }

    @Override
    public long saveConversation(ConversationKey key, List<Turn> turns) {
        return write(key, turns, -1);
    }

    @Override
    public long appendTurns(ConversationKey key, List<Turn> turns, int maxTurns) {
        return write(key, turns, Math.max(0, maxTurns));
    }

    private long write(ConversationKey key, List<Turn> turns, int maxTurns) {
        List<String> args = new ArrayList<>(turns.size() + 2);
        args.add(Integer.toString(maxTurns));
        args.add(Long.toString(RETENTION.toMillis()));
        turns.forEach(turn -> args.add(TurnCodec.encode(turn)));
        return call("write a conversation", () ->
                (Long) WRITE.run(redis, List.of(conv("turns", key), conv("version", key)), args));
    }

    @Override
    public void markReset(ConversationKey key, Instant at) {
        call("write a reset marker", () -> RESET.run(redis,
                List.of(conv("turns", key), conv("version", key), conv("reset", key), conv("latest", key)),
                List.of(at.toString(), Long.toString(RETENTION.toMillis()))));
    }

    @Override
    public Optional<Instant> resetMarker(ConversationKey key) {
        return call("read a reset marker", () -> Optional.ofNullable(redis.get(conv("reset", key))).map(Instant::parse));
    }

    @Override
    public void rememberLatestAnswer(ConversationKey key, LatestAnswer answer) {
        call("write the latest answer", () -> redis.set(conv("latest", key), LatestAnswerCodec.encode(answer),
                SetParams.setParams().px(RETENTION.toMillis())));
    }

    @Override
    public Optional<LatestAnswer> latestAnswer(ConversationKey key) {
        return call("read the latest answer",
                () -> Optional.ofNullable(redis.get(conv("latest", key))).map(LatestAnswerCodec::decode));
    }

    @Override
    public void forgetLatestAnswer(ConversationKey key) {
        call("forget the latest answer", () -> redis.del(conv("latest", key)));
    }

    /** Under {@code <prefix>buttons:<conversation>}, expiring with the latest answer. */
    @Override
    public Optional<String> moveButtons(ConversationKey key, String message) {
        return call("record the answer buttons", () -> Optional.ofNullable((String) MOVE_BUTTONS.run(redis,
                List.of(conv("buttons", key)), List.of(message, Long.toString(RETENTION.toMillis())))));
    }

    @Override
    public Optional<String> takeButtons(ConversationKey key) {
        return call("forget the answer buttons", () -> Optional.ofNullable((String) TAKE_BUTTONS.run(redis,
                List.of(conv("buttons", key)), List.of())));
    }

    private String settingsKey(ChannelRef channel) {
        return prefix + "settings:" + StateKeys.channel(channel);
    }

    @Override
    public Optional<String> setting(ChannelRef channel, String name) {
        return call("read a setting", () -> Optional.ofNullable(redis.hget(settingsKey(channel), name)));
    }

    @Override
    public void putSetting(ChannelRef channel, String name, String value) {
        call("write a setting", () -> {
            redis.hset(settingsKey(channel), name, value);
            return redis.persist(settingsKey(channel)); // settings written by an older version expired; no more
        });
    }

    @Override
    public void removeSetting(ChannelRef channel, String name) {
        call("remove a setting", () -> redis.hdel(settingsKey(channel), name));
    }

    @Override
    public Map<String, String> settings(ChannelRef channel) {
        return call("read settings", () -> Map.copyOf(redis.hgetAll(settingsKey(channel))));
    }

    @Override
    public void joinThread(ConversationKey thread) {
        call("remember a thread", () -> redis.set(conv("thread", thread), "1", SetParams.setParams().px(RETENTION.toMillis())));
    }

    @Override
    public boolean takesPartIn(ConversationKey thread) {
        return call("read a thread", () -> redis.exists(conv("thread", thread)));
    }

    @Override
    public boolean firstDelivery(String deliveryId, Duration ttl) {
        return call("record a delivery", () -> "OK".equals(
                redis.set(prefix + "delivery:" + deliveryId, "1", SetParams.setParams().nx().px(ttl.toMillis()))));
    }

    @Override
    public Optional<Lease> acquireLease(ConversationKey key, Duration ttl) {
        Lease lease = new Lease(key, UUID.randomUUID().toString());
        return call("take a lease", () -> "OK".equals(
                redis.set(conv("lease", key), lease.token(), SetParams.setParams().nx().px(ttl.toMillis())))
                ? Optional.of(lease) : Optional.empty());
    }

    @Override
    public boolean renewLease(Lease lease, Duration ttl) {
        return call("renew a lease", () -> ((Long) RENEW.run(redis, List.of(conv("lease", lease.key())),
                List.of(lease.token(), Long.toString(ttl.toMillis())))) == 1L);
    }

    @Override
    public void releaseLease(Lease lease) {
        call("release a lease", () -> RELEASE.run(redis, List.of(conv("lease", lease.key())), List.of(lease.token())));
    }

    @Override
    public RateDecision tryUserRequest(String userKey, int perMinute) {
        return tryTakeFromWindow("user:" + userKey, perMinute, Duration.ofMinutes(1));
    }

    @Override
    public RateDecision tryTakeFromWindow(String budget, int limit, Duration window) {
        long now = clock.now().toEpochMilli();
        return call("count a rate window", () -> {
            List<?> reply = (List<?>) WINDOW.run(redis, List.of(prefix + "window:" + budget),
                    List.of(Long.toString(now), Long.toString(window.toMillis()), Integer.toString(limit),
                            now + ":" + UUID.randomUUID()));
            return ((Long) reply.get(0)) == 1L ? RateDecision.ALLOWED
                    : RateDecision.refused(Duration.ofMillis((Long) reply.get(1)));
        });
    }

    @Override
    public List<Instant> callsInWindow(String budget, Duration window, Instant now) {
        long to = now.toEpochMilli();
        // Exclusive start, as (now - window, now]: "(" before the score.
        return call("read a rate window", () -> redis.zrangeByScore(prefix + "calls:" + budget,
                "(" + (to - window.toMillis()), Long.toString(to)).stream()
                .map(member -> Instant.ofEpochMilli(Long.parseLong(member.substring(0, member.indexOf(':')))))
                .toList());
    }

    @Override
    public void recordCall(String budget, Instant now, Duration retention) {
        long at = now.toEpochMilli();
        String key = prefix + "calls:" + budget;
        call("record a call", () -> RECORD.run(redis, List.of(key),
                List.of(Long.toString(at), at + ":" + UUID.randomUUID(), Long.toString(retention.toMillis()))));
    }

    @Override
    public void publishStop(StopSignal signal) {
        // "<one|threads> <user or -> <conversation>": ids hold no spaces.
        String message = (signal.withThreads() ? "threads " : "one ")
                + (signal.byUser().isEmpty() ? "-" : signal.byUser()) + " " + StateKeys.conversation(signal.key());
        call("publish a stop", () -> redis.publish(stopChannel, message));
    }

    @Override
    public AutoCloseable subscribeStops(Consumer<StopSignal> listener) {
        stopListeners.add(listener);
        synchronized (this) {
            if (subscriber == null && !closed) {
                subscriber = new StopSubscriber();
                Thread.ofPlatform().daemon().name("redis-stop-signals").start(subscriber::run);
            }
        }
        return () -> stopListeners.remove(listener);
    }

    /** Whether the stop-signal subscription is active (it starts asynchronously and reconnects by itself). */
    public boolean stopsSubscribed() {
        StopSubscriber current = subscriber;
        return current != null && current.isSubscribed();
    }

    private void deliver(String message) {
        String[] parts = message.split(" ", 3);
        StopSignal signal;
        try {
            signal = new StopSignal(StateKeys.parseConversation(parts[2]), parts[0].equals("threads"),
                    parts[1].equals("-") ? "" : parts[1]);
        } catch (RuntimeException e) {
            log.warn("state: redis {}: ignored a malformed stop signal", url.where());
            return;
        }
        for (Consumer<StopSignal> listener : stopListeners) {
            try {
                listener.accept(signal);
            } catch (RuntimeException e) {
                log.warn("a stop listener failed: {}", e.toString());
            }
        }
    }

    /** Listens on the stop channel on its own connection, resubscribing after a lost connection. */
    private final class StopSubscriber {
        private volatile JedisPubSub current;

        void run() {
            long backoff = 100;
            while (!closed) {
                JedisPubSub pubSub = new JedisPubSub() {
                    @Override
                    public void onMessage(String channel, String message) {
                        deliver(message);
                    }
                };
                current = pubSub;
                try {
                    redis.subscribe(pubSub, stopChannel);
                    backoff = 100;
                } catch (JedisException e) {
                    if (closed) {
                        return;
                    }
                    // The outage itself is logged once by the caller that first met it; this only retries.
                    log.debug("state: redis {}: stop-signal subscription lost: {}", url.where(), e.toString());
                    sleep(backoff);
                    backoff = Math.min(2000, backoff * 2);
                }
            }
        }

        boolean isSubscribed() {
            JedisPubSub pubSub = current;
            return pubSub != null && pubSub.isSubscribed();
        }

        void unsubscribe() {
            JedisPubSub pubSub = current;
            if (pubSub != null && pubSub.isSubscribed()) {
                pubSub.unsubscribe();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Health health() {
        try {
            redis.ping();
            return Health.up("redis " + url.where());
        } catch (JedisException e) {
            return Health.down("redis " + url.where() + ": " + reason(e));
        }
    }

    @Override
    public String backend() {
        return "redis";
    }

    @Override
    public boolean sharedWithOtherInstances() {
        return true;
    }

    @Override
    public void close() {
        closed = true;
        StopSubscriber current = subscriber;
        if (current != null) {
            try {
                current.unsubscribe();
            } catch (RuntimeException ignored) {
                // The connection is going away anyway.
            }
        }
        stopListeners.clear();
        redis.close();
    }

    private <T> T call(String what, Supplier<T> verb) {
        try {
            return verb.get();
        } catch (JedisException e) {
            throw new StateUnavailableException("state: redis " + url.where() + ": could not " + what + ": " + reason(e), e);
        }
    }

    /** The failure in a few words; Jedis's messages name hosts and errors, never the password. */
    private static String reason(JedisException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
