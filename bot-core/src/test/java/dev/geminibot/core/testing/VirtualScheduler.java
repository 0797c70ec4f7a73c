package dev.geminibot.core.testing;

import dev.geminibot.core.reply.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on a virtual clock: time moves only when a test says so, and tasks run in time
 * order (then in the order they were scheduled) on the thread that calls {@link #advance} or
 * {@link #runUntilIdle}. {@link #schedule} never runs a task inline, even with zero delay. Thread-safe,
 * so code under test may schedule from other threads.
 */
public final class VirtualScheduler implements Scheduler {

    /** An arbitrary, fixed origin so runs are reproducible. */
    public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    private static final int MAX_TASKS_PER_RUN = 5_000_000;

    private record Task(Instant at, long sequence, Runnable body, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
        int byTime = a.at().compareTo(b.at());
        return byTime != 0 ? byTime : Long.compare(a.sequence(), b.sequence());
    });
    private Instant now = EPOCH;
    private long sequence;

    @Override
    public synchronized Instant now() {
        return now;
    }

    /** Time passed since {@link #EPOCH}. */
    public synchronized Duration elapsed() {
        return Duration.between(EPOCH, now);
    }

    @Override
    public synchronized Runnable schedule(Duration delay, Runnable task) {
        Instant at = delay.isNegative() ? now : now.plus(delay);
        boolean[] cancelled = {false};
        queue.add(new Task(at, sequence++, task, cancelled));
        return () -> {
            synchronized (this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves the clock forward by {@code duration}, running every task due on the way at its own time. */
    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        runWhileDue(target);
        synchronized (this) {
            if (now.isBefore(target)) {
                now = target;
            }
        }
    }

    /** Moves the clock to {@code instant} (if it is later), running every task due on the way. */
    public void advanceTo(Instant instant) {
        Duration gap;
        synchronized (this) {
            gap = Duration.between(now, instant);
        }
        if (!gap.isNegative()) {
            advance(gap);
        }
    }

    /** Runs tasks in time order, moving the clock to each, until none is left. */
    public void runUntilIdle() {
        runWhileDue(Instant.MAX);
    }

    /** True if a task (not cancelled) is waiting. */
    public synchronized boolean hasPending() {
        return queue.stream().anyMatch(t -> !t.cancelled()[0]);
    }

    /** When the next task (not cancelled) is due, or null. */
    public synchronized Instant nextDue() {
        return queue.stream().filter(t -> !t.cancelled()[0]).map(Task::at).min(Instant::compareTo).orElse(null);
    }

    private void runWhileDue(Instant limit) {
        for (int ran = 0; ; ran++) {
            if (ran > MAX_TASKS_PER_RUN) {
                throw new IllegalStateException("more than " + MAX_TASKS_PER_RUN + " tasks: a timer loop?");
            }
            Task task;
            synchronized (this) {
                task = queue.peek();
                if (task == null || task.at().isAfter(limit)) {
                    return;
                }
                queue.poll();
                if (task.cancelled()[0]) {
                    continue;
                }
                if (task.at().isAfter(now)) {
                    now = task.at();
                }
            }
            task.body().run();
        }
    }
}
