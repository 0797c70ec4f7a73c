package dev.geminibot.config;

import java.time.Duration;

/**
 * What the bot remembers.
 *
 * @param maxChars          budget of history characters sent with a request (newest turns first)
 * @param maxTurns          most turns sent with a request
 * @param idleExpiry        a conversation nobody used for this long is forgotten
 * @param cacheMaxChars     total characters held by all cached conversations (oldest evicted first)
 * @param rebuildFromPlatform on a cache miss in a thread, read the thread's history from the platform
 */
public record ContextConfig(int maxChars, int maxTurns, Duration idleExpiry, long cacheMaxChars,
                            boolean rebuildFromPlatform) {

    public static ContextConfig defaults() {
        return new ContextConfig(24_000, 40, Duration.ofHours(24), 64_000_000L, true);
    }
}
