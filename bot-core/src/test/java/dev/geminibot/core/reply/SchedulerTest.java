package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.geminibot.core.testing.VirtualScheduler;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Caffeine's Ticker and java.time's Clock read the one Scheduler, so caches expire on the virtual clock. */
class SchedulerTest {

    @Test
    void tickerAndClockFollowTheVirtualClock() {
        VirtualScheduler scheduler = new VirtualScheduler();
        long before = scheduler.ticker().read();
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(scheduler.ticker().read() - before).isEqualTo(3_000_000_000L);
        assertThat(scheduler.clock().instant()).isEqualTo(scheduler.now());
        assertThat(scheduler.clock().withZone(ZoneOffset.ofHours(2)).instant()).isEqualTo(scheduler.now());

        Cache<String, String> cache = Caffeine.newBuilder().ticker(scheduler.ticker())
                .expireAfterWrite(Duration.ofMinutes(1)).build();
        cache.put("k", "v");
        scheduler.advance(Duration.ofSeconds(59));
        assertThat(cache.getIfPresent("k")).isEqualTo("v");
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(cache.getIfPresent("k")).isNull();
    }
}
