package dev.geminibot.core.controls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 👍 and 👎 on answers: one vote per person per answer, changeable. Each vote is logged with the answer's
 * id and counted in {@code gemini.bot.feedback} (Prometheus: {@code gemini_bot_feedback_total{platform,vote}}).
 * Pressing the same vote again counts nothing; changing a vote counts the new one (a counter never goes
 * down, so the old side keeps its count; the log says what changed). Votes are remembered for 30 days per
 * process. Thread-safe.
 */
public final class Feedback {
    private static final Logger log = LoggerFactory.getLogger(Feedback.class);
    static final String METER = "gemini.bot.feedback";

    /** A vote, as the tag value it is counted under. */
    public enum Vote {
        UP, DOWN;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code up}/{@code down} (any case) to a vote. */
        public static Vote of(String tag) {
            return valueOf(tag.strip().toUpperCase(Locale.ROOT));
        }
    }

    /** What a press did. */
    public enum Outcome {
        /** The person's first vote on this answer. */
        COUNTED,
        /** The person changed their vote. */
        CHANGED,
        /** The person pressed the vote they had already given. */
        UNCHANGED
    }

    private final MeterRegistry registry;
    private final Cache<String, Vote> votes = Caffeine.newBuilder()
            .maximumSize(1_000_000).expireAfterWrite(Duration.ofDays(30)).build();

    public Feedback(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Records {@code user}'s {@code vote} on {@code answerId}, on {@code platform} ({@code discord}, {@code slack}). */
    public Outcome vote(String platform, String answerId, String user, Vote vote) {
        Vote[] before = new Vote[1];
        votes.asMap().compute(answerId + "/" + user, (key, old) -> {
            before[0] = old;
            return vote;
        });
        if (before[0] == vote) {
            return Outcome.UNCHANGED;
        }
        Counter.builder(METER).description("Votes on answers (👍 up, 👎 down), one per person per answer")
                .tag("platform", platform).tag("vote", vote.tag()).register(registry).increment();
        log.info("feedback answer={} platform={} vote={}{}", answerId, platform, vote.tag(),
                before[0] == null ? "" : " (changed from " + before[0].tag() + ")");
        return before[0] == null ? Outcome.COUNTED : Outcome.CHANGED;
    }

    /** What the voter is told (privately) about their press, the same on every platform. */
    public static String reply(Outcome outcome, Vote vote) {
        String emoji = vote == Vote.UP ? "👍" : "👎";
        return switch (outcome) {
            case COUNTED -> "Thanks for the feedback " + emoji;
            case CHANGED -> "Changed your vote to " + emoji;
            case UNCHANGED -> "You already voted " + emoji + " on this answer.";
        };
    }

    /** The registry votes are counted in (tests read the counters back). */
    public MeterRegistry registry() {
        return registry;
    }
}
