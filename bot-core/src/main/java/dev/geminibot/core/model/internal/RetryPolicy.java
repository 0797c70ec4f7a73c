package dev.geminibot.core.model.internal;

import dev.geminibot.core.model.ModelException.Kind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * When to retry a request that failed before its first event: exponential backoff with full jitter
 * (a uniform wait between 0 and {@code base × 2^(n-1)} before retry n), at most {@code maxRetries}
 * retries, all waits together within {@code budget}. A delay the server asked for is honoured as is,
 * and when it does not fit in what is left of the budget there is no retry.
 */
final class RetryPolicy {
    private static final Set<Kind> RETRYABLE =
            EnumSet.of(Kind.RATE_LIMITED, Kind.OVERLOADED, Kind.SERVER, Kind.NETWORK, Kind.TIMEOUT);

    private final int maxRetries;
    private final Duration base;
    private final Duration budget;
    private final DoubleSupplier random;

    /** {@code random} yields values in [0, 1): the jitter source, injectable for tests. */
    RetryPolicy(int maxRetries, Duration base, Duration budget, DoubleSupplier random) {
        this.maxRetries = Math.max(0, maxRetries);
        this.base = base;
        this.budget = budget;
        this.random = random;
    }

    /** Kinds worth another attempt; never a refused key, a denied model, a bad request or a cancel. */
    static boolean retryable(Kind kind) {
        return RETRYABLE.contains(kind);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first), or null for no retry.
     *
     * @param serverDelay what the server asked for ({@code RetryInfo}, {@code Retry-After}), or null
     * @param waited      what earlier retries of this request already waited
     */
    Duration delayBefore(int retry, Duration serverDelay, Duration waited) {
        if (retry > maxRetries) {
            return null;
        }
        Duration remaining = budget.minus(waited);
        if (serverDelay != null) {
            return serverDelay.compareTo(remaining) <= 0 ? serverDelay : null;
        }
        if (remaining.isNegative()) {
            return null;
        }
        long capNanos = base.toNanos();
        for (int i = 1; i < retry && capNanos < Long.MAX_VALUE / 2; i++) {
            capNanos *= 2;
        }
        long jittered = (long) (capNanos * random.getAsDouble());
        return Duration.ofNanos(Math.min(jittered, remaining.toNanos()));
    }
}
