package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RateWindow} in memory: the times of each key's calls of the last {@code retention}, oldest
 * first. A key whose calls have all aged out is forgotten, so silent channels cost nothing. Thread-safe.
 */
final class InProcessRateWindow implements RateWindow {

    private final Duration retention;
    private static final int SWEEP_EVERY = 256;

    private final Map<String, ArrayDeque<Instant>> calls = new HashMap<>();
    private long records;

    InProcessRateWindow(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        this.retention = retention;
    }

    @Override
    public synchronized List<Instant> calls(String key, Duration window, Instant now) {
        ArrayDeque<Instant> times = prune(key, now);
        if (times == null) {
            return List.of();
        }
        Instant from = now.minus(window);
        List<Instant> inWindow = new ArrayList<>(times.size());
        for (Instant at : times) {
            if (at.isAfter(from)) {
                inWindow.add(at);
            }
        }
        return inWindow;
    }

    @Override
    public synchronized void record(String key, Instant now) {
        calls.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
        if (++records % SWEEP_EVERY == 0) {
            sweep(now); // keys nobody asks about again are dropped here
        }
    }

    /** Number of keys still holding calls at {@code now}, for tests: silent keys must not accumulate. */
    synchronized int keysHeld(Instant now) {
        sweep(now);
        return calls.size();
    }

    private void sweep(Instant now) {
        for (String key : List.copyOf(calls.keySet())) {
            prune(key, now);
        }
    }

    private ArrayDeque<Instant> prune(String key, Instant now) {
        ArrayDeque<Instant> times = calls.get(key);
        if (times == null) {
            return null;
        }
        Instant oldest = now.minus(retention);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
            times.pollFirst();
        }
        if (times.isEmpty()) {
            calls.remove(key);
            return null;
        }
        return times;
    }
}
