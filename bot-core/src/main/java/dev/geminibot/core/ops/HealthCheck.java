package dev.geminibot.core.ops;

/**
 * Something whose readiness {@code /readyz} reports: a platform connection, the state backend. Adapters
 * and stores implement it; the operations listener asks each one on every probe.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * The component's readiness now. Called from the listener's threads, concurrently with everything
     * else; must return within a fraction of a second (no network round trip that can hang) and never throw.
     */
    Health check();
}
