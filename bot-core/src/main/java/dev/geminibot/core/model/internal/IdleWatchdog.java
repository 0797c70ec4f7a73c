package dev.geminibot.core.model.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread that enforces the idle timeout of every open model stream in the process, instead of
 * OkHttp's read timeout. A read timeout costs every socket read two timers (a timed park of the reading
 * virtual thread and an okio {@code AsyncTimeout} entry in a queue shared by all streams): 12-14 % of
 * the bot's CPU per delta in the scale benchmark (docs/BENCHMARKS.md). Here a read only stamps the time
 * it started waiting, and this thread looks at those stamps a few times per timeout.
 *
 * <p>Semantics, as a read timeout's: a stream is expired when one read has waited at least its idle
 * timeout (a silence shorter than the timeout always survives); it is noticed within a quarter of the
 * timeout more (at most {@link #MAX_PERIOD_NANOS} for long timeouts). Time the consumer spends between
 * reads does not count. It also ends holds of paced reads that their consumer forgot to end, as late: so a
 * hold needs no timer of its own. Thread-safe.
 */
final class IdleWatchdog {
    static final IdleWatchdog SHARED = new IdleWatchdog();

    static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What the watchdog watches: one HTTP attempt of a stream. */
    interface Watched {
        /** {@link System#nanoTime()} when the current read started waiting, or 0 when not in a read. */
        long waitingSince();

        long idleTimeoutNanos();

        /** Called once, on the watchdog's thread, when a read waited for the whole idle timeout. */
        void expire();

        /**
         * {@link System#nanoTime()} after which a hold of the stream's reads (see {@code ReadPacing}) must end
         * even if its consumer never woke it, or 0 when not holding. A guard only: the consumer ends holds.
         */
        default long holdDeadline() {
            return 0;
        }

        /** Called on the watchdog's thread when a hold outlived its deadline: wakes the holding thread. */
        default void endHold() {
        }
    }

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final Object startLock = new Object();
    private Thread thread;
    /** How long the thread sleeps between sweeps, as last computed; read by {@link #watch}. */
    private volatile long period = MAX_PERIOD_NANOS;

    void watch(Watched attempt) {
        watched.add(attempt);
        Thread sweeper = started();
        if (periodFor(attempt) < period) {
            LockSupport.unpark(sweeper); // sweep sooner than planned
        }
    }

    void unwatch(Watched attempt) {
        watched.remove(attempt);
    }

    int size() {
        return watched.size();
    }

    private Thread started() {
        synchronized (startLock) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("model-idle-watchdog").start(this::run);
            }
            return thread;
        }
    }

    private static long periodFor(Watched attempt) {
        return Math.clamp(attempt.idleTimeoutNanos() / 4, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
    }

    private void run() {
        while (true) {
            long next = sweep(System.nanoTime());
            if (watched.isEmpty()) {
                // Set before looking again, so that a watch() racing with this either is seen here or sees
                // this and wakes the thread: any period is shorter than "never" (a 120 s timeout's period of
                // 1 s was not shorter than the last one, so a stream after a quiet spell went unwatched).
                period = Long.MAX_VALUE;
                if (watched.isEmpty()) {
                    LockSupport.park(this); // watch() unparks
                    continue;
                }
            }
            period = next;
            LockSupport.parkNanos(this, next);
        }
    }

    /** Expires what waited too long; returns the time until the next sweep. */
    long sweep(long now) {
        long next = MAX_PERIOD_NANOS;
        for (Watched attempt : watched) {
            long hold = attempt.holdDeadline();
            if (hold != 0 && now - hold >= 0) {
                attempt.endHold();
            }
            long since = attempt.waitingSince();
            if (since != 0 && now - since >= attempt.idleTimeoutNanos()) {
                watched.remove(attempt);
                try {
                    attempt.expire();
                } catch (RuntimeException e) {
                    // A cancel that throws must not stop the watchdog for every other stream.
                    Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                }
            } else {
                next = Math.min(next, periodFor(attempt));
            }
        }
        return next;
    }
}
