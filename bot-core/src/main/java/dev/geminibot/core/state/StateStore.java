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

/**
 * Everything the bot keeps beyond one process, or shares between instances: conversations, reset markers,
 * each conversation's latest answer (what its Regenerate and Continue buttons act on), per-channel settings, the threads it takes part in, de-duplication of deliveries, a lease per
 * conversation, user rate limits, shared sliding-window budgets and stop signals. Verbs are named after
 * what the bot needs; no backend type leaks through. What deliberately stays process-local is listed in
 * {@code package-info.java} of this package.
 *
 * <p>Every verb may throw {@link StateUnavailableException} when the backend is unreachable; callers
 * degrade (see each verb) and the backend recovers by itself once it is reachable again. Thread-safe;
 * verbs block (call them from virtual threads, never from a platform's ack path).
 */
public interface StateStore extends AutoCloseable {

    /**
     * How long the stores that outlive the process keep a conversation, its latest answer, where its buttons are
     * and the threads the bot takes part in after their last change. Reset markers and settings are kept.
     */
    Duration RETENTION = Duration.ofDays(30);

    // ---- conversations ----

    /** The conversation's turns and version; {@link StoredConversation#NONE} when never seen. */
    StoredConversation loadConversation(ConversationKey key);

    /** The conversation's version alone (cheap): {@code 0} when never seen. */
    long conversationVersion(ConversationKey key);

    /** Replaces the conversation's turns (oldest first). Returns the new version. */
    long saveConversation(ConversationKey key, List<Turn> turns);

    /**
     * Appends turns in order, keeping at most {@code maxTurns} of the newest (oldest dropped). Returns the
     * new version.
     */
    long appendTurns(ConversationKey key, List<Turn> turns, int maxTurns);

    // ---- reset markers ----

    /**
     * Forgets the conversation's turns and its latest answer, and records that it was reset at {@code at}: a
     * rebuild from the platform skips every message before that time. Bumps the version, so every
     * instance's cache reloads.
     */
    void markReset(ConversationKey key, Instant at);

    /** When the conversation was last reset, if ever. */
    Optional<Instant> resetMarker(ConversationKey key);

    // ---- the latest answer (Regenerate and Continue) ----

    /**
     * Records {@code answer} as the conversation's latest completed answer, replacing the one before, for as
     * long as the conversation itself is kept. Every instance (and this one after a restart) then sees it.
     */
    void rememberLatestAnswer(ConversationKey key, LatestAnswer answer);

    /** The conversation's latest completed answer; empty when none applies (never one, reset, or forgotten). */
    Optional<LatestAnswer> latestAnswer(ConversationKey key);

    /** The conversation has no answer the buttons act on any more (one ended badly); harmless if none. */
    void forgetLatestAnswer(ConversationKey key);

    // ---- where a conversation's answer buttons are shown ----

    /**
     * Records that the conversation's answer buttons are now on {@code message} (a platform reference the
     * adapter wrote, no secrets) and returns where they were before, so the adapter takes them off that
     * message, even when a previous process or another instance put them there. Kept as long as the latest
     * answer; a reset leaves it for {@link #takeButtons}.
     */
    Optional<String> moveButtons(ConversationKey key, String message);

    /** Forgets where the conversation's answer buttons are and returns it (a reset takes them off). */
    Optional<String> takeButtons(ConversationKey key);

    // ---- per-channel settings (a small string key-value space per channel) ----

    Optional<String> setting(ChannelRef channel, String name);

    void putSetting(ChannelRef channel, String name, String value);

    void removeSetting(ChannelRef channel, String name);

    /** Every setting of the channel, by name. */
    Map<String, String> settings(ChannelRef channel);

    // ---- threads the bot takes part in ----

    /** Records that the bot takes part in this thread (it answered there or was mentioned there). */
    void joinThread(ConversationKey thread);

    boolean takesPartIn(ConversationKey thread);

    // ---- de-duplication of platform deliveries ----

    /**
     * True exactly once per {@code deliveryId} within {@code ttl} across every instance (Slack's
     * {@code event_id}, retried deliveries). The record lasts at least {@code ttl}; use at least an hour.
     */
    boolean firstDelivery(String deliveryId, Duration ttl);

    // ---- conversation lease ----

    /**
     * Takes the conversation's lease for {@code ttl} if nobody holds it (or the holder's lease expired).
     * Empty when another holder has it.
     */
    Optional<Lease> acquireLease(ConversationKey key, Duration ttl);

    /** Extends a lease this holder still has; false when it expired and was lost (maybe taken by another). */
    boolean renewLease(Lease lease, Duration ttl);

    /** Gives the lease back if this holder still has it; harmless otherwise. */
    void releaseLease(Lease lease);

    // ---- rate limits and budgets ----

    /**
     * Counts one request of {@code userKey} against {@code perMinute} requests in any rolling minute,
     * shared by every instance. Refused requests are not counted.
     */
    RateDecision tryUserRequest(String userKey, int perMinute);

    /**
     * Takes one call from a budget of {@code limit} calls per sliding {@code window} (e.g. a Slack
     * workspace's edit budget shared by every instance). Refused calls are not counted.
     */
    RateDecision tryTakeFromWindow(String budget, int limit, Duration window);

    /**
     * The times of the calls recorded under {@code budget} in {@code (now - window, now]}, oldest first: how
     * full a shared window really is (the reply pacer's {@code RateWindow} reads this before each edit).
     */
    List<Instant> callsInWindow(String budget, Duration window, Instant now);

    /** Records one call under {@code budget} at {@code now}, kept for {@code retention} (the longest window read). */
    void recordCall(String budget, Instant now, Duration retention);

    // ---- stop signals ----

    /** Sends a stop to every instance (this one included) that subscribed. */
    void publishStop(StopSignal signal);

    /**
     * Calls {@code listener} for every stop signal published by any instance, on a thread of the store's.
     * Returns a handle that unsubscribes.
     */
    AutoCloseable subscribeStops(Consumer<StopSignal> listener);

    // ---- health ----

    /** UP or DOWN with the backend's name and host or file; never a password. Never throws. */
    Health health();

    /**
     * Whether other instances see this store (Redis): then a stop, a lease or a conversation may concern an
     * answer in another process.
     */
    default boolean sharedWithOtherInstances() {
        return false;
    }

    /** Short backend name for logs: {@code memory}, {@code sqlite}, {@code redis}. */
    String backend();

    @Override
    void close();
}
