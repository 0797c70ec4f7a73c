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
}
