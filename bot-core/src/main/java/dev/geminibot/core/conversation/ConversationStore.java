package dev.geminibot.core.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.geminibot.config.ContextConfig;
import java.util.Optional;

/**
 * Every conversation the bot remembers, bounded by total characters and forgotten after an idle time.
 * A conversation's weight is fixed when it is stored, so callers {@link #save} it after it grew.
 */
public final class ConversationStore {
    /** Keeps some history per conversation beyond the request budget, for the next requests. */
    private static final int TURNS_KEPT_PER_BUDGET_TURN = 2;

    private final Cache<ConversationKey, Conversation> cache;
    private final int maxTurnsKept;

    public ConversationStore(ContextConfig config) {
        this(config, Ticker.systemTicker());
    }

    /** With an explicit ticker, so tests can move time forward. */
    public ConversationStore(ContextConfig config, Ticker ticker) {
        this.cache = CharBoundedCache.of(config, ticker, Conversation::chars);
        this.maxTurnsKept = Math.max(2, config.maxTurns() * TURNS_KEPT_PER_BUDGET_TURN);
    }

    /** The conversation if remembered. */
    public Optional<Conversation> find(ConversationKey key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    /**
     * The remembered conversation, or a new one filled by {@code loader} (which may block on the
     * platform). Only a non-empty loaded conversation is stored, so a failed load is tried again later.
     */
    public Conversation findOrLoad(ConversationKey key, HistoryLoader loader, int maxChars) {
        Conversation known = cache.getIfPresent(key);
        if (known != null) {
            return known;
        }
        Conversation loaded = new Conversation(key);
        loaded.append(loader.load(key, maxChars).toArray(Turn[]::new));
        if (!loaded.isEmpty()) {
            Conversation raced = cache.asMap().putIfAbsent(key, loaded);
            return raced != null ? raced : loaded;
        }
        return loaded;
    }

    /** Stores {@code conversation} (again), trimmed, so its new size counts against the budget. */
    public void save(Conversation conversation) {
        conversation.retainNewest(maxTurnsKept);
        cache.put(conversation.key(), conversation);
    }

    /** How many turns a stored conversation keeps (more than a request uses). */
    public int maxTurnsKept() {
        return maxTurnsKept;
    }

    /** Forgets a conversation. */
    public void reset(ConversationKey key) {
        cache.invalidate(key);
    }

    public boolean contains(ConversationKey key) {
        return cache.getIfPresent(key) != null;
    }

    /** Number of conversations remembered (approximate while evictions are pending). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
