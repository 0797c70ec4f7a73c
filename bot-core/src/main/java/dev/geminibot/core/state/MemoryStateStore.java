package dev.geminibot.core.state;

import dev.geminibot.config.ContextConfig;
import dev.geminibot.core.conversation.CharBoundedCache;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.ops.Health;
import dev.geminibot.core.reply.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store in this process's memory: for tests, {@code chat} and {@code ask}, and as the shape the other
 * backends follow. Nothing survives the process and nothing is shared with another one. Expired
 * de-duplication records and leases are dropped lazily when looked at, plus a sweep every few thousand
 * deliveries so the map stays bounded.
 */
public final class MemoryStateStore implements StateStore {
    private static final Logger log = LoggerFactory.getLogger(MemoryStateStore.class);
    private static final int SWEEP_EVERY = 4096;

    private final Scheduler clock;
    /**
     * Bounded like the engine's cache ({@code context.cacheMaxChars} characters in all, least recently used
     * first; forgotten after {@code context.idleExpiry} unused): a memory store is the only copy, and a bot
     * that runs for weeks must not hold every conversation it ever had. A forgotten conversation is one the
     * store has never seen (version 0): a thread is then rebuilt from the platform, as after a restart.
     */
    private final Map<ConversationKey, StoredConversation> conversations;
    private final Map<ConversationKey, Instant> resets = new ConcurrentHashMap<>();
    /** Bounded like the conversations: a latest answer without its conversation is of no use. */
    private final Map<ConversationKey, LatestAnswer> latest;
    /** Bounded like the latest answers: one short platform reference per conversation. */
    private final Map<ConversationKey, String> buttons;
    private final Map<ChannelRef, Map<String, String>> settings = new ConcurrentHashMap<>();
    private final Set<ConversationKey> threads = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> deliveries = new ConcurrentHashMap<>();
    private final Map<ConversationKey, Held> leases = new HashMap<>();
    private final Map<String, ArrayDeque<Instant>> windows = new HashMap<>();
    private final Map<String, ArrayDeque<Instant>> recorded = new HashMap<>();
    private final List<Consumer<StopSignal>> stopListeners = new CopyOnWriteArrayList<>();
    private long deliveriesSeen;

    private record Held(String token, Instant until) {
    }

    public MemoryStateStore() {
        this(Scheduler.system());
    }

    /** With an explicit clock, so tests move time forward; conversations bounded by the default context settings. */
    public MemoryStateStore(Scheduler clock) {
        this(clock, ContextConfig.defaults());
    }

    /** Conversations bounded by {@code context.cacheMaxChars} and {@code context.idleExpiry}. */
    public MemoryStateStore(Scheduler clock, ContextConfig context) {
        this.clock = clock;
        this.conversations = bounded(context, clock, StoredConversation::chars);
        this.latest = bounded(context, clock, answer -> answer.question().text().length() + answer.answer().text().length());
        this.buttons = bounded(context, clock, String::length);
    }

    /** A map bounded like the engine's cache ({@link CharBoundedCache}), on this store's clock. */
    private static <V> Map<ConversationKey, V> bounded(ContextConfig context, Scheduler clock, ToLongFunction<V> chars) {
        return CharBoundedCache.<ConversationKey, V>of(context, clock.ticker(), chars).asMap();
    }

    @Override
    public StoredConversation loadConversation(ConversationKey key) {
        return conversations.getOrDefault(key, StoredConversation.NONE);
    }

    @Override
    public long conversationVersion(ConversationKey key) {
        return loadConversation(key).version();
    }

    @Override
    public long saveConversation(ConversationKey key, List<Turn> turns) {
        return conversations.compute(key, (k, old) ->
                new StoredConversation(turns, (old == null ? 0 : old.version()) + 1)).version();
    }

    @Override
    public long appendTurns(ConversationKey key, List<Turn> turns, int maxTurns) {
        return conversations.compute(key, (k, old) -> {
            List<Turn> all = new ArrayList<>(old == null ? List.of() : old.turns());
            all.addAll(turns);
            List<Turn> kept = all.subList(Math.max(0, all.size() - Math.max(0, maxTurns)), all.size());
            return new StoredConversation(kept, (old == null ? 0 : old.version()) + 1);
        }).version();
    }

    @Override
    public void markReset(ConversationKey key, Instant at) {
        resets.put(key, at);
        latest.remove(key);
        saveConversation(key, List.of());
    }

    @Override
    public Optional<Instant> resetMarker(ConversationKey key) {
        return Optional.ofNullable(resets.get(key));
    }

    @Override
    public void rememberLatestAnswer(ConversationKey key, LatestAnswer answer) {
        latest.put(key, answer);
    }

    @Override
    public Optional<LatestAnswer> latestAnswer(ConversationKey key) {
        return Optional.ofNullable(latest.get(key));
    }

    @Override
    public void forgetLatestAnswer(ConversationKey key) {
        latest.remove(key);
    }

    @Override
    public Optional<String> moveButtons(ConversationKey key, String message) {
        return Optional.ofNullable(buttons.put(key, message));
    }

    @Override
    public Optional<String> takeButtons(ConversationKey key) {
        return Optional.ofNullable(buttons.remove(key));
    }

    @Override
    public Optional<String> setting(ChannelRef channel, String name) {
        Map<String, String> values = settings.get(channel);
        return values == null ? Optional.empty() : Optional.ofNullable(values.get(name));
    }

    @Override
    public void putSetting(ChannelRef channel, String name, String value) {
        settings.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(name, value);
    }

    @Override
    public void removeSetting(ChannelRef channel, String name) {
        settings.computeIfPresent(channel, (c, values) -> {
            values.remove(name);
            return values.isEmpty() ? null : values;
        });
    }

    @Override
    public Map<String, String> settings(ChannelRef channel) {
        Map<String, String> values = settings.get(channel);
        return values == null ? Map.of() : Map.copyOf(values);
    }

    @Override
    public void joinThread(ConversationKey thread) {
        threads.add(thread);
    }

    @Override
    public boolean takesPartIn(ConversationKey thread) {
        return threads.contains(thread);
    }

    @Override
    public boolean firstDelivery(String deliveryId, Duration ttl) {
        Instant now = clock.now();
        boolean[] first = {false};
        deliveries.compute(deliveryId, (id, until) -> {
            if (until == null || !until.isAfter(now)) {
                first[0] = true;
                return now.plus(ttl);
            }
            return until;
        });
        synchronized (this) {
            if (++deliveriesSeen % SWEEP_EVERY == 0) {
                deliveries.values().removeIf(until -> !until.isAfter(now));
            }
        }
        return first[0];
    }

    @Override
    public synchronized Optional<Lease> acquireLease(ConversationKey key, Duration ttl) {
        Instant now = clock.now();
        Held held = leases.get(key);
        if (held != null && held.until().isAfter(now)) {
            return Optional.empty();
        }
        Lease lease = new Lease(key, UUID.randomUUID().toString());
        leases.put(key, new Held(lease.token(), now.plus(ttl)));
        return Optional.of(lease);
    }

    @Override
    public synchronized boolean renewLease(Lease lease, Duration ttl) {
        Instant now = clock.now();
        Held held = leases.get(lease.key());
        if (held == null || !held.token().equals(lease.token()) || !held.until().isAfter(now)) {
            return false;
        }
        leases.put(lease.key(), new Held(lease.token(), now.plus(ttl)));
        return true;
    }

    @Override
    public synchronized void releaseLease(Lease lease) {
        Held held = leases.get(lease.key());
        if (held != null && held.token().equals(lease.token())) {
            leases.remove(lease.key());
        }
    }

    @Override
    public RateDecision tryUserRequest(String userKey, int perMinute) {
        return tryTakeFromWindow("user:" + userKey, perMinute, Duration.ofMinutes(1));
    }

    @Override
    public synchronized RateDecision tryTakeFromWindow(String budget, int limit, Duration window) {
        Instant now = clock.now();
        ArrayDeque<Instant> calls = windows.computeIfAbsent(budget, b -> new ArrayDeque<>());
        Instant start = now.minus(window);
        while (!calls.isEmpty() && !calls.peekFirst().isAfter(start)) {
            calls.pollFirst();
        }
        if (calls.size() >= limit) {
            // The oldest call leaves the window first; then one more fits.
            return RateDecision.refused(Duration.between(start, calls.peekFirst()));
        }
        calls.addLast(now);
        if (windows.size() > 100_000) {
            windows.values().removeIf(ArrayDeque::isEmpty);
        }
        return RateDecision.ALLOWED;
    }

    @Override
    public synchronized List<Instant> callsInWindow(String budget, Duration window, Instant now) {
        ArrayDeque<Instant> calls = recorded.get(budget);
        if (calls == null) {
            return List.of();
        }
        Instant start = now.minus(window);
        return calls.stream().filter(at -> at.isAfter(start) && !at.isAfter(now)).toList();
    }

    @Override
    public synchronized void recordCall(String budget, Instant now, Duration retention) {
        ArrayDeque<Instant> calls = recorded.computeIfAbsent(budget, b -> new ArrayDeque<>());
        calls.addLast(now);
        Instant oldest = now.minus(retention);
        while (!calls.isEmpty() && !calls.peekFirst().isAfter(oldest)) {
            calls.pollFirst();
        }
    }

    @Override
    public void publishStop(StopSignal signal) {
        for (Consumer<StopSignal> listener : stopListeners) {
            try {
                listener.accept(signal);
            } catch (RuntimeException e) {
                log.warn("a stop listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public AutoCloseable subscribeStops(Consumer<StopSignal> listener) {
        stopListeners.add(listener);
        return () -> stopListeners.remove(listener);
    }

    @Override
    public Health health() {
        return Health.up("memory");
    }

    @Override
    public String backend() {
        return "memory";
    }

    @Override
    public void close() {
        stopListeners.clear();
    }
}
