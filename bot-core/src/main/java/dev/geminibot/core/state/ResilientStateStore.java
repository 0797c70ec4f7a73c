package dev.geminibot.core.state;

import dev.geminibot.core.ops.Health;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.reply.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bot answering while its backend is unreachable (DESIGN section 10: a lost backend degrades,
 * never crashes). A failed verb falls back to a process-local answer: no history, a delivery counted once
 * in this process, leases and rate windows in this process, stops to this process's answers. The outage is
 * logged once, with the backend and its host, when it starts and once when it ends; while it lasts, the
 * backend is tried again at most once per {@link #RETRY_EVERY} so no answer waits on timeouts in a row.
 * Settings writes still fail (the user is told their change was not saved).
 */
public final class ResilientStateStore extends ForwardingStateStore {
    private static final Logger log = LoggerFactory.getLogger(ResilientStateStore.class);
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private final Scheduler clock;
    private final MemoryStateStore local;
    private final Object lock = new Object();
    private boolean down;
    private Instant retryAt = Instant.MIN;

    private ResilientStateStore(StateStore delegate, Scheduler clock) {
        super(delegate);
        this.clock = clock;
        this.local = new MemoryStateStore(clock);
        Health health = delegate.health();
        if (!health.isUp()) {
            // Unreachable at start: say so now (once), not at the first message.
            failed(new StateUnavailableException("state: " + health.detail()));
        }
    }

    /** Wraps {@code store} unless it already is wrapped (or is memory, which cannot be lost). */
    public static StateStore wrap(StateStore store, Scheduler clock) {
        if (store instanceof ResilientStateStore || store instanceof MemoryStateStore) {
            return store;
        }
        return new ResilientStateStore(store, clock);
    }

    /** Whether the backend is currently treated as unreachable. */
    public boolean degraded() {
        synchronized (lock) {
            return down;
        }
    }

    private <T> T guarded(Supplier<T> verb, Supplier<T> fallback) {
        synchronized (lock) {
            if (down && clock.now().isBefore(retryAt)) {
                return fallback.get();
            }
        }
        try {
            T result = verb.get();
            recovered();
            return result;
        } catch (StateUnavailableException e) {
            failed(e);
            return fallback.get();
        }
    }

    private void guardedRun(Runnable verb, Runnable fallback) {
        guarded(() -> {
            verb.run();
            return null;
        }, () -> {
            fallback.run();
            return null;
        });
    }

    private void failed(StateUnavailableException e) {
        boolean first;
        synchronized (lock) {
            first = !down;
            down = true;
            retryAt = clock.now().plus(RETRY_EVERY);
        }
        if (first) {
            // The exception's message names the backend and host (never a password); once per outage.
            log.warn("{}; answering without shared state (no history) until it is back", e.getMessage());
        }
    }

    private void recovered() {
        boolean was;
        synchronized (lock) {
            was = down;
            down = false;
        }
        if (was) {
            log.info("state: {} is reachable again: {}", delegate.backend(), delegate.health().detail());
        }
    }

    @Override
    public StoredConversation loadConversation(ConversationKey key) {
        return guarded(() -> delegate.loadConversation(key), () -> StoredConversation.NONE);
    }

    @Override
    public long conversationVersion(ConversationKey key) {
        return guarded(() -> delegate.conversationVersion(key), () -> 0L);
    }

    @Override
    public long saveConversation(ConversationKey key, List<Turn> turns) {
        return guarded(() -> delegate.saveConversation(key, turns), () -> 0L);
    }

    @Override
    public long appendTurns(ConversationKey key, List<Turn> turns, int maxTurns) {
        return guarded(() -> delegate.appendTurns(key, turns, maxTurns), () -> 0L);
    }

    @Override
    public void markReset(ConversationKey key, Instant at) {
        local.forgetLatestAnswer(key);
        guardedRun(() -> delegate.markReset(key, at), () -> local.markReset(key, at));
    }

    @Override
    public Optional<Instant> resetMarker(ConversationKey key) {
        return guarded(() -> delegate.resetMarker(key), () -> local.resetMarker(key));
    }

    /**
     * Kept in this process while the backend is unreachable, so the buttons of answers written during an
     * outage still work here; a record that reached the backend replaces the local one.
     */
    @Override
    public void rememberLatestAnswer(ConversationKey key, LatestAnswer answer) {
        guardedRun(() -> {
            delegate.rememberLatestAnswer(key, answer);
            local.forgetLatestAnswer(key);
        }, () -> local.rememberLatestAnswer(key, answer));
    }

    @Override
    public Optional<LatestAnswer> latestAnswer(ConversationKey key) {
        return guarded(() -> delegate.latestAnswer(key), () -> local.latestAnswer(key));
    }

    @Override
    public void forgetLatestAnswer(ConversationKey key) {
        local.forgetLatestAnswer(key);
        guardedRun(() -> delegate.forgetLatestAnswer(key), () -> { });
    }

    /** Kept in this process while the backend is away, so this process still takes its own buttons off. */
    @Override
    public Optional<String> moveButtons(ConversationKey key, String message) {
        return guarded(() -> {
            Optional<String> before = delegate.moveButtons(key, message);
            Optional<String> here = local.takeButtons(key);
            return before.or(() -> here);
        }, () -> local.moveButtons(key, message));
    }

    @Override
    public Optional<String> takeButtons(ConversationKey key) {
        Optional<String> here = local.takeButtons(key);
        return guarded(() -> delegate.takeButtons(key).or(() -> here), () -> here);
    }

    @Override
    public Optional<String> setting(ChannelRef channel, String name) {
        return guarded(() -> delegate.setting(channel, name), Optional::empty);
    }

    @Override
    public Map<String, String> settings(ChannelRef channel) {
        return guarded(() -> delegate.settings(channel), Map::of);
    }

    @Override
    public void putSetting(ChannelRef channel, String name, String value) {
        guardedOrThrow(() -> delegate.putSetting(channel, name, value));
    }

    @Override
    public void removeSetting(ChannelRef channel, String name) {
        guardedOrThrow(() -> delegate.removeSetting(channel, name));
    }

    /** Writes the user asked for: they must learn it did not work, so the failure is passed on. */
    private void guardedOrThrow(Runnable verb) {
        try {
            verb.run();
            recovered();
        } catch (StateUnavailableException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public void joinThread(ConversationKey thread) {
        local.joinThread(thread);
        guardedRun(() -> delegate.joinThread(thread), () -> { });
    }

    @Override
    public boolean takesPartIn(ConversationKey thread) {
        return local.takesPartIn(thread) || guarded(() -> delegate.takesPartIn(thread), () -> false);
    }

    @Override
    public boolean firstDelivery(String deliveryId, Duration ttl) {
        // Counted here too, so a retry to this same instance is still caught during an outage.
        boolean firstHere = local.firstDelivery(deliveryId, ttl);
        return guarded(() -> delegate.firstDelivery(deliveryId, ttl), () -> firstHere);
    }

    @Override
    public Optional<Lease> acquireLease(ConversationKey key, Duration ttl) {
        return guarded(() -> delegate.acquireLease(key, ttl), () -> local.acquireLease(key, ttl));
    }

    @Override
    public boolean renewLease(Lease lease, Duration ttl) {
        return guarded(() -> delegate.renewLease(lease, ttl) || local.renewLease(lease, ttl), () -> true);
    }

    @Override
    public void releaseLease(Lease lease) {
        local.releaseLease(lease);
        guardedRun(() -> delegate.releaseLease(lease), () -> { });
    }

    @Override
    public RateDecision tryUserRequest(String userKey, int perMinute) {
        return guarded(() -> delegate.tryUserRequest(userKey, perMinute), () -> local.tryUserRequest(userKey, perMinute));
    }

    @Override
    public RateDecision tryTakeFromWindow(String budget, int limit, Duration window) {
        return guarded(() -> delegate.tryTakeFromWindow(budget, limit, window),
                () -> local.tryTakeFromWindow(budget, limit, window));
    }

    @Override
    public List<Instant> callsInWindow(String budget, Duration window, Instant now) {
        return guarded(() -> delegate.callsInWindow(budget, window, now), () -> local.callsInWindow(budget, window, now));
    }

    @Override
    public void recordCall(String budget, Instant now, Duration retention) {
        guardedRun(() -> delegate.recordCall(budget, now, retention), () -> local.recordCall(budget, now, retention));
    }

    @Override
    public void publishStop(StopSignal signal) {
        guardedRun(() -> delegate.publishStop(signal), () -> local.publishStop(signal));
    }

    @Override
    public AutoCloseable subscribeStops(Consumer<StopSignal> listener) {
        AutoCloseable here = local.subscribeStops(listener);
        AutoCloseable shared = guarded(() -> delegate.subscribeStops(listener), () -> () -> { });
        return () -> {
            here.close();
            shared.close();
        };
    }

    @Override
    public Health health() {
        return delegate.health();
    }

    @Override
    public void close() {
        local.close();
        delegate.close();
    }
}
