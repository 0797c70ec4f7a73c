package dev.geminibot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.geminibot.config.ContextConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConversationStoreTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    private static ConversationKey key(int i) {
        return ConversationKey.channel("test", "w", "c" + i);
    }

    private static Conversation withText(ConversationKey key, int chars) {
        Conversation conversation = new Conversation(key);
        conversation.append(Turn.user("u", "ann", "x".repeat(chars), T));
        return conversation;
    }

    @Test
    void evictsConversationsWhenTheirTotalCharactersExceedTheBudget() {
        ConversationStore store = new ConversationStore(new ContextConfig(1000, 10, Duration.ofHours(1), 10_000, true), ticker);
        for (int i = 0; i < 30; i++) {
            store.save(withText(key(i), 1000));
        }
        // Caffeine's admission policy chooses which ones stay; what matters is the bound.
        long kept = 0;
        for (int i = 0; i < 30; i++) {
            kept += store.find(key(i)).map(Conversation::chars).orElse(0L);
        }
        assertThat(store.size()).isBetween(1L, 10L);
        assertThat(kept).isLessThanOrEqualTo(10_000);
    }

    @Test
    void forgetsConversationsAfterTheIdleTime() {
        ConversationStore store = new ConversationStore(new ContextConfig(1000, 10, Duration.ofMinutes(30), 10_000, true), ticker);
        store.save(withText(key(1), 10));
        nanos.addAndGet(Duration.ofMinutes(29).toNanos());
        assertThat(store.contains(key(1))).isTrue();
        nanos.addAndGet(Duration.ofMinutes(31).toNanos());
        assertThat(store.contains(key(1))).isFalse();
    }

    @Test
    void loadsFromThePlatformOnAMissAndRetriesAnEmptyLoad() {
        ConversationStore store = new ConversationStore(ContextConfig.defaults(), ticker);
        AtomicLong loads = new AtomicLong();
        HistoryLoader empty = (key, max) -> {
            loads.incrementAndGet();
            return List.of();
        };
        assertThat(store.findOrLoad(key(1), empty, 100).isEmpty()).isTrue();
        assertThat(store.findOrLoad(key(1), empty, 100).isEmpty()).isTrue();
        assertThat(loads).hasValue(2);

        HistoryLoader some = (key, max) -> List.of(Turn.user("u", "ann", "hi", T), Turn.model("hello", T));
        assertThat(store.findOrLoad(key(1), some, 100).turns()).hasSize(2);
        assertThat(store.findOrLoad(key(1), empty, 100).turns()).hasSize(2);
    }

    @Test
    void keepsABoundedNumberOfTurnsPerConversation() {
        ConversationStore store = new ConversationStore(new ContextConfig(1000, 3, Duration.ofHours(1), 10_000, true), ticker);
        Conversation conversation = new Conversation(key(1));
        for (int i = 0; i < 20; i++) {
            conversation.append(Turn.user("u", "ann", "m" + i, T));
        }
        store.save(conversation);
        assertThat(conversation.turns()).hasSize(6);
        assertThat(conversation.turns().get(5).text()).isEqualTo("m19");
    }
}
