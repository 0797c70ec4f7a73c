package dev.geminibot.core.state;

import dev.geminibot.core.reply.RateWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The reply pacer's {@link RateWindow} kept in the {@link StateStore}, so instances that share a store
 * (Redis) spend one budget together, e.g. a Slack workspace's {@code chat.update} calls. During a store
 * outage the store answers from this process's own window.
 */
public final class StoreRateWindow implements RateWindow {
    private final StateStore store;
    private final Duration retention;

    /** @param retention how long calls are kept: the longest window that is read */
    public StoreRateWindow(StateStore store, Duration retention) {
        this.store = store;
        this.retention = retention;
    }

    @Override
    public List<Instant> calls(String key, Duration window, Instant now) {
        return store.callsInWindow("pacer:" + key, window, now);
    }

    @Override
    public void record(String key, Instant now) {
        store.recordCall("pacer:" + key, now, retention);
    }
}
