package dev.geminibot.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.model.ModelException.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    static final Duration BASE = Duration.ofMillis(100);

    @Test
    void fullJitterDoublesTheCapPerRetry() {
        RetryPolicy highest = new RetryPolicy(5, BASE, Duration.ofMinutes(1), () -> 0.999999);
        RetryPolicy lowest = new RetryPolicy(5, BASE, Duration.ofMinutes(1), () -> 0.0);

        assertThat(highest.delayBefore(1, null, Duration.ZERO)).isBetween(Duration.ofMillis(99), BASE);
        assertThat(highest.delayBefore(3, null, Duration.ZERO)).isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
        assertThat(lowest.delayBefore(3, null, Duration.ZERO)).isZero();
    }

    @Test
    void noMoreThanMaxRetries() {
        RetryPolicy policy = new RetryPolicy(2, BASE, Duration.ofMinutes(1), () -> 0.5);

        assertThat(policy.delayBefore(2, null, Duration.ZERO)).isNotNull();
        assertThat(policy.delayBefore(3, null, Duration.ZERO)).isNull();
    }

    @Test
    void allWaitsStayWithinTheBudget() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(10), Duration.ofSeconds(3), () -> 0.9);

        assertThat(policy.delayBefore(1, null, Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.delayBefore(2, null, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aServerDelayIsHonouredOnlyWhenItFits() {
        RetryPolicy policy = new RetryPolicy(3, BASE, Duration.ofSeconds(30), () -> 0.5);

        assertThat(policy.delayBefore(1, Duration.ofSeconds(20), Duration.ZERO)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.delayBefore(2, Duration.ofSeconds(20), Duration.ofSeconds(20))).isNull();
        assertThat(policy.delayBefore(1, Duration.ofSeconds(57), Duration.ZERO)).isNull();
    }

    @Test
    void onlyTransientKindsAreRetried() {
        assertThat(Kind.values()).filteredOn(RetryPolicy::retryable)
                .containsExactlyInAnyOrder(Kind.RATE_LIMITED, Kind.OVERLOADED, Kind.SERVER, Kind.NETWORK, Kind.TIMEOUT);
    }
}
