package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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

    /** The real clock, with one daemon thread for timers. */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }

    /** The wall-clock scheduler; one timer thread serves the whole process. */
    final class SystemScheduler implements Scheduler {
        static final SystemScheduler INSTANCE = new SystemScheduler();

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "reply-timer");
            thread.setDaemon(true);
            return thread;
        });

        private SystemScheduler() {
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public Runnable schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> future = timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    }
}
