package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.testing.RecordingSink;
import dev.geminibot.core.testing.RecordingSink.Call;
import dev.geminibot.core.testing.RecordingSink.Kind;
import dev.geminibot.core.testing.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TokenBucketPacerTest {

    private final VirtualScheduler clock = new VirtualScheduler();

    /** An answer that asks for its next turn as soon as it had one, until {@code until}. */
    private final List<GreedyAnswer> order = new ArrayList<>();

    private final class GreedyAnswer {
        final List<Instant> turns = new ArrayList<>();
        final TokenBucketPacer pacer;
        final String key;
        final Instant until;

        GreedyAnswer(TokenBucketPacer pacer, String key, Instant until) {
            this.pacer = pacer;
            this.key = key;
            this.until = until;
        }

        void ask() {
            pacer.request(key, () -> {
                turns.add(clock.now());
                order.add(this);
                if (clock.now().isBefore(until)) {
                    ask();
                }
            });
        }
    }

    private static void assertNoWindowExceeds(List<Instant> times, int capacity, Duration period) {
        List<Instant> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        for (int i = capacity; i < sorted.size(); i++) {
            assertThat(Duration.between(sorted.get(i - capacity), sorted.get(i)))
                    .as("turn %s and the one %s before it", i, capacity).isGreaterThanOrEqualTo(period);
        }
    }

    @Test
    void threeAnswersOnOneKeyShareTheBucketFairlyAndNeverExceedIt() {
        TokenBucketPacer pacer = TokenBucketPacer.discord(clock);
        Instant until = clock.now().plusSeconds(60);
        List<GreedyAnswer> answers = List.of(new GreedyAnswer(pacer, "channel", until),
                new GreedyAnswer(pacer, "channel", until), new GreedyAnswer(pacer, "channel", until));
        answers.forEach(GreedyAnswer::ask);
        clock.runUntilIdle();

        List<Instant> all = new ArrayList<>();
        answers.forEach(a -> all.addAll(a.turns));
        assertNoWindowExceeds(all, 5, Duration.ofSeconds(5));
        // The bucket is used, not wasted: 5 per 5 s over 60 s.
        assertThat(all.size()).isBetween(60, 66);
        // The first answer had a turn before the others asked; from then on turns go strictly in rotation.
        for (int i = 1; i + 3 <= order.size(); i++) {
            assertThat(new java.util.HashSet<>(order.subList(i, i + 3))).as("turns %s..%s", i, i + 2).hasSize(3);
        }
        int fewest = answers.stream().mapToInt(a -> a.turns.size()).min().orElseThrow();
        int most = answers.stream().mapToInt(a -> a.turns.size()).max().orElseThrow();
        assertThat(most - fewest).as("round-robin").isLessThanOrEqualTo(2);
        assertThat(pacer.keysHeld()).isZero();
    }

    @Test
    void aLoneAnswerBurstsAQuarterOfTheBudgetThenTheRestLastsTheWindow() {
        TokenBucketPacer pacer = TokenBucketPacer.slack(clock);
        List<Instant> turns = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMillis(500)); // a reply asks once per 500 ms edit interval
            pacer.request("workspace", () -> turns.add(clock.now()));
        }
        clock.runUntilIdle();

        // The first 12 turns (a quarter of 50 per minute) come at the reply's own pace...
        for (int i = 1; i < 12; i++) {
            assertThat(Duration.between(turns.get(i - 1), turns.get(i))).isEqualTo(Duration.ofMillis(500));
        }
        // ...then the other 38 are spread over the minute, so the window never fills and nothing stalls.
        Duration spaced = Duration.ofSeconds(60).dividedBy(38);
        for (int i = 13; i < turns.size(); i++) {
            assertThat(Duration.between(turns.get(i - 1), turns.get(i))).isEqualTo(spaced);
        }
        assertNoWindowExceeds(turns, 50, Duration.ofSeconds(60));
    }

    @Test
    void aSaturatedKeyNeverStallsForItsOldestTokens() {
        TokenBucketPacer pacer = TokenBucketPacer.slack(clock);
        List<Instant> turns = new ArrayList<>();
        Instant until = clock.now().plusSeconds(180);
        List<GreedyAnswer> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            GreedyAnswer answer = new GreedyAnswer(pacer, "workspace", until);
            answers.add(answer);
            answer.ask();
        }
        clock.runUntilIdle();
        answers.forEach(a -> turns.addAll(a.turns));
        List<Instant> sorted = turns.stream().sorted().toList();

        assertNoWindowExceeds(turns, 50, Duration.ofSeconds(60));
        Duration longestGap = Duration.ZERO;
        for (int i = 1; i < sorted.size(); i++) {
            Duration gap = Duration.between(sorted.get(i - 1), sorted.get(i));
            longestGap = gap.compareTo(longestGap) > 0 ? gap : longestGap;
        }
        assertThat(longestGap).isLessThanOrEqualTo(Duration.ofSeconds(60).dividedBy(38));
    }

    @Test
    void aLateComerIsNotStarvedByAnEarlyGreedyAnswer() {
        TokenBucketPacer pacer = new TokenBucketPacer(clock, 2, Duration.ofSeconds(1));
        GreedyAnswer early = new GreedyAnswer(pacer, "k", clock.now().plusSeconds(20));
        early.ask();
        clock.advance(Duration.ofSeconds(10));
        GreedyAnswer late = new GreedyAnswer(pacer, "k", clock.now().plusSeconds(10));
        late.ask();
        clock.advance(Duration.ofSeconds(10));
        long earlyMeanwhile = early.turns.stream().filter(t -> !t.isBefore(late.turns.get(0))).count();
        assertThat(Math.abs(earlyMeanwhile - late.turns.size())).isLessThanOrEqualTo(1);
        // At most the early answer's pending turn goes first.
        assertThat(late.turns.get(0)).isBeforeOrEqualTo(VirtualScheduler.EPOCH.plusSeconds(11));
    }

    @Test
    void aPriorityRequestGoesAheadOfTheLineAndNeedsOnlyAToken() {
        TokenBucketPacer pacer = new TokenBucketPacer(clock, 2, Duration.ofSeconds(2));
        List<String> turns = new ArrayList<>();
        pacer.request("k", () -> turns.add("live-1 " + clock.now()));
        pacer.request("k", () -> turns.add("live-2 " + clock.now()));
        pacer.request("k", () -> turns.add("live-3 " + clock.now()));
        pacer.requestFirst("k", () -> turns.add("final " + clock.now()));
        clock.runUntilIdle();

        // Live turns are spaced a second apart (2 per 2 s); the final edit needs only a token, so it goes
        // at once, ahead of the live edits that asked before it. The budget still holds: 2 turns by 0 s,
        // the next when a token is back.
        Instant t0 = VirtualScheduler.EPOCH;
        assertThat(turns).containsExactly("live-1 " + t0, "final " + t0,
                "live-2 " + t0.plusSeconds(2), "live-3 " + t0.plusSeconds(3));
    }

    @Test
    void a429PausesTheWholeKey() {
        TokenBucketPacer pacer = TokenBucketPacer.discord(clock);
        pacer.rateLimited("k", Duration.ofSeconds(3));
        assertThat(pacer.pausedUntil("k")).isEqualTo(VirtualScheduler.EPOCH.plusSeconds(3));
        List<Instant> turns = new ArrayList<>();
        pacer.request("k", () -> turns.add(clock.now()));
        pacer.request("k", () -> turns.add(clock.now()));
        pacer.request("other", () -> turns.add(clock.now()));
        clock.runUntilIdle();
        // "other" goes at once; the paused key's two turns come after the pause, one spacing apart.
        assertThat(turns).containsExactly(VirtualScheduler.EPOCH, VirtualScheduler.EPOCH.plusSeconds(3),
                VirtualScheduler.EPOCH.plusSeconds(4));
    }

    @Test
    void priorityCallsSpendFromTheBucket() {
        TokenBucketPacer pacer = new TokenBucketPacer(clock, 2, Duration.ofSeconds(2));
        pacer.spend("k");
        pacer.spend("k");
        List<Instant> turns = new ArrayList<>();
        pacer.request("k", () -> turns.add(clock.now()));
        clock.runUntilIdle();
        assertThat(turns).containsExactly(VirtualScheduler.EPOCH.plusSeconds(2));
    }

    @Test
    void aWithdrawnRequestDoesNotHoldUpTheLine() {
        TokenBucketPacer pacer = new TokenBucketPacer(clock, 1, Duration.ofSeconds(1));
        List<String> turns = new ArrayList<>();
        pacer.request("k", () -> turns.add("first"));
        Runnable withdraw = pacer.request("k", () -> turns.add("withdrawn"));
        pacer.request("k", () -> turns.add("third"));
        withdraw.run();
        clock.advance(Duration.ofSeconds(1));
        assertThat(turns).containsExactly("first", "third");
        clock.runUntilIdle();
        assertThat(turns).containsExactly("first", "third");
        assertThat(pacer.keysHeld()).isZero();
    }

    @Test
    void nullKeyIsNotPaced() {
        TokenBucketPacer pacer = new TokenBucketPacer(clock, 1, Duration.ofHours(1));
        List<Instant> turns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pacer.request(null, () -> turns.add(clock.now()));
        }
        assertThat(turns).hasSize(5);
    }

    @Test
    void answersStreamingSideBySideInOneChannelStayWithinTheBucket() {
        TokenBucketPacer pacer = TokenBucketPacer.discord(clock);
        List<RecordingSink> sinks = new ArrayList<>();
        List<StreamingReply> replies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingSink sink = new RecordingSink(clock).rateLimitKey("channel-1")
                    .latency(Duration.ofMillis(80)).maxLength(100_000);
            sinks.add(sink);
            replies.add(new StreamingReply(sink, ReplyOptions.defaults(Duration.ofMillis(200)), clock, pacer));
        }
        for (int tick = 0; tick < 300; tick++) { // 30 s of three answers streaming at once
            for (StreamingReply reply : replies) {
                reply.append("tok" + tick + " ");
            }
            clock.advance(Duration.ofMillis(100));
        }
        Instant finishedAt = clock.now();
        List<CompletableFuture<ReplyResult>> results = replies.stream().map(r -> r.finish(null)).toList();
        clock.runUntilIdle();

        List<Instant> paced = new ArrayList<>();
        List<Integer> perAnswer = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            List<Call> calls = sinks.get(i).calls();
            // The first post skips the line (and is not an edit); the final edit goes after finishedAt.
            List<Instant> edits = calls.stream()
                    .filter(c -> c.kind() == Kind.EDIT && c.start().isBefore(finishedAt))
                    .map(Call::start).toList();
            paced.addAll(edits);
            perAnswer.add(edits.size());
            assertThat(sinks.get(i).violations()).isEmpty();
            assertThat(sinks.get(i).displayed()).containsExactly(replies.get(i).text());
            assertThat(results.get(i).join().rateLimited()).isZero();
        }
        assertNoWindowExceeds(paced, 5, Duration.ofSeconds(5));
        assertThat(paced.size()).isBetween(25, 31);
        assertThat(Collections.max(perAnswer) - Collections.min(perAnswer)).isLessThanOrEqualTo(1);
    }

    @Test
    void a429OnOneAnswerHoldsBackItsNeighbours() {
        TokenBucketPacer pacer = TokenBucketPacer.discord(clock);
        RecordingSink hit = new RecordingSink(clock).rateLimitKey("c")
                .failCall(2, PlatformException.rateLimited(Duration.ofSeconds(4)));
        RecordingSink neighbour = new RecordingSink(clock).rateLimitKey("c");
        StreamingReply first = new StreamingReply(hit, ReplyOptions.defaults(Duration.ofMillis(100)), clock, pacer);
        StreamingReply second = new StreamingReply(neighbour, ReplyOptions.defaults(Duration.ofMillis(100)), clock,
                pacer);
        first.append("a ");
        second.append("a ");
        clock.advance(Duration.ofMillis(200));
        first.append("b ");
        clock.advance(Duration.ofMillis(10)); // the 429 lands on `first`
        second.append("b ");
        clock.advance(Duration.ofSeconds(1));
        assertThat(neighbour.calls()).hasSize(1);
        clock.advance(Duration.ofSeconds(4));
        assertThat(neighbour.calls()).hasSize(2);
        assertThat(neighbour.calls().get(1).start()).isAfterOrEqualTo(VirtualScheduler.EPOCH.plusMillis(4200));
    }
}
