package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * An {@link EditPacer} with one bucket of {@code capacity} tokens per key, where each token comes back one
 * {@code period} after it was spent. A large budget allows a burst of a quarter of its tokens; after that
 * (and always for a small budget) turns are spaced {@code period / (capacity - burst)} apart. So no
 * key ever sees more than {@code capacity} turns in any window of {@code period} (calls that skip the line
 * via {@link #spend} may exceed it, and the line waits them out). The spacing hands out turns one at a
 * time, so an answer that asks again right after its turn queues behind those already waiting (strict
 * round-robin), and a per-minute budget such as Slack's is spread over the minute instead of being burnt
 * in the first seconds. Waiting callers get turns first come, first served; a 429 pauses the whole key.
 *
 * <p>Turns are handed out by a {@link TurnQueue}: on the {@link Scheduler}'s timer, or on the asking thread
 * when a token is free and nobody is waiting. No lock is held while {@code onTurn} runs. A key's state is dropped once it has
 * nobody waiting and no token out, so channels that fall silent cost nothing.
 */
public final class TokenBucketPacer implements EditPacer {

    private final Scheduler scheduler;
    private final int capacity;
    private final Duration period;
    private final Duration spacing;
    private final int burst;
    private final Tokens tokens = new Tokens();
    private final TurnQueue<Bucket> queue;

    public TokenBucketPacer(Scheduler scheduler, int capacity, Duration period) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.capacity = capacity;
        this.period = period;
        // A quarter of a large budget (Slack's 50/min) may go at the callers' own pace; after that, turns are
        // spaced so that the rest of the window's budget lasts the whole window: burst + (capacity - burst)
        // spaced turns fit one period, so a window never fills up and a busy key never stalls waiting for
        // its oldest tokens. A small budget (Discord's 5 per 5 s) is spaced evenly from the first turn.
        this.burst = capacity >= 10 ? capacity / 4 : 0;
        this.spacing = period.dividedBy(capacity - burst);
        this.queue = new TurnQueue<>(scheduler, Bucket::new, tokens);
    }

    /** Discord: message edits in one channel share a bucket of about 5 per 5 seconds. */
    public static TokenBucketPacer discord(Scheduler scheduler) {
        return new TokenBucketPacer(scheduler, 5, Duration.ofSeconds(5));
    }

    /** Slack: {@code chat.update} is Tier 3, about 50 per minute per workspace. */
    public static TokenBucketPacer slack(Scheduler scheduler) {
        return new TokenBucketPacer(scheduler, 50, Duration.ofSeconds(60));
    }

    /** A key's waiters and pause (in {@link TurnQueue.Waiting}) and its spent tokens. */
    private static final class Bucket extends TurnQueue.Waiting {
        final ArrayDeque<Instant> spent = new ArrayDeque<>(); // the last `capacity` spends, oldest first
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
        queue.update(key, bucket -> {
            Instant until = scheduler.now().plus(retryAfter);
            if (until.isAfter(bucket.pausedUntil)) {
                bucket.pausedUntil = until;
            }
            tokens.settle(key, bucket, scheduler.now());
        });
    }

    @Override
    public Instant pausedUntil(String key) {
        return queue.pausedUntil(key);
    }

    /** Number of keys with state, for tests: silent keys must not accumulate. */
    int keysHeld() {
        return queue.keysHeld();
    }

    /** The budget the queue hands turns out by: a key's tokens, their spacing and the pause. */
    private final class Tokens implements TurnQueue.Rule<Bucket> {

        @Override
        public Instant nextFree(String key, Bucket bucket, Instant now, boolean finalEdit) {
            Instant free = bucket.spent.size() < capacity ? now : bucket.spent.peekFirst().plus(period);
            // Spacing starts once the burst of the current window is spent: a short answer alone on the key
            // edits at its own interval, and only a long or crowded stretch is spread over the period.
            // After a 429 the platform's own bucket is empty: no burst for a period after the pause.
            // A final edit needs only a token: the spacing keeps the live edits of a busy key from
            // emptying its window, and an answer's last call takes nothing from anyone's future.
            boolean spaced = !finalEdit
                    && (spentWithin(bucket, now) >= burst || now.isBefore(bucket.pausedUntil.plus(period)));
            if (spaced && !bucket.spent.isEmpty() && bucket.spent.peekLast().plus(spacing).isAfter(free)) {
                free = bucket.spent.peekLast().plus(spacing);
            }
            if (bucket.pausedUntil.isAfter(free)) {
                free = bucket.pausedUntil;
            }
            return free.isBefore(now) ? now : free;
        }

        @Override
        public void take(String key, Bucket bucket, Instant now) {
            bucket.spent.addLast(now);
            while (bucket.spent.size() > capacity) {
                bucket.spent.pollFirst();
            }
        }

        @Override
        public void withdrawn(String key, Bucket bucket, Instant now) {
            forgetIfIdle(key, bucket, now); // no new timer: the one armed for the waiters still looks again
        }

        /** With nobody waiting: forget the key now if it is idle, or look again once its tokens are back. */
        @Override
        public void settle(String key, Bucket bucket, Instant now) {
            forgetIfIdle(key, bucket, scheduler.now());
            if (queue.holds(key, bucket) && bucket.nobodyWaiting()) {
                Instant idleAt = bucket.spent.isEmpty() ? now : bucket.spent.peekLast().plus(period);
                if (bucket.pausedUntil.isAfter(idleAt)) {
                    idleAt = bucket.pausedUntil;
                }
                if (idleAt.isAfter(now)) {
                    queue.arm(key, bucket, idleAt, now);
                }
            }
        }

        private int spentWithin(Bucket bucket, Instant now) {
            Instant windowStart = now.minus(period);
            int count = 0;
            for (Instant at : bucket.spent) {
                if (at.isAfter(windowStart)) {
                    count++;
                }
            }
            return count;
        }

        private void forgetIfIdle(String key, Bucket bucket, Instant now) {
            boolean tokensBack = bucket.spent.isEmpty() || !bucket.spent.peekLast().plus(period).isAfter(now);
            if (bucket.nobodyWaiting() && tokensBack && !bucket.pausedUntil.isAfter(now) && !bucket.timerArmed()) {
                queue.forget(key);
            }
        }
    }
}
