package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>Turns are handed out on the {@link Scheduler}'s timer, or on the asking thread when a token is free
 * and nobody is waiting. No lock is held while {@code onTurn} runs. A key's state is dropped once it has
 * nobody waiting and no token out, so channels that fall silent cost nothing.
 */
public final class TokenBucketPacer implements EditPacer {

    private final Scheduler scheduler;
    private final int capacity;
    private final Duration period;
    private final Duration spacing;
    private final int burst;
    /** Changed under its own lock; read without it by {@link #pausedUntil}, which every reply step asks. */
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

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
    }

    /** Discord: message edits in one channel share a bucket of about 5 per 5 seconds. */
    public static TokenBucketPacer discord(Scheduler scheduler) {
        return new TokenBucketPacer(scheduler, 5, Duration.ofSeconds(5));
    }

    /** Slack: {@code chat.update} is Tier 3, about 50 per minute per workspace. */
    public static TokenBucketPacer slack(Scheduler scheduler) {
        return new TokenBucketPacer(scheduler, 50, Duration.ofSeconds(60));
    }

    private static final class Bucket {
        final ArrayDeque<Instant> spent = new ArrayDeque<>(); // the last `capacity` spends, oldest first
        final ArrayDeque<Runnable> line = new ArrayDeque<>();
        final ArrayDeque<Runnable> priority = new ArrayDeque<>(); // final edits: served before the line

        boolean nobodyWaiting() {
            return priority.isEmpty() && line.isEmpty();
        }

        Runnable nextWaiting() {
            return priority.isEmpty() ? line.pollFirst() : priority.pollFirst();
        }
        volatile Instant pausedUntil = Instant.MIN;
        Instant timerAt;
    }

    @Override
    public Runnable request(String key, Runnable onTurn) {
        return enqueue(key, onTurn, false);
    }

    @Override
    public Runnable requestFirst(String key, Runnable onTurn) {
        return enqueue(key, onTurn, true);
    }

    private Runnable enqueue(String key, Runnable onTurn, boolean first) {
        Objects.requireNonNull(onTurn, "onTurn");
        if (key == null) {
            onTurn.run();
            return () -> { };
        }
        // Each request is its own object so that withdrawing it removes exactly this one.
        Runnable waiter = onTurn::run;
        List<Runnable> turns;
        synchronized (buckets) {
            Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket());
            // Priority requests go behind earlier priority requests, ahead of every ordinary one.
            (first ? bucket.priority : bucket.line).addLast(waiter);
            turns = dispatch(key, bucket);
        }
        turns.forEach(Runnable::run);
        return () -> {
            synchronized (buckets) {
                Bucket bucket = buckets.get(key);
                if (bucket != null) {
                    bucket.line.removeIf(w -> w == waiter);
                    bucket.priority.removeIf(w -> w == waiter);
                    forgetIfIdle(key, bucket);
                }
            }
        };
    }

    @Override
    public void spend(String key) {
        if (key == null) {
            return;
        }
        synchronized (buckets) {
            Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket());
            take(bucket, scheduler.now());
            settle(key, bucket, scheduler.now());
        }
    }

    @Override
    public void rateLimited(String key, Duration retryAfter) {
        if (key == null) {
            return;
        }
        synchronized (buckets) {
            Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket());
            Instant until = scheduler.now().plus(retryAfter);
            if (until.isAfter(bucket.pausedUntil)) {
                bucket.pausedUntil = until;
            }
            settle(key, bucket, scheduler.now());
        }
    }

    @Override
    public Instant pausedUntil(String key) {
        if (key == null) {
            return Instant.MIN;
        }
        Bucket bucket = buckets.get(key); // no lock: a concurrent map and a volatile field
        return bucket == null ? Instant.MIN : bucket.pausedUntil;
    }

    /** Number of keys with state, for tests: silent keys must not accumulate. */
    int keysHeld() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    /** Hands out every turn that is due now and arms a timer for the next one. Caller holds the lock. */
    private List<Runnable> dispatch(String key, Bucket bucket) {
        List<Runnable> turns = new ArrayList<>();
        Instant now = scheduler.now();
        while (!bucket.nobodyWaiting()) {
            // A final edit needs only a token: the spacing keeps the live edits of a busy key from
            // emptying its window, and an answer's last call takes nothing from anyone's future.
            Instant next = nextFree(bucket, now, bucket.priority.isEmpty());
            if (next.isAfter(now)) {
                arm(key, bucket, next, now);
                break;
            }
            turns.add(bucket.nextWaiting());
            take(bucket, now);
        }
        if (bucket.nobodyWaiting()) {
            settle(key, bucket, now);
        }
        return turns;
    }

    /** With nobody waiting: forget the key now if it is idle, or look again once its tokens are back. */
    private void settle(String key, Bucket bucket, Instant now) {
        forgetIfIdle(key, bucket);
        if (buckets.get(key) == bucket && bucket.nobodyWaiting()) {
            Instant idleAt = bucket.spent.isEmpty() ? now : bucket.spent.peekLast().plus(period);
            if (bucket.pausedUntil.isAfter(idleAt)) {
                idleAt = bucket.pausedUntil;
            }
            if (idleAt.isAfter(now)) {
                arm(key, bucket, idleAt, now);
            }
        }
    }

    private Instant nextFree(Bucket bucket, Instant now, boolean spacedTurn) {
        Instant free = bucket.spent.size() < capacity ? now : bucket.spent.peekFirst().plus(period);
        // Spacing starts once the burst of the current window is spent: a short answer alone on the key
        // edits at its own interval, and only a long or crowded stretch is spread over the period.
        // After a 429 the platform's own bucket is empty: no burst for a period after the pause.
        boolean spaced = spacedTurn
                && (spentWithin(bucket, now) >= burst || now.isBefore(bucket.pausedUntil.plus(period)));
        if (spaced && !bucket.spent.isEmpty() && bucket.spent.peekLast().plus(spacing).isAfter(free)) {
            free = bucket.spent.peekLast().plus(spacing);
        }
        if (bucket.pausedUntil.isAfter(free)) {
            free = bucket.pausedUntil;
        }
        return free.isBefore(now) ? now : free;
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

    private void take(Bucket bucket, Instant now) {
        bucket.spent.addLast(now);
        while (bucket.spent.size() > capacity) {
            bucket.spent.pollFirst();
        }
    }

    private void arm(String key, Bucket bucket, Instant at, Instant now) {
        if (bucket.timerAt != null && !bucket.timerAt.isAfter(at)) {
            return; // an earlier timer will look again
        }
        bucket.timerAt = at;
        scheduler.schedule(Duration.between(now, at), () -> {
            List<Runnable> turns;
            synchronized (buckets) {
                Bucket current = buckets.get(key);
                if (current == null) {
                    return;
                }
                if (current.timerAt != null && current.timerAt.equals(at)) {
                    current.timerAt = null;
                }
                turns = dispatch(key, current);
            }
            turns.forEach(Runnable::run);
        });
    }

    private void forgetIfIdle(String key, Bucket bucket) {
        Instant now = scheduler.now();
        boolean tokensBack = bucket.spent.isEmpty() || !bucket.spent.peekLast().plus(period).isAfter(now);
        if (bucket.nobodyWaiting() && tokensBack && !bucket.pausedUntil.isAfter(now) && bucket.timerAt == null) {
            buckets.remove(key);
        }
    }
}
