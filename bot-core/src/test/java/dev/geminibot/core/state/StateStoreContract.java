package dev.geminibot.core.state;

import dev.geminibot.core.ops.Health;
import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link StateStore} contract, written once and run against every backend (memory here; SQLite on a
 * real file and Redis on a real {@code redis-server} in the {@code state} module). Each test uses fresh
 * keys, so backends may share one server between tests.
 */
public abstract class StateStoreContract {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    protected StateStore store;
    private String unique;

    /** A fresh store; may share its backend with other tests (keys are unique per test). */
    protected abstract StateStore newStore();

    /** A second store on the same backend, as another instance would open it. */
    protected abstract StateStore secondInstance();

    /** Lets {@code duration} pass for the store's clock and its expiry (virtual or, for Redis, real). */
    protected abstract void advance(Duration duration);

    @BeforeEach
    void open() {
        store = newStore();
        unique = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private ConversationKey key(String thread) {
        return new ConversationKey("slack", "T1", "C-" + unique, thread);
    }

    private static Turn user(String text, int second) {
        return Turn.user("U1", "Ann", text, T0.plusSeconds(second));
    }

    private static Turn model(String text, int second) {
        return Turn.model(text, T0.plusSeconds(second));
    }

    @Test
    void anUnknownConversationHasVersionZeroAndNoTurns() {
        assertThat(store.loadConversation(key(""))).isEqualTo(StoredConversation.NONE);
        assertThat(store.conversationVersion(key(""))).isZero();
    }

    @Test
    void appendKeepsTurnsInOrderWithEveryField() {
        Turn question = Turn.user("U1", "Ann Lee", "what is a monad? ünïcødé 👍", T0.plusMillis(1234));
        Turn answer = model("a monoid in the category of endofunctors", 2);
        long v1 = store.appendTurns(key(""), List.of(question, answer), 10);
        long v2 = store.appendTurns(key(""), List.of(user("and a functor?", 3)), 10);

        StoredConversation loaded = store.loadConversation(key(""));
        assertThat(loaded.turns()).containsExactly(question, answer, user("and a functor?", 3));
        assertThat(v2).isGreaterThan(v1).isPositive();
        assertThat(loaded.version()).isEqualTo(v2);
        assertThat(store.conversationVersion(key(""))).isEqualTo(v2);
    }

    @Test
    void appendDropsTheOldestBeyondMaxTurns() {
        store.appendTurns(key(""), List.of(user("1", 1), model("2", 2)), 3);
        store.appendTurns(key(""), List.of(user("3", 3), model("4", 4)), 3);
        assertThat(store.loadConversation(key("")).turns()).extracting(Turn::text).containsExactly("2", "3", "4");
    }

    @Test
    void saveReplacesTheTurnsAndThreadsAreTheirOwnConversations() {
        store.appendTurns(key(""), List.of(user("old", 1)), 10);
        long version = store.saveConversation(key(""), List.of(user("new", 2)));
        store.appendTurns(key("1700000000.000100"), List.of(user("in thread", 3)), 10);

        assertThat(store.loadConversation(key("")).turns()).extracting(Turn::text).containsExactly("new");
        assertThat(store.loadConversation(key("")).version()).isEqualTo(version);
        assertThat(store.loadConversation(key("1700000000.000100")).turns()).extracting(Turn::text)
                .containsExactly("in thread");
    }

    @Test
    void anotherInstanceSeesTheSameConversationAndVersion() {
        long version = store.appendTurns(key(""), List.of(user("hello", 1), model("hi", 2)), 10);
        try (StateStore other = secondInstance()) {
            assertThat(other.loadConversation(key(""))).isEqualTo(store.loadConversation(key("")));
            assertThat(other.conversationVersion(key(""))).isEqualTo(version);
            long next = other.appendTurns(key(""), List.of(user("more", 3)), 10);
            assertThat(store.conversationVersion(key(""))).isEqualTo(next).isGreaterThan(version);
        }
    }

    @Test
    void resetForgetsTurnsKeepsTheMarkerAndBumpsTheVersion() {
        long before = store.appendTurns(key(""), List.of(user("secret", 1)), 10);
        assertThat(store.resetMarker(key(""))).isEmpty();
        Instant at = T0.plusSeconds(60);
        store.markReset(key(""), at);

        StoredConversation after = store.loadConversation(key(""));
        assertThat(after.turns()).isEmpty();
        assertThat(after.known()).isTrue();
        assertThat(after.version()).isGreaterThan(before);
        assertThat(store.resetMarker(key(""))).contains(at);
        assertThat(store.resetMarker(key("other-thread"))).isEmpty();
    }

    private static LatestAnswer latest(String id, String question, String answer, boolean cut) {
        return new LatestAnswer(id, "MENTION", "1700000000.000200",
                Turn.user("U1", "Ann Lee", question, T0.plusMillis(1234)), model(answer, 2), cut);
    }

    @Test
    void theLatestAnswerIsKeptPerConversationWithEveryFieldAndSeenByAnotherInstance() {
        assertThat(store.latestAnswer(key(""))).isEmpty();
        LatestAnswer cut = latest("k3x9a-1", "write a lot: ünïcødé 👍 \"quoted\"\nline", "The first half, ", true);
        store.rememberLatestAnswer(key(""), cut);
        assertThat(store.latestAnswer(key(""))).contains(cut);
        assertThat(store.latestAnswer(key("1.1"))).as("a thread is its own conversation").isEmpty();

        LatestAnswer dm = new LatestAnswer("k3x9a-2", "DIRECT_MESSAGE", "", Turn.user("U2", "", "hi", T0), model("hello", 1),
                false);
        try (StateStore other = secondInstance()) {
            assertThat(other.latestAnswer(key(""))).contains(cut);
            other.rememberLatestAnswer(key(""), dm);
        }
        assertThat(store.latestAnswer(key(""))).as("a newer answer replaces it").contains(dm);
        assertThat(store.latestAnswer(key("")).orElseThrow().askerId()).isEqualTo("U2");
        assertThat(store.latestAnswer(key("")).orElseThrow().is("k3x9a-1")).isFalse();
    }

    @Test
    void forgettingOrResettingTheConversationEndsItsLatestAnswerOnly() {
        store.appendTurns(key(""), List.of(user("q", 1), model("a", 2)), 10);
        store.rememberLatestAnswer(key(""), latest("a-1", "q", "a", false));
        store.rememberLatestAnswer(key("1.1"), latest("a-2", "q", "a", true));
        store.forgetLatestAnswer(key(""));
        store.forgetLatestAnswer(key(""));
        assertThat(store.latestAnswer(key(""))).isEmpty();
        assertThat(store.loadConversation(key("")).turns()).hasSize(2);

        store.rememberLatestAnswer(key(""), latest("a-3", "q", "a", false));
        store.markReset(key(""), T0.plusSeconds(60));
        assertThat(store.latestAnswer(key(""))).isEmpty();
        try (StateStore other = secondInstance()) {
            assertThat(other.latestAnswer(key(""))).isEmpty();
            assertThat(other.latestAnswer(key("1.1"))).map(LatestAnswer::answerId).contains("a-2");
        }
    }

    @Test
    void whereTheButtonsAreMovesPerConversationOutlivesAResetAndIsSeenByAnotherInstance() {
        String first = "C1|1700000000.000300|b|One: ünïcødé 👍 | a bar";
        assertThat(store.moveButtons(key(""), first)).isEmpty();
        assertThat(store.moveButtons(key("1.1"), "C1|1.2|m|x")).as("a thread is its own conversation").isEmpty();
        store.markReset(key(""), T0.plusSeconds(60));
        try (StateStore other = secondInstance()) {
            assertThat(other.moveButtons(key(""), "C1|1700000000.000400|b|Two.")).as("the message before").contains(first);
        }
        assertThat(store.takeButtons(key(""))).contains("C1|1700000000.000400|b|Two.");
        assertThat(store.takeButtons(key(""))).as("taken once").isEmpty();
        assertThat(store.takeButtons(key("1.1"))).contains("C1|1.2|m|x");
    }

    @Test
    void settingsAreAStringSpacePerChannelSharedByItsThreads() {
        ChannelRef channel = ChannelRef.of(key("1700000000.000100"));
        ChannelRef other = new ChannelRef("slack", "T1", "C-other-" + unique);
        assertThat(store.settings(channel)).isEmpty();
        store.putSetting(channel, "model", "gemini-2.5-pro");
        store.putSetting(channel, "system", "Answer like a pirate: \"arr\" ünï 👍\nsecond line");
        store.putSetting(channel, "model", "gemini-2.5-flash");
        store.putSetting(other, "search", "on");

        assertThat(store.setting(ChannelRef.of(key("")), "model")).contains("gemini-2.5-flash");
        assertThat(store.settings(channel)).isEqualTo(Map.of("model", "gemini-2.5-flash",
                "system", "Answer like a pirate: \"arr\" ünï 👍\nsecond line"));
        store.removeSetting(channel, "model");
        store.removeSetting(channel, "never-set");
        assertThat(store.setting(channel, "model")).isEmpty();
        assertThat(store.settings(channel)).containsOnlyKeys("system");
        assertThat(store.settings(other)).isEqualTo(Map.of("search", "on"));
    }

    @Test
    void threadsTheBotTakesPartInAreRemembered() {
        assertThat(store.takesPartIn(key("1.1"))).isFalse();
        store.joinThread(key("1.1"));
        store.joinThread(key("1.1"));
        assertThat(store.takesPartIn(key("1.1"))).isTrue();
        assertThat(store.takesPartIn(key("1.2"))).isFalse();
    }

    @Test
    void aDeliveryIsFirstExactlyOnceAcrossInstancesUntilItsRecordExpires() {
        String id = "Ev-" + unique;
        assertThat(store.firstDelivery(id, Duration.ofMillis(400))).isTrue();
        assertThat(store.firstDelivery(id, Duration.ofMillis(400))).isFalse();
        try (StateStore other = secondInstance()) {
            assertThat(other.firstDelivery(id, Duration.ofMillis(400))).isFalse();
            assertThat(other.firstDelivery("Ev-other-" + unique, Duration.ofHours(1))).isTrue();
        }
        advance(Duration.ofMillis(600));
        assertThat(store.firstDelivery(id, Duration.ofHours(1))).isTrue();
    }

    @Test
    void aLeaseHasOneHolderUntilReleased() {
        Optional<Lease> first = store.acquireLease(key(""), Duration.ofSeconds(30));
        assertThat(first).isPresent();
        try (StateStore second = secondInstance()) {
            StateStore other = peer(second);
            assertThat(other.acquireLease(key(""), Duration.ofSeconds(30))).isEmpty();
            assertThat(other.acquireLease(key("t"), Duration.ofSeconds(30))).isPresent();
            // Someone else's token can neither renew nor release it.
            Lease forged = new Lease(key(""), "forged");
            assertThat(other.renewLease(forged, Duration.ofSeconds(30))).isFalse();
            other.releaseLease(forged);
            assertThat(other.acquireLease(key(""), Duration.ofSeconds(30))).isEmpty();

            assertThat(store.renewLease(first.get(), Duration.ofSeconds(30))).isTrue();
            store.releaseLease(first.get());
            assertThat(store.renewLease(first.get(), Duration.ofSeconds(30))).isFalse();
            assertThat(other.acquireLease(key(""), Duration.ofSeconds(30))).isPresent();
        }
    }

    @Test
    void aCrashedHoldersLeaseExpires() {
        Lease crashed = store.acquireLease(key(""), Duration.ofMillis(300)).orElseThrow();
        assertThat(store.acquireLease(key(""), Duration.ofSeconds(30))).isEmpty();
        advance(Duration.ofMillis(500));
        Optional<Lease> next = store.acquireLease(key(""), Duration.ofSeconds(30));
        assertThat(next).isPresent();
        assertThat(store.renewLease(crashed, Duration.ofSeconds(30))).isFalse();
        store.releaseLease(crashed);
        assertThat(store.renewLease(next.get(), Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void aSlidingWindowAllowsLimitCallsPerWindowSharedByInstances() {
        String budget = "slack-edits:T-" + unique;
        Duration window = Duration.ofMillis(500);
        assertThat(store.tryTakeFromWindow(budget, 3, window).allowed()).isTrue();
        assertThat(store.tryTakeFromWindow(budget, 3, window).allowed()).isTrue();
        try (StateStore second = secondInstance()) {
            StateStore other = peer(second);
            assertThat(other.tryTakeFromWindow(budget, 3, window).allowed()).isTrue();
            RateDecision refused = other.tryTakeFromWindow(budget, 3, window);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(window);
        }
        assertThat(store.tryTakeFromWindow(budget, 3, window).allowed()).isFalse();
        assertThat(store.tryTakeFromWindow("another-" + unique, 3, window).allowed()).isTrue();
        advance(Duration.ofMillis(700));
        assertThat(store.tryTakeFromWindow(budget, 3, window).allowed()).isTrue();
    }

    @Test
    void recordedCallsAreReadBackPerWindowAndSharedByInstances() {
        String budget = "slack-workspace:T-" + unique;
        // Whole milliseconds: what every backend keeps.
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Duration retention = Duration.ofMinutes(1);
        store.recordCall(budget, now.minusSeconds(61), retention);
        store.recordCall(budget, now.minusSeconds(30), retention);
        try (StateStore second = secondInstance()) {
            StateStore peerStore = peer(second);
            peerStore.recordCall(budget, now.minusSeconds(10), retention);
            peerStore.recordCall(budget, now, retention);
            assertThat(peerStore.callsInWindow(budget, Duration.ofSeconds(60), now))
                    .containsExactly(now.minusSeconds(30), now.minusSeconds(10), now);
        }
        assertThat(store.callsInWindow(budget, Duration.ofSeconds(20), now)).hasSize(2);
        assertThat(store.callsInWindow("other-" + unique, Duration.ofSeconds(20), now)).isEmpty();
    }

    @Test
    void userRequestsAreLimitedPerMinutePerUser() {
        String ann = "slack:U-ann-" + unique;
        for (int i = 0; i < 5; i++) {
            assertThat(store.tryUserRequest(ann, 5).allowed()).isTrue();
        }
        RateDecision refused = store.tryUserRequest(ann, 5);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(store.tryUserRequest("slack:U-bob-" + unique, 5).allowed()).isTrue();
    }

    @Test
    void aStopSignalReachesEveryInstance() throws Exception {
        BlockingQueue<StopSignal> here = new ArrayBlockingQueue<>(4);
        BlockingQueue<StopSignal> there = new ArrayBlockingQueue<>(4);
        try (StateStore other = secondInstance();
             AutoCloseable a = store.subscribeStops(here::add);
             AutoCloseable b = other.subscribeStops(there::add)) {
            awaitSubscribed();
            StopSignal signal = new StopSignal(key("1.1"), false);
            store.publishStop(signal);
            assertThat(here.poll(5, TimeUnit.SECONDS)).isEqualTo(signal);
            if (stopsReachOtherInstances()) {
                assertThat(there.poll(5, TimeUnit.SECONDS)).isEqualTo(signal);
                StopSignal channelWide = new StopSignal(key(""), true, "U-asker");
                other.publishStop(channelWide);
                assertThat(here.poll(5, TimeUnit.SECONDS)).isEqualTo(channelWide);
                assertThat(there.poll(5, TimeUnit.SECONDS)).isEqualTo(channelWide);
            }
            StopSignal channelWide = new StopSignal(key(""), true);
            assertThat(channelWide.matches(key("1.1"))).isTrue();
            assertThat(signal.matches(key("1.2"))).isFalse();
        }
    }

    /**
     * False for a backend that serves one instance only (SQLite): its stop signals, leases and rate windows
     * stay in the process, so "another instance" is the same store for those.
     */
    protected boolean stopsReachOtherInstances() {
        return true;
    }

    /** The other holder for leases and windows: a second instance where they are shared, else this store. */
    private StateStore peer(StateStore secondInstance) {
        return stopsReachOtherInstances() ? secondInstance : store;
    }

    /** Backends whose subscriptions take effect asynchronously wait here until they do. */
    protected void awaitSubscribed() {
    }

    @Test
    void healthIsUpAndNamesTheBackend() {
        Health health = store.health();
        assertThat(health.isUp()).isTrue();
        assertThat(health.detail()).contains(store.backend());
    }
}
