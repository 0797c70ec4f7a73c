package dev.geminibot.core.reply;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Time for everything that waits: the clock and delayed tasks. Injected so tests run on a virtual clock
 * and never sleep.
 */
public interface Scheduler {

    /** The current time. */
    Instant now();

    /**
     * Runs {@code task} once after {@code delay} (at once for zero or negative). Tasks must be short
     * and must not block.
     *
     * @return cancels the task if it has not started; harmless afterwards
     */
    Runnable schedule(Duration delay, Runnable task);

    /**
     * This scheduler's time as Caffeine's {@link Ticker} (nanoseconds), so caches expire on the same clock
     * (the virtual one in tests).
     */
    default Ticker ticker() {
        return () -> {
            Instant now = now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** This scheduler's time as a {@link Clock} in UTC, for code that takes a {@code java.time} clock. */
    default Clock clock() {
        return new SchedulerClock(this, ZoneOffset.UTC);
    }

    /** A {@link Clock} reading a {@link Scheduler}. */
    final class SchedulerClock extends Clock {
        private final Scheduler scheduler;
        private final ZoneId zone;

        SchedulerClock(Scheduler scheduler, ZoneId zone) {
            this.scheduler = scheduler;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new SchedulerClock(scheduler, newZone);
        }

        @Override
        public Instant instant() {
            return scheduler.now();
        }
    }

    /** The real clock, with one daemon thread for timers. */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }

    /** The wall-clock scheduler; one timer thread serves the whole process. */
    final class SystemScheduler implements Scheduler {
        static final SystemScheduler INSTANCE = new SystemScheduler();

        private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "reply-timer");
            thread.setDaemon(true);
            return thread;
        });

        private SystemScheduler() {
            // Replies cancel most of their timers (a grace period their reader ended early, a reset): a
            // cancelled timer left queued would still wake this thread when it was due.
            timer.setRemoveOnCancelPolicy(true);
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public Ticker ticker() {
            return Ticker.systemTicker(); // monotonic, unlike the wall clock
        }

        @Override
        public Runnable schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> future = timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    }
}
