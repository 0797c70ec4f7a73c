package dev.geminibot.config;

/** Where the bot keeps what outlives a process ({@code state.backend}, DESIGN section 10). */
public enum StateBackend {
    /** This process's memory: tests, {@code chat}, {@code ask}. */
    MEMORY,
    /** One SQLite file ({@code state.path}): survives restarts, one instance; the default for {@code run}. */
    SQLITE,
    /** A Redis server ({@code REDIS_URL}): several instances share conversations, leases and stops. */
    REDIS
}
