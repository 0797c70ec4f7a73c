package dev.geminibot.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.ContextConfig;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.testing.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The contract on the in-memory store; a "second instance" shares its maps, as in one process. */
class MemoryStateStoreTest extends StateStoreContract {
    private final VirtualScheduler clock = new VirtualScheduler();
    private MemoryStateStore shared;

    @Override
    protected StateStore newStore() {
        shared = new MemoryStateStore(clock);
        return shared;
    }

    @Override
    protected StateStore secondInstance() {
        // Memory is never shared between processes; a view on the same store stands in for "another caller".
        MemoryStateStore same = shared;
        return new ForwardingStateStore(same) {
            @Override
            public void close() {
                // The test's own store closes the shared one.
            }
        };
    }

    @Override
    protected void advance(Duration duration) {
        clock.advance(duration);
    }

    // ---- the only copy of each conversation must still be bounded ----

    private static final ConversationKey A = ConversationKey.channel("test", "g", "a");
    private static final ConversationKey B = ConversationKey.channel("test", "g", "b");
    private static final ConversationKey C = ConversationKey.channel("test", "g", "c");

    private static List<Turn> exchange(int chars) {
        Instant at = VirtualScheduler.EPOCH;
        return List.of(Turn.user("u1", "ann", "q".repeat(chars / 2), at), Turn.model("a".repeat(chars / 2), at));
    }

    @org.junit.jupiter.api.Test
    void conversationsAreHeldWithinTheCharacterBudget() {
        ContextConfig context = ContextConfig.defaults();
        MemoryStateStore store = new MemoryStateStore(clock, new ContextConfig(context.maxChars(), context.maxTurns(),
                Duration.ofHours(24), 2_500, false));
        for (ConversationKey key : List.of(A, B, C)) {
            store.appendTurns(key, exchange(1_000), 40);
        }

        // Caffeine picks what to forget by frequency and recency (TinyLFU); the bound is what matters.
        long held = List.of(A, B, C).stream().filter(key -> store.conversationVersion(key) != 0).count();
        assertThat(held).as("conversations of 1,000 characters held within 2,500").isEqualTo(2);
    }

    @org.junit.jupiter.api.Test
    void aConversationNobodyUsesIsForgottenAfterTheIdleExpiry() {
        ContextConfig context = ContextConfig.defaults();
        MemoryStateStore store = new MemoryStateStore(clock, new ContextConfig(context.maxChars(), context.maxTurns(),
                Duration.ofHours(1), context.cacheMaxChars(), false));
        store.appendTurns(A, exchange(100), 40);
        store.appendTurns(B, exchange(100), 40);
        clock.advance(Duration.ofMinutes(40));
        store.loadConversation(A);
        clock.advance(Duration.ofMinutes(40));

        assertThat(store.conversationVersion(A)).isEqualTo(1);
        assertThat(store.conversationVersion(B)).isZero();
    }
}
