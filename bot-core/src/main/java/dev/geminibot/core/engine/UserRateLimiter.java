package dev.geminibot.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket per user: {@code perMinute} requests, refilled continuously. Users idle for a few
 * minutes are forgotten, so the map stays as small as the set of active users.
 */
final class UserRateLimiter {
    private final double perMinute;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5))
            .maximumSize(100_000)
            .build();

    UserRateLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Takes one request from the user's bucket; false when it is empty. */
    boolean tryAcquire(String userKey, Instant now) {
        Bucket bucket = buckets.get(userKey, k -> new Bucket(perMinute, now));
        return bucket.take(now, perMinute);
    }

    /** How long until the user may ask again. */
    Duration waitFor(String userKey, Instant now) {
        Bucket bucket = buckets.getIfPresent(userKey);
        return bucket == null ? Duration.ZERO : bucket.waitFor(now, perMinute);
    }

    private static final class Bucket {
        private double tokens;
        private Instant updated;

        Bucket(double tokens, Instant now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized boolean take(Instant now, double perMinute) {
            refill(now, perMinute);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        synchronized Duration waitFor(Instant now, double perMinute) {
            refill(now, perMinute);
            return tokens >= 1 ? Duration.ZERO : Duration.ofMillis((long) Math.ceil((1 - tokens) * 60_000 / perMinute));
        }

        private void refill(Instant now, double perMinute) {
            long elapsedMillis = Math.max(0, Duration.between(updated, now).toMillis());
            tokens = Math.min(perMinute, tokens + elapsedMillis * perMinute / 60_000);
            updated = now;
        }
    }
}
