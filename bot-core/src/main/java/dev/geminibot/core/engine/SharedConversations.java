package dev.geminibot.core.engine;

import dev.geminibot.core.conversation.Conversation;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.ConversationStore;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StoredConversation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversations as the engine sees them: the {@link StateStore} is the truth, the Caffeine
 * {@link ConversationStore} a cache in front of it that is used only while its version matches the
 * store's (so an instance never answers from a conversation older than what another instance stored).
 * What the store knows wins over a rebuild from the platform; a rebuild happens only for a conversation
 * the store has never seen, and skips what came before a reset marker.
 */
final class SharedConversations {
    private final ConversationStore cache;
    private final StateStore state;
    private final int maxTurnsKept;

    SharedConversations(ConversationStore cache, StateStore state, int maxTurnsKept) {
        this.cache = cache;
        this.state = state;
        this.maxTurnsKept = maxTurnsKept;
    }

    /** The conversation to answer in: the cached copy if current, else the store's, else a rebuild. */
    Conversation load(ConversationKey key, HistoryLoader loader, int maxChars) {
        long version = state.conversationVersion(key);
        Optional<Conversation> cached = cache.find(key);
        if (version != 0 && cached.isPresent() && cached.get().version() == version) {
            return cached.get();
        }
        Conversation conversation = new Conversation(key);
        if (version != 0) {
            StoredConversation stored = state.loadConversation(key);
            conversation.append(stored.turns().toArray(Turn[]::new));
            conversation.version(stored.version());
            cache.save(conversation);
            return conversation;
        }
        List<Turn> rebuilt = new ArrayList<>(loader.load(key, maxChars));
        if (!rebuilt.isEmpty()) {
            Optional<Instant> reset = state.resetMarker(key);
            reset.ifPresent(at -> rebuilt.removeIf(turn -> !turn.at().isAfter(at)));
        }
        conversation.append(rebuilt.toArray(Turn[]::new));
        return conversation;
    }

    /** Stores one exchange: appended to what the store holds, or the whole rebuilt conversation. */
    void remember(Conversation conversation, Turn question, Turn answer) {
        ConversationKey key = conversation.key();
        long version;
        if (conversation.version() != 0) {
            version = state.appendTurns(key, List.of(question, answer), maxTurnsKept);
        } else {
            // Rebuilt from the platform (or the store was unreachable): the store gets everything at once.
            List<Turn> all = new ArrayList<>(conversation.turns());
            all.add(question);
            all.add(answer);
            version = state.saveConversation(key, all.subList(Math.max(0, all.size() - maxTurnsKept), all.size()));
        }
        conversation.append(question, answer);
        conversation.version(version);
        cache.save(conversation);
        if (key.inThread()) {
            state.joinThread(key);
        }
    }

    /**
     * Stores the conversation's turns as they are now, replacing what the store holds: after an answer was
     * taken back (regenerated) or joined with its continuation.
     */
    void rewrite(Conversation conversation) {
        List<Turn> turns = conversation.turns();
        long version = state.saveConversation(conversation.key(),
                turns.subList(Math.max(0, turns.size() - maxTurnsKept), turns.size()));
        conversation.version(version);
        cache.save(conversation);
    }

    /** Forgets the conversation everywhere and marks the reset. Returns how many turns were forgotten. */
    int reset(ConversationKey key, Instant at) {
        int forgotten = cache.find(key).map(c -> c.turns().size())
                .orElseGet(() -> state.loadConversation(key).turns().size());
        state.markReset(key, at);
        cache.reset(key);
        return forgotten;
    }

    /** Whether the bot took part in this conversation, here or on another instance. */
    boolean knows(ConversationKey key) {
        return cache.contains(key) || state.conversationVersion(key) != 0 || (key.inThread() && state.takesPartIn(key));
    }
}
