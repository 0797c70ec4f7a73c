package dev.geminibot.app.ops;

import dev.geminibot.core.ops.Health;
import dev.geminibot.core.ops.HealthCheck;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The components {@code /readyz} reports, by name ({@code discord}, {@code slack}, {@code state}): only
 * those configured are registered. A platform is registered as DOWN ("starting") before it connects and
 * its own check replaces that once it has started. Ready means every component is UP and the bot is not
 * shutting down.
 */
public final class Readiness {
    private final Map<String, HealthCheck> components = new ConcurrentSkipListMap<>();
    private volatile boolean stopping;

    /** Adds {@code name}, or replaces its check. */
    public void register(String name, HealthCheck check) {
        components.put(name, check);
    }

    /** From now on the bot is not ready: it is finishing its answers before it exits. */
    public void stopping() {
        stopping = true;
    }

    /** Every component's health now, in name order; a check that throws counts as DOWN. */
    public Map<String, Health> components() {
        Map<String, Health> now = new java.util.LinkedHashMap<>();
        components.forEach((name, check) -> now.put(name, safely(check)));
        return now;
    }

    /** Whether the bot is ready, given {@code components}. */
    public boolean ready(Map<String, Health> components) {
        return !stopping && components.values().stream().allMatch(Health::isUp);
    }

    boolean isStopping() {
        return stopping;
    }

    private static Health safely(HealthCheck check) {
        try {
            Health health = check.check();
            return health == null ? Health.down("no answer") : health;
        } catch (RuntimeException e) {
            return Health.down("check failed: " + e.getClass().getSimpleName());
        }
    }
}
