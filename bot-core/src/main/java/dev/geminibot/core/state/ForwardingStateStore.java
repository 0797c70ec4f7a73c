package dev.geminibot.core.state;

import dev.geminibot.core.ops.Health;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Passes every verb to another store; decorators override what they change. */
public abstract class ForwardingStateStore implements StateStore {
    protected final StateStore delegate;

    protected ForwardingStateStore(StateStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public StoredConversation loadConversation(ConversationKey key) {
        return delegate.loadConversation(key);
    }

    @Override
    public long conversationVersion(ConversationKey key) {
        return delegate.conversationVersion(key);
    }

    @Override
    public long saveConversation(ConversationKey key, List<Turn> turns) {
        return delegate.saveConversation(key, turns);
    }

    @Override
    public long appendTurns(ConversationKey key, List<Turn> turns, int maxTurns) {
        return delegate.appendTurns(key, turns, maxTurns);
    }

    @Override
    public void markReset(ConversationKey key, Instant at) {
        delegate.markReset(key, at);
    }

    @Override
    public Optional<Instant> resetMarker(ConversationKey key) {
        return delegate.resetMarker(key);
    }

    @Override
    public void rememberLatestAnswer(ConversationKey key, LatestAnswer answer) {
        delegate.rememberLatestAnswer(key, answer);
    }

    @Override
    public Optional<LatestAnswer> latestAnswer(ConversationKey key) {
        return delegate.latestAnswer(key);
    }

    @Override
    public void forgetLatestAnswer(ConversationKey key) {
        delegate.forgetLatestAnswer(key);
    }

    @Override
    public Optional<String> moveButtons(ConversationKey key, String message) {
        return delegate.moveButtons(key, message);
    }

    @Override
    public Optional<String> takeButtons(ConversationKey key) {
        return delegate.takeButtons(key);
    }

    @Override
    public Optional<String> setting(ChannelRef channel, String name) {
        return delegate.setting(channel, name);
    }

    @Override
    public void putSetting(ChannelRef channel, String name, String value) {
        delegate.putSetting(channel, name, value);
    }

    @Override
    public void removeSetting(ChannelRef channel, String name) {
        delegate.removeSetting(channel, name);
    }

    @Override
    public Map<String, String> settings(ChannelRef channel) {
        return delegate.settings(channel);
    }

    @Override
    public void joinThread(ConversationKey thread) {
        delegate.joinThread(thread);
    }

    @Override
    public boolean takesPartIn(ConversationKey thread) {
        return delegate.takesPartIn(thread);
    }

    @Override
    public boolean firstDelivery(String deliveryId, Duration ttl) {
        return delegate.firstDelivery(deliveryId, ttl);
    }

    @Override
    public Optional<Lease> acquireLease(ConversationKey key, Duration ttl) {
        return delegate.acquireLease(key, ttl);
    }

    @Override
    public boolean renewLease(Lease lease, Duration ttl) {
        return delegate.renewLease(lease, ttl);
    }

    @Override
    public void releaseLease(Lease lease) {
        delegate.releaseLease(lease);
    }

    @Override
    public RateDecision tryUserRequest(String userKey, int perMinute) {
        return delegate.tryUserRequest(userKey, perMinute);
    }

    @Override
    public RateDecision tryTakeFromWindow(String budget, int limit, Duration window) {
        return delegate.tryTakeFromWindow(budget, limit, window);
    }

    @Override
    public List<Instant> callsInWindow(String budget, Duration window, Instant now) {
        return delegate.callsInWindow(budget, window, now);
    }

    @Override
    public void recordCall(String budget, Instant now, Duration retention) {
        delegate.recordCall(budget, now, retention);
    }

    @Override
    public void publishStop(StopSignal signal) {
        delegate.publishStop(signal);
    }

    @Override
    public AutoCloseable subscribeStops(Consumer<StopSignal> listener) {
        return delegate.subscribeStops(listener);
    }

    @Override
    public Health health() {
        return delegate.health();
    }

    @Override
    public boolean sharedWithOtherInstances() {
        return delegate.sharedWithOtherInstances();
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
