package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;

/**
 * Shares a platform's rate limit among the answers that stream side by side under one
 * {@link MessageSink#rateLimitKey() key}, so they take turns instead of each meeting 429s. An answer asks
 * for a turn before each intermediate call; the first post and the final edit do not wait their turn
 * (they only wait out a 429), but they {@link #spend} from the same budget. Implementations are
 * thread-safe.
 */
public interface EditPacer {

    /**
     * Asks for one intermediate call under {@code key}. {@code onTurn} runs once, when it is the caller's
     * turn (the budget is spent then): possibly before this method returns, otherwise on a timer thread.
     * Callers waiting on one key get turns in the order they asked, so asking again after each turn is
     * round-robin and no answer starves another.
     *
     * @return withdraws the request if its turn has not come; harmless afterwards
     */
    Runnable request(String key, Runnable onTurn);

    /**
     * As {@link #request}, but ahead of every caller waiting in line (behind earlier priority requests):
     * for the final edit of an answer, which must not be delayed behind live edits yet must still wait for
     * the budget rather than meet a 429.
     */
    Runnable requestFirst(String key, Runnable onTurn);

    /** Records a call made under {@code key} without waiting its turn, so the callers in line are paced by it too. */
    void spend(String key);

    /** The platform answered 429 for {@code key}: no turn is given on the key before {@code retryAfter} has passed. */
    void rateLimited(String key, Duration retryAfter);

    /** Until when a 429 holds every call under {@code key}; a past instant if none does. */
    Instant pausedUntil(String key);

    /** No sharing: every request gets its turn at once. */
    EditPacer NONE = new EditPacer() {
        @Override
        public Runnable request(String key, Runnable onTurn) {
            onTurn.run();
            return () -> { };
        }

        @Override
        public Runnable requestFirst(String key, Runnable onTurn) {
            return request(key, onTurn);
        }

        @Override
        public void spend(String key) {
        }

        @Override
        public void rateLimited(String key, Duration retryAfter) {
        }

        @Override
        public Instant pausedUntil(String key) {
            return Instant.MIN;
        }

        @Override
        public String toString() {
            return "EditPacer.NONE";
        }
    };
}
