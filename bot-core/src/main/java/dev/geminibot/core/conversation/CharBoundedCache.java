package dev.geminibot.core.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.geminibot.config.ContextConfig;
import java.util.function.ToLongFunction;

/**
 * The bound every remembered conversation lives under, in the engine's cache and in the memory state store:
 * {@code context.cacheMaxChars} characters in all, least recently used first, and forgotten after
 * {@code context.idleExpiry} unused.
 */
public final class CharBoundedCache {

    private CharBoundedCache() {
    }

    /**
     * A cache whose entries weigh their characters + 1 (an empty one still costs its entry; weights are ints,
     * conversations are small), on {@code ticker}'s time. Evictions run on the calling thread.
     */
    public static <K, V> Cache<K, V> of(ContextConfig config, Ticker ticker, ToLongFunction<? super V> chars) {
        return Caffeine.newBuilder()
                .maximumWeight(config.cacheMaxChars())
                .<K, V>weigher((key, value) -> (int) Math.min(Integer.MAX_VALUE, chars.applyAsLong(value) + 1))
                .expireAfterAccess(config.idleExpiry())
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }
}
