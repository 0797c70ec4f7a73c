package dev.geminibot.core.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class FeedbackTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Feedback feedback = new Feedback(registry);

    private double count(String platform, String vote) {
        var counter = registry.find("gemini.bot.feedback").tag("platform", platform).tag("vote", vote).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void onePersonCountsOncePerAnswerAndMayChangeTheirVote() {
        assertThat(feedback.vote("slack", "a1", "U1", Feedback.Vote.UP)).isEqualTo(Feedback.Outcome.COUNTED);
        assertThat(feedback.vote("slack", "a1", "U1", Feedback.Vote.UP)).isEqualTo(Feedback.Outcome.UNCHANGED);
        assertThat(feedback.vote("slack", "a1", "U2", Feedback.Vote.UP)).isEqualTo(Feedback.Outcome.COUNTED);
        assertThat(feedback.vote("slack", "a2", "U1", Feedback.Vote.DOWN)).isEqualTo(Feedback.Outcome.COUNTED);
        assertThat(count("slack", "up")).isEqualTo(2);
        assertThat(count("slack", "down")).isEqualTo(1);

        assertThat(feedback.vote("slack", "a1", "U1", Feedback.Vote.DOWN)).isEqualTo(Feedback.Outcome.CHANGED);
        assertThat(count("slack", "down")).isEqualTo(2);
        assertThat(count("discord", "up")).isZero();
    }
}
