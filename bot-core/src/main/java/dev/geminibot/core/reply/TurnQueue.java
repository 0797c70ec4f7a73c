package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The waiting side of an {@link EditPacer}, shared by its budgets: per key, a line of callers and a priority
 * line for final edits, served first come, first served; at most one timer per key that looks again when the
 * next turn is due; and the keys' state, which a {@link Rule} forgets once idle. The rule decides when the
 * next turn under a key may go and what a turn costs; this queue hands the turns out.
 *
 * <p>Turns run on the asking thread or the {@link Scheduler}'s timer, never under the lock. The rule and the
 * {@code update} callbacks run under the lock. Thread-safe.
 *
 * @param <S> a key's state: its waiters and pause plus what the rule counts
 */
final class TurnQueue<S extends TurnQueue.Waiting> {

    /** A pacer's budget. Every method is called with the queue's lock held. */
    interface Rule<S> {

        /** When the next waiter under the key may go; {@code finalEdit} when a final edit is first in line. */
        Instant nextFree(String key, S state, Instant now, boolean finalEdit);

        /** A turn was handed out, or a call skipped the line, at {@code now}: spend it from the budget. */
        void take(String key, S state, Instant now);

        /**
         * After a dispatch that left nobody waiting, or a call that skipped the line: if nobody waits, forget
         * the key when it is idle, or arm a timer to look again. Does nothing while someone waits.
         */
        void settle(String key, S state, Instant now);

        /** A caller withdrew its request (others may still wait): by default as {@link #settle}. */
        default void withdrawn(String key, S state, Instant now) {
            settle(key, state, now);
        }
    }

    /**
     * A key's waiters, 429 pause and timer; a pacer extends it with what its rule counts. The lines and the
     * timer belong to the queue (not private only because the queue reaches them through its type variable).
     */
    static class Waiting {
        final ArrayDeque<Runnable> line = new ArrayDeque<>();
        final ArrayDeque<Runnable> priority = new ArrayDeque<>(); // final edits: served before the line
        /** Changed under the queue's lock; read without it by {@link TurnQueue#pausedUntil}. */
        volatile Instant pausedUntil = Instant.MIN;
        Instant timerAt;

        final boolean nobodyWaiting() {
            return priority.isEmpty() && line.isEmpty();
        }

        /** Whether a timer will look at the key again. */
        final boolean timerArmed() {
            return timerAt != null;
        }

        final Runnable nextWaiting() {
            return priority.isEmpty() ? line.pollFirst() : priority.pollFirst();
        }
    }

    private final Scheduler scheduler;
    private final Supplier<S> newState;
    private final Rule<S> rule;
    /** Changed under its own lock; read without it by {@link #pausedUntil}, which every reply step asks. */
    private final Map<String, S> keys = new ConcurrentHashMap<>();

    TurnQueue(Scheduler scheduler, Supplier<S> newState, Rule<S> rule) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.newState = Objects.requireNonNull(newState, "newState");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /**
     * Queues {@code onTurn} under the key, ahead of the line if {@code first} (behind earlier priority
     * requests); with no key it runs at once. As {@link EditPacer#request}.
     */
    Runnable request(String key, Runnable onTurn, boolean first) {
        Objects.requireNonNull(onTurn, "onTurn");
        if (key == null) {
            onTurn.run();
            return () -> { };
        }
        Runnable waiter = onTurn::run; // its own object, so withdrawing removes exactly this request
        List<Runnable> turns;
        synchronized (keys) {
            S state = keys.computeIfAbsent(key, k -> newState.get());
            (first ? state.priority : state.line).addLast(waiter);
            turns = dispatch(key, state);
        }
        turns.forEach(Runnable::run);
        return () -> {
            synchronized (keys) {
                S state = keys.get(key);
                if (state != null) {
                    state.line.removeIf(w -> w == waiter);
                    state.priority.removeIf(w -> w == waiter);
                    rule.withdrawn(key, state, scheduler.now());
                }
            }
        };
    }

    /** Spends a call made under the key without waiting its turn. As {@link EditPacer#spend}. */
    void spend(String key) {
        update(key, state -> {
            rule.take(key, state, scheduler.now());
            rule.settle(key, state, scheduler.now());
        });
    }

    /** Runs {@code change} under the lock on the key's state, made if absent; nothing for no key. */
    void update(String key, Consumer<S> change) {
        if (key == null) {
            return;
        }
        synchronized (keys) {
            change.accept(keys.computeIfAbsent(key, k -> newState.get()));
        }
    }

    /** As {@link EditPacer#pausedUntil}; takes no lock. */
    Instant pausedUntil(String key) {
        if (key == null) {
            return Instant.MIN;
        }
        S state = keys.get(key); // no lock: a concurrent map and a volatile field
        return state == null ? Instant.MIN : state.pausedUntil;
    }

    /** Number of keys with state, for tests: silent keys must not accumulate. */
    int keysHeld() {
        synchronized (keys) {
            return keys.size();
        }
    }

    /**
     * Hands out every turn that is due now and arms a timer for the next one; the caller holds the lock (from
     * {@link #update} or the rule) and runs the returned turns once it has let go of it.
     */
    List<Runnable> dispatch(String key, S state) {
        List<Runnable> turns = new ArrayList<>();
        Instant now = scheduler.now();
        while (!state.nobodyWaiting()) {
            Instant next = rule.nextFree(key, state, now, !state.priority.isEmpty());
            if (next.isAfter(now)) {
                arm(key, state, next, now);
                break;
            }
            turns.add(state.nextWaiting());
            rule.take(key, state, now);
        }
        if (state.nobodyWaiting()) {
            rule.settle(key, state, now);
        }
        return turns;
    }

    /** Looks at the key again at {@code at}, unless an earlier timer will. Caller holds the lock. */
    void arm(String key, S state, Instant at, Instant now) {
        if (state.timerAt != null && !state.timerAt.isAfter(at)) {
            return; // an earlier timer will look again
        }
        state.timerAt = at;
        scheduler.schedule(Duration.between(now, at), () -> {
            List<Runnable> turns;
            synchronized (keys) {
                S current = keys.get(key);
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

    /** Whether {@code state} is still the key's. Caller holds the lock. */
    boolean holds(String key, S state) {
        return keys.get(key) == state;
    }

    /** Drops the key's state. Caller holds the lock. */
    void forget(String key) {
        keys.remove(key);
    }
}
