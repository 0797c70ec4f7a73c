package dev.geminibot.bench;

import java.time.Duration;

/**
 * What a fake chat platform is like: how long a call takes, and the rate limit on edits that share a key.
 *
 * @param name          shown in tables
 * @param minLatency    fastest call
 * @param maxLatency    slowest call (uniformly distributed in between, seeded)
 * @param editCapacity  edits allowed per key in one window; 0 for no limit
 * @param editWindow    the window: it opens with the first edit after the previous one closed, and a 429
 *                      says Retry-After = the time until it closes (Discord's bucket reset semantics)
 * @param maxLength     longest message
 * @param interval      the edit interval our bot uses by default on this platform
 * @param family        which platform's budget the bot plans with: {@code discord}, {@code slack} or {@code none}
 */
record PlatformModel(String name, Duration minLatency, Duration maxLatency, int editCapacity, Duration editWindow,
                     int maxLength, Duration interval, String family) {

    /** Discord: about 5 message edits per 5 s per channel, 60-140 ms per call, 1 s interval. */
    static PlatformModel discord() {
        return new PlatformModel("discord 5/5s per channel", Duration.ofMillis(60), Duration.ofMillis(140), 5,
                Duration.ofSeconds(5), 2000, Duration.ofSeconds(1), "discord");
    }

    /** Slack: chat.update Tier 3, about 50 per minute per workspace, 80-200 ms per call, 500 ms interval. */
    static PlatformModel slack() {
        return new PlatformModel("slack tier3 50/min per workspace", Duration.ofMillis(80), Duration.ofMillis(200),
                50, Duration.ofSeconds(60), 4000, Duration.ofMillis(500), "slack");
    }

    /**
     * Slack as a local fake answers (5-15 ms, no limit enforced): the bot still plans with the 50-per-minute
     * budget, so what shows is the pacer's own caution.
     */
    static PlatformModel slackUnlimited() {
        return new PlatformModel("slack fake: no limit enforced, 5-15 ms", Duration.ofMillis(5), Duration.ofMillis(15), 0,
                Duration.ZERO, 4000, Duration.ofMillis(500), "slack");
    }

    /** A Slack that allows one chat.update per 3 s per workspace (and says so with 429s). */
    static PlatformModel slackStrict() {
        return new PlatformModel("slack 1 update/3s per workspace", Duration.ofMillis(80), Duration.ofMillis(200), 1,
                Duration.ofSeconds(3), 4000, Duration.ofMillis(500), "slack");
    }

    /** A platform with no limit and 5-15 ms calls, 500 ms interval. */
    static PlatformModel fast() {
        return new PlatformModel("fast (no limit, 5-15 ms)", Duration.ofMillis(5), Duration.ofMillis(15), 0,
                Duration.ZERO, 4000, Duration.ofMillis(500), "none");
    }

    boolean limited() {
        return editCapacity > 0;
    }
}
