package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The harness on its virtual clock: deterministic, so these check behaviour, never speed. */
class StalenessRunTest {
    private static final StalenessRun.Scenario CROWDED_DISCORD = new StalenessRun.Scenario(
            "discord, 3 answers", PlatformModel.discord(), 3, Duration.ofMillis(700), 120);

    @Test
    void oursShowsEveryAnswerWholeAndNeverGoesBackwards() {
        StalenessRun.Outcome ours = StalenessRun.run(CROWDED_DISCORD, OursPolicy.factory(), 42);

        assertThat(ours.finalExact()).isEqualTo(3);
        assertThat(ours.wrongTexts()).isZero();
        assertThat(ours.regressions()).isZero();
        assertThat(ours.neverShown()).isZero();
        assertThat(ours.staleness().count()).isEqualTo(3 * 120);
    }

    @Test
    void theChatSdkBaselineLosesTextToA429() {
        StalenessRun.Outcome sdk = StalenessRun.run(CROWDED_DISCORD, ChatSdkPolicy.factory(), 42);

        assertThat(sdk.rateLimited()).isPositive();
        assertThat(sdk.finalExact()).isLessThan(3);
        assertThat(sdk.staleness().max()).isEqualTo(Samples.NEVER);
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        StalenessRun.Outcome first = StalenessRun.run(CROWDED_DISCORD, LlmcordPolicy.factory(), 7);
        StalenessRun.Outcome again = StalenessRun.run(CROWDED_DISCORD, LlmcordPolicy.factory(), 7);

        assertThat(again.staleness().p99()).isEqualTo(first.staleness().p99());
        assertThat(again.rateLimited()).isEqualTo(first.rateLimited());
    }

    @Test
    void aLongDiscordAnswerSplitsWithoutTextEverVanishing() {
        StalenessRun.Scenario split = new StalenessRun.Scenario("discord, long", PlatformModel.discord(), 1,
                Duration.ZERO, 686);
        StalenessRun.Outcome ours = StalenessRun.run(split, OursPolicy.factory(), 42);

        assertThat(ours.messagesPerAnswer()).isEqualTo(3.0);
        assertThat(ours.finalExact()).isEqualTo(1);
        assertThat(ours.wrongTexts()).isZero();
        assertThat(ours.regressions()).as("the answer never shows less than before").isZero();
        assertThat(ours.staleness().p99()).isLessThanOrEqualTo(1_500);
    }

    @Test
    void answersInSequenceOnSlackEachStreamAtTheEditInterval() {
        StalenessRun.Scenario sequence = new StalenessRun.Scenario("slack, in sequence",
                PlatformModel.slackUnlimited(), 5, Duration.ofSeconds(8), 120);
        StalenessRun.Outcome ours = StalenessRun.run(sequence, OursPolicy.factory(), 42);
        StalenessRun.Outcome before = StalenessRun.run(sequence, OursPolicy.withTokenBucket(), 42);

        assertThat(ours.p99PerAnswer()).allSatisfy(p99 -> assertThat(p99).isLessThanOrEqualTo(600));
        assertThat(before.p99PerAnswer().get(4)).isGreaterThan(1_000); // what the fixed spacing did
    }

    @Test
    void aStrictSlackIsLearnedFromItsFirst429() {
        StalenessRun.Scenario strict = new StalenessRun.Scenario("slack, strict", PlatformModel.slackStrict(), 5,
                Duration.ofSeconds(10), 240);
        StalenessRun.Outcome ours = StalenessRun.run(strict, OursPolicy.factory(), 42);

        assertThat(ours.rateLimitedPerAnswer().p50()).isLessThanOrEqualTo(1);
        assertThat(ours.finalExact()).isEqualTo(5);
        assertThat(ours.completeAfterLastDelta().max()).isLessThanOrEqualTo(4_000);
    }

    @Test
    void theWholeFirstDeltaIsInTheFirstPost() {
        StalenessRun.Scenario words = new StalenessRun.Scenario("discord, 3 words", PlatformModel.discord(), 1,
                Duration.ZERO, 40, 75, 3);
        StalenessRun.Outcome ours = StalenessRun.run(words, OursPolicy.factory(), 42);

        // The first post's own call time (60-140 ms), not an edit interval later.
        assertThat(ours.firstText().p50()).isLessThanOrEqualTo(150);
        assertThat(ours.finalExact()).isEqualTo(1);
    }
}
