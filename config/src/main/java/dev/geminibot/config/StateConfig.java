package dev.geminibot.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where state lives (DESIGN section 10).
 *
 * @param backend   {@code state.backend}; empty: the command's default ({@code sqlite} for {@code run},
 *                  {@code memory} for {@code chat} and {@code ask})
 * @param path      {@code state.path}, the SQLite file, relative to the working directory
 * @param keyPrefix {@code state.keyPrefix}, the start of every Redis key
 * @param redisUrl  {@code REDIS_URL} (environment only: it may hold a password)
 */
public record StateConfig(Optional<StateBackend> backend, Path path, String keyPrefix, Optional<Secret> redisUrl) {
    public static final Path DEFAULT_PATH = Path.of("gemini-bot.db");
    public static final String DEFAULT_KEY_PREFIX = "gemini-bot:";

    public static StateConfig defaults() {
        return new StateConfig(Optional.empty(), DEFAULT_PATH, DEFAULT_KEY_PREFIX, Optional.empty());
    }

    /** The configured backend, else the command's default. */
    public StateBackend backendOr(StateBackend commandDefault) {
        return backend.orElse(commandDefault);
    }
}
