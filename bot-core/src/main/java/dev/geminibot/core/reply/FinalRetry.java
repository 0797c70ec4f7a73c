package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the final call of one message keeps trying: through 429s and transient failures, within
 * {@link ReplyOptions#finalMaxAttempts()} attempts and {@link ReplyOptions#finalRetryBudget()} of time.
 * Reset once a call lands. Pure bookkeeping; the reply decides what to do with the answer.
 */
final class FinalRetry {

    private final int maxAttempts;
    private final Duration budget;
    private int attempts;
    private Instant firstTry;

    FinalRetry(int maxAttempts, Duration budget) {
        this.maxAttempts = maxAttempts;
        this.budget = budget;
    }

    /** A final call starts now. */
    void started(Instant now) {
        if (attempts == 0) {
            firstTry = now;
        }
    }

    /** The call landed: the next message's final call has its own attempts. */
    void landed() {
        attempts = 0;
    }

    /**
     * The final call failed; {@code delay} is when it could be tried again (null: never, e.g. FORBIDDEN).
     *
     * @return true to try again after {@code delay}, false to give the message up
     */
    boolean again(Duration delay, Instant now) {
        attempts++;
        boolean giveUp = delay == null || attempts >= maxAttempts
                || Duration.between(firstTry, now.plus(delay)).compareTo(budget) > 0;
        if (giveUp) {
            attempts = 0;
        }
        return !giveUp;
    }
}
