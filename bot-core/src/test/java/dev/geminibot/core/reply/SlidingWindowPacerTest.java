package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.testing.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowPacerTest {

    private final VirtualScheduler clock = new VirtualScheduler();
    private final RateWindow window = RateWindow.inProcess(Duration.ofSeconds(60));
    private final SlidingWindowPacer pacer = SlidingWindowPacer.slack(clock, window);

    /** Asks for a turn again right after each one, until {@code until}; records when turns came. */
    private void greedy(String key, Instant until, List<Instant> turns) {
        pacer.request(key, () -> {
            turns.add(clock.now());
            if (clock.now().isBefore(until)) {
                clock.schedule(Duration.ofMillis(100), () -> greedy(key, until, turns));
            }
        });
    }

    private static void assertNoWindowExceeds(List<Instant> times, int limit, Duration period) {
        List<Instant> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        for (int i = limit; i < sorted.size(); i++) {
            assertThat(Duration.between(sorted.get(i - limit), sorted.get(i)))
                    .as("turn %s and the one %s before it", i, limit).isGreaterThan(Duration.ZERO)
                    .isGreaterThanOrEqualTo(period);
        }
    }

    @Test
    void aBusyKeyNeverExceedsTheBudgetInAnyWindowAndNeverStalls() {
        List<Instant> turns = new ArrayList<>();
        Instant until = clock.now().plusSeconds(300);
        for (int i = 0; i < 5; i++) {
            greedy("workspace", until, turns);
        }
        clock.runUntilIdle();

        assertNoWindowExceeds(turns, 50, Duration.ofSeconds(60));
        // Spread over the window at the budget's pace: no gap anywhere near the minute a burnt window leaves.
        Collections.sort(turns);
        Duration longestGap = Duration.ZERO;
        for (int i = 1; i < turns.size(); i++) {
            Duration gap = Duration.between(turns.get(i - 1), turns.get(i));
            longestGap = gap.compareTo(longestGap) > 0 ? gap : longestGap;
        }
        assertThat(longestGap).isLessThan(Duration.ofSeconds(3));
        assertThat(turns.size()).isGreaterThanOrEqualTo(5 * 40); // about 40+ per minute over five minutes
    }

    @Test
    void answersInSequenceEachGoAtTheirOwnPaceWhileTheWindowHasRoom() {
        // Five answers of six calls each (3 s at a 500 ms interval), 8 s apart: a mention every few seconds.
        List<Instant> turns = new ArrayList<>();
        for (int answer = 0; answer < 5; answer++) {
            for (int call = 0; call < 6; call++) {
                clock.schedule(Duration.ofMillis(answer * 8_000L + call * 500L), () -> pacer.request("workspace",
                        () -> turns.add(clock.now())));
            }
        }
        clock.runUntilIdle();

        assertThat(turns).hasSize(30);
        for (int i = 0; i < turns.size(); i++) {
            long expected = (i / 6) * 8_000L + (i % 6) * 500L;
            assertThat(Duration.between(VirtualScheduler.EPOCH, turns.get(i)).toMillis())
                    .as("turn %s goes when asked", i).isEqualTo(expected);
        }
    }

    @Test
    void a429TeachesTheKeysSpacingAndItRelaxesLater() {
        List<Instant> turns = new ArrayList<>();
        pacer.request("strict", () -> turns.add(clock.now()));
        clock.advance(Duration.ofMillis(500));
        pacer.request("strict", () -> turns.add(clock.now()));
        // The platform refused the second call: it allows one per 3 s.
        clock.advance(Duration.ofMillis(100));
        pacer.rateLimited("strict", Duration.ofMillis(2_400));
        pacer.request("strict", () -> turns.add(clock.now()));
        pacer.request("strict", () -> turns.add(clock.now()));
        clock.runUntilIdle();

        assertThat(turns).hasSize(4);
        assertThat(Duration.between(turns.get(1), turns.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        assertThat(Duration.between(turns.get(2), turns.get(3))).isGreaterThanOrEqualTo(Duration.ofMillis(2_900));

        // Minutes later, without another 429, the key is used at its own pace again.
        clock.advance(Duration.ofMinutes(10));
        List<Instant> later = new ArrayList<>();
        pacer.request("strict", () -> later.add(clock.now()));
        pacer.request("strict", () -> later.add(clock.now()));
        clock.runUntilIdle();
        assertThat(Duration.between(later.get(0), later.get(1))).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void silentKeysAreForgotten() {
        for (int i = 0; i < 100; i++) {
            pacer.request("channel-" + i, () -> { });
        }
        clock.advance(Duration.ofMinutes(2));
        clock.runUntilIdle();
        assertThat(pacer.keysHeld()).isZero();
        assertThat(((InProcessRateWindow) window).keysHeld(clock.now())).isZero();
    }

    @Test
    void tryAcquireCountsTheSlidingWindow() {
        Instant start = clock.now();
        for (int i = 0; i < 3; i++) {
            assertThat(window.tryAcquire("k", 3, Duration.ofSeconds(10), start.plusSeconds(i))).isZero();
        }
        assertThat(window.tryAcquire("k", 3, Duration.ofSeconds(10), start.plusSeconds(5)))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(window.tryAcquire("k", 3, Duration.ofSeconds(10), start.plusSeconds(10))).isZero();
    }
}
