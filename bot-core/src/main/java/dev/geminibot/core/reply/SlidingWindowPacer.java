package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An {@link EditPacer} that spends a per-minute budget (Slack's {@code chat.update}: about 50 per minute per
 * workspace) by how full the window really is, read from the calls a {@link RateWindow} holds. A call goes
 * when no stretch of the window ending now would hold more than a burst of a fifth of the budget plus
 * that stretch's share of the rest (a token bucket read off the window, so its room comes back as old calls
 * age, not all at once a minute later), and never more than {@code limit} per {@code period}. So an answer
 * alone, or answers in sequence, edit at their own interval while the last minute holds room; a busy key is
 * spread over the whole window at the budget's pace instead of burning it in the first seconds and then
 * stalling; and no window of {@code period} holds more than {@code limit} calls.
 *
 * <p>A 429 pauses the key for its Retry-After and lowers the key's budget estimate: calls under it are then
 * spaced at least as far apart as the platform showed it needs (the time from the last call before the
 * refused one to the end of the Retry-After). The estimate holds for a minute after the last 429, then
 * relaxes by half each further minute, so a platform that was only briefly strict is used fully again.
 *
 * <p>Turns are handed out by a {@link TurnQueue}: on the {@link Scheduler}'s timer, or on the asking thread when
 * the budget has room and nobody is waiting; callers waiting on one key are served first come, first served
 * (final edits first). No lock is held while {@code onTurn} runs. Thread-safe.
 */
public final class SlidingWindowPacer implements EditPacer {

    private static final Duration LEARNED_HOLD = Duration.ofSeconds(60);
    private static final Duration LEARNED_MAX = Duration.ofSeconds(10);
    private static final Duration LEARNED_FLOOR = Duration.ofMillis(100);

    private final Scheduler scheduler;
    private final RateWindow window;
    private final int limit;
    private final Duration period;
    /** Calls that may go back to back on a quiet key: a fifth of the budget (measured best in bench/run staleness). */
    private final double burst;
    /** The rest of the budget comes back at this pace: one call per {@code (limit - burst)}-th of the period. */
    private final double nanosPerCall;
    private final TurnQueue<Key> queue;

    /**
     * @param limit  calls allowed per {@code period} under one key
     * @param window counts the calls; share one between instances to share the budget
     */
    public SlidingWindowPacer(Scheduler scheduler, int limit, Duration period, RateWindow window) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.window = Objects.requireNonNull(window, "window");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.limit = limit;
        this.period = period;
        this.burst = Math.max(1, limit / 5);
        this.nanosPerCall = (double) period.toNanos() / Math.max(1, limit - this.burst);
        this.queue = new TurnQueue<>(scheduler, Key::new, new Budget());
    }

    /** Slack: {@code chat.update} is Tier 3, about 50 per minute per workspace, counted in this process. */
    public static SlidingWindowPacer slack(Scheduler scheduler) {
        return slack(scheduler, RateWindow.inProcess(Duration.ofSeconds(60)));
    }

    /** Slack's budget counted by {@code window} (e.g. one shared by every instance of the bot). */
    public static SlidingWindowPacer slack(Scheduler scheduler, RateWindow window) {
        return new SlidingWindowPacer(scheduler, 50, Duration.ofSeconds(60), window);
    }

    /** A key's waiters and pause (in {@link TurnQueue.Waiting}), its last two calls and its learned spacing. */
    private static final class Key extends TurnQueue.Waiting {
        Instant lastSpend;
        Instant previousSpend;
        Duration learned = Duration.ZERO;
        Instant learnedAt = Instant.MIN;
    }

    @Override
    public Runnable request(String key, Runnable onTurn) {
        return queue.request(key, onTurn, false);
    }

    @Override
    public Runnable requestFirst(String key, Runnable onTurn) {
        return queue.request(key, onTurn, true);
    }

    @Override
    public void spend(String key) {
        queue.spend(key);
    }

    @Override
    public void rateLimited(String key, Duration retryAfter) {
        queue.update(key, state -> {
            Instant now = scheduler.now();
            Instant until = now.plus(retryAfter);
            if (until.isAfter(state.pausedUntil)) {
                state.pausedUntil = until;
            }
            // The refused call was most likely the last one handed out: the platform needs the time from the
            // call before it to the end of the Retry-After between two calls.
            Instant since = state.previousSpend != null ? state.previousSpend : state.lastSpend;
            if (since != null) {
                Duration needed = Duration.between(since, until);
                if (needed.compareTo(LEARNED_MAX) > 0) {
                    needed = LEARNED_MAX;
                }
                if (needed.compareTo(learned(state, now)) > 0) {
                    state.learned = needed;
                }
                state.learnedAt = now;
            }
            List<Runnable> turns = queue.dispatch(key, state);
            if (!turns.isEmpty()) {
                // Cannot happen while paused; kept for safety.
                scheduler.schedule(Duration.ZERO, () -> turns.forEach(Runnable::run));
            }
        });
    }

    @Override
    public Instant pausedUntil(String key) {
        return queue.pausedUntil(key);
    }

    /** The spacing a 429 taught for this key, as it relaxes over time. */
    private static Duration learned(Key state, Instant now) {
        if (state.learned.isZero()) {
            return Duration.ZERO;
        }
        Duration since = Duration.between(state.learnedAt, now);
        if (since.compareTo(LEARNED_HOLD) <= 0) {
            return state.learned;
        }
        double minutes = (double) since.minus(LEARNED_HOLD).toMillis() / 60_000.0;
        long nanos = (long) (state.learned.toNanos() * Math.pow(0.5, minutes));
        Duration relaxed = Duration.ofNanos(nanos);
        if (relaxed.compareTo(LEARNED_FLOOR) < 0) {
            state.learned = Duration.ZERO;
            return Duration.ZERO;
        }
        return relaxed;
    }

    /** Number of keys with state, for tests: silent keys must not accumulate. */
    int keysHeld() {
        return queue.keysHeld();
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    /** The budget the queue hands turns out by: the calls in the window, the learned spacing and the pause. */
    private final class Budget implements TurnQueue.Rule<Key> {

        /**
         * When the next call under the key fits the budget: at most {@code limit} calls in the last period, and
         * no stretch of the window ending now holding more than {@code burst + rate × its length} (a token
         * bucket read off the window's calls), then the learned spacing and the pause.
         */
        @Override
        public Instant nextFree(String key, Key state, Instant now, boolean finalEdit) {
            List<Instant> calls = window.calls(key, period, now);
            int n = calls.size();
            Instant free = now;
            if (n >= limit) {
                free = later(free, calls.get(n - limit).plus(period));
            }
            // A final edit only needs room in the whole window: the smoothing paces the live edits of a busy
            // key, and an answer's last call takes nothing from anyone's future.
            if (!finalEdit) {
                for (int i = n - 1; i >= 0; i--) {
                    int count = n - i; // calls in [calls[i], now]
                    double over = count + 1 - burst;
                    if (over > 0) {
                        free = later(free, calls.get(i).plusNanos((long) (over * nanosPerCall)));
                    }
                }
            }
            Duration spacing = learned(state, now);
            if (!spacing.isZero() && state.lastSpend != null) {
                free = later(free, state.lastSpend.plus(spacing));
            }
            return later(free, state.pausedUntil);
        }

        @Override
        public void take(String key, Key state, Instant now) {
            window.record(key, now);
            state.previousSpend = state.lastSpend;
            state.lastSpend = now;
        }

        @Override
        public void settle(String key, Key state, Instant now) {
            // The calls themselves live in the RateWindow; this state only matters while someone waits, a
            // pause or a learned spacing holds, or a timer is armed.
            if (!state.nobodyWaiting() || state.pausedUntil.isAfter(now) || state.timerArmed()
                    || !learned(state, now).isZero()) {
                return;
            }
            // A 429 for the last call may still come back: keep its time until that is unlikely.
            Instant keepUntil = state.lastSpend == null ? now : state.lastSpend.plus(LEARNED_MAX);
            if (keepUntil.isAfter(now)) {
                queue.arm(key, state, keepUntil, now);
                return;
            }
            queue.forget(key);
        }
    }
}
