package dev.geminibot.state;

import dev.geminibot.config.ContextConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.StateBackend;
import dev.geminibot.config.StateConfig;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.MemoryStateStore;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.state.redis.RedisStateStore;
import dev.geminibot.state.redis.RedisUrl;
import dev.geminibot.state.sqlite.SqliteStateStore;
import java.nio.file.Path;

/** Opens the backend that {@code state.backend} names. */
public final class StateStores {
    private StateStores() {
    }

    /**
     * Opens what {@code config} names, or {@code commandDefault} when {@code state.backend} is not set, and
     * logs which one (never the password).
     *
     * @throws StateOpenException naming the key or variable and what is wrong
     */
    public static StateStore open(StateConfig config, StateBackend commandDefault, Scheduler clock) {
        return open(config, ContextConfig.defaults(), commandDefault, clock);
    }

    /** As above; a memory store holds conversations within {@code context}'s cache budget and idle expiry. */
    public static StateStore open(StateConfig config, ContextConfig context, StateBackend commandDefault,
                                  Scheduler clock) {
        StateBackend backend = config.backendOr(commandDefault);
        StateStore store = backend == StateBackend.MEMORY ? new MemoryStateStore(clock, context)
                : open(backend.name().toLowerCase(java.util.Locale.ROOT), config.path(),
                        config.redisUrl().map(Secret::reveal).orElse(null), config.keyPrefix(), clock);
        var health = store.health();
        if (health.isUp()) {
            org.slf4j.LoggerFactory.getLogger(StateStores.class).info("state: {}", health.detail());
        }
        // Unreachable: the engine's ResilientStateStore logs it once and keeps the bot answering.
        return store;
    }

    /**
     * @param backend   {@code memory}, {@code sqlite} or {@code redis}
     * @param path      the SQLite file, relative to the working directory
     * @param redisUrl  {@code REDIS_URL} (may hold a password; never shown)
     * @param keyPrefix prefix of every Redis key
     * @throws StateOpenException naming the key or variable and what is wrong
     */
    public static StateStore open(String backend, Path path, String redisUrl, String keyPrefix, Scheduler clock) {
        return switch (backend) {
            case "memory" -> new MemoryStateStore(clock);
            case "sqlite" -> SqliteStateStore.open(path, clock);
            case "redis" -> new RedisStateStore(RedisUrl.parse(redisUrl), keyPrefix, clock);
            default -> throw new StateOpenException("state.backend: '" + backend + "' is not one of memory, sqlite, redis");
        };
    }
}
