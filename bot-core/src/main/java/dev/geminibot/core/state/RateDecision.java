package dev.geminibot.core.state;

import java.time.Duration;

/**
 * The answer of a rate limit or a budget: allowed (and counted), or refused with the time until the next
 * call would be allowed.
 */
public record RateDecision(boolean allowed, Duration retryAfter) {
    public static final RateDecision ALLOWED = new RateDecision(true, Duration.ZERO);

    public static RateDecision refused(Duration retryAfter) {
        return new RateDecision(false, retryAfter.isNegative() ? Duration.ZERO : retryAfter);
    }
}
