package dev.geminibot.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's rule on a clock of its own ({@link IdleWatchdog#sweep} takes "now"): stamps far from
 * the real clock, so the watchdog's own thread never expires these attempts while the test runs.
 */
class IdleWatchdogTest {
    static final long IDLE = TimeUnit.SECONDS.toNanos(60);
    /** Far ahead of {@code System.nanoTime()}: to the real clock these reads have not started waiting yet. */
    static final long START = Long.MAX_VALUE / 4;

    final IdleWatchdog watchdog = new IdleWatchdog();

    static class Read implements IdleWatchdog.Watched {
        long since;
        final AtomicInteger expired = new AtomicInteger();

        @Override
        public long waitingSince() {
            return since;
        }

        @Override
        public long idleTimeoutNanos() {
            return IDLE;
        }

        @Override
        public void expire() {
            expired.incrementAndGet();
        }
    }

    @Test
    void aWaitShorterThanTheTimeoutSurvivesAndAWaitOfTheWholeTimeoutExpiresOnce() {
        Read read = new Read();
        read.since = START;
        watchdog.watch(read);

        watchdog.sweep(START + IDLE - 1);
        assertThat(read.expired).hasValue(0);

        watchdog.sweep(START + IDLE);
        watchdog.sweep(START + 2 * IDLE);
        assertThat(read.expired).hasValue(1);
        assertThat(watchdog.size()).isZero();
    }

    @Test
    void timeBetweenReadsDoesNotCount() {
        Read read = new Read();
        watchdog.watch(read); // not in a read: since == 0

        watchdog.sweep(START + 10 * IDLE);

        assertThat(read.expired).hasValue(0);
        watchdog.unwatch(read);
        assertThat(watchdog.size()).isZero();
    }

    @Test
    void sweepsAQuarterOfTheShortestTimeoutApartWithinBounds() {
        Read read = new Read();
        watchdog.watch(read);

        assertThat(watchdog.sweep(START)).isEqualTo(IdleWatchdog.MAX_PERIOD_NANOS);
        watchdog.unwatch(read);
        assertThat(watchdog.sweep(START)).isEqualTo(IdleWatchdog.MAX_PERIOD_NANOS);
    }

    /** On the real clock, with the watchdog's own thread: a stream that comes after a quiet spell is watched. */
    @Test
    void aStreamAfterAQuietSpellIsStillWatched() throws InterruptedException {
        Read first = new Read();
        watchdog.watch(first); // starts the thread
        watchdog.unwatch(first);
        Thread.sleep(50); // the thread finds nothing to watch and parks until watch() wakes it

        // A long timeout (production's 120 s sweeps every second, as often as the quiet thread's last plan).
        Read late = new Read() {
            @Override
            public long idleTimeoutNanos() {
                return TimeUnit.SECONDS.toNanos(120);
            }
        };
        late.since = System.nanoTime() - TimeUnit.SECONDS.toNanos(121); // already waited too long
        watchdog.watch(late);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (late.expired.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(late.expired).as("expired within a sweep period").hasValue(1);
    }

    @Test
    void aHoldPastItsDeadlineIsEndedAndOneBeforeItIsNot() {
        AtomicInteger ended = new AtomicInteger();
        long[] deadline = {START + 1_000};
        IdleWatchdog.Watched holding = new Read() {
            @Override
            public long holdDeadline() {
                return deadline[0];
            }

            @Override
            public void endHold() {
                ended.incrementAndGet();
            }
        };
        watchdog.watch(holding);

        watchdog.sweep(START + 999);
        assertThat(ended).hasValue(0);
        watchdog.sweep(START + 1_000);
        assertThat(ended).hasValue(1);
        deadline[0] = 0; // not holding
        watchdog.sweep(START + 5_000);
        assertThat(ended).hasValue(1);
        watchdog.unwatch(holding);
    }
}
