package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The calls made under a key in a sliding window: how full the last {@code window} really is. The
 * {@link SlidingWindowPacer} reads it before every turn and records each call; the in-process implementation
 * serves one bot, and a shared one (e.g. a Redis sorted set per key: {@code ZRANGEBYSCORE} over the window,
 * {@code ZADD} to record, {@code ZREMRANGEBYSCORE} to trim) lets several instances spend one workspace's budget
 * together.
 */
public interface RateWindow {

    /** The times of the calls under {@code key} in {@code (now - window, now]}, oldest first. */
    List<Instant> calls(String key, Duration window, Instant now);

    /** Records one call under {@code key} at {@code now}. */
    void record(String key, Instant now);

    /**
     * How long until one more call fits {@code limit} calls per {@code window} under {@code key} (zero when
     * it fits now, and then the call is recorded).
     */
    default Duration tryAcquire(String key, int limit, Duration window, Instant now) {
        List<Instant> calls = calls(key, window, now);
        if (calls.size() < limit) {
            record(key, now);
            return Duration.ZERO;
        }
        // The call that must age out first: the (size - limit + 1)-th oldest.
        return Duration.between(now, calls.get(calls.size() - limit).plus(window));
    }

    /** A window kept in this process, keeping each key's calls for {@code retention} (the longest window asked). */
    static RateWindow inProcess(Duration retention) {
        return new InProcessRateWindow(retention);
    }
}
