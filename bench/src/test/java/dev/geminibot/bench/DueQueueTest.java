package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fakes' pacers: never early, and a gathering writer's events go out in one flush per pass. */
class DueQueueTest {
    private static final int EVENTS = 10;

    /** A stream of {@code events} events, one per {@code period}, from {@code start}. */
    static final class Script {
        final long start;
        final long period;
        final int events;
        int next;
        long due;

        Script(long start, long period, int events) {
            this.start = start;
            this.period = period;
            this.events = events;
            this.due = start;
        }
    }

    /**
     * Records each write (stream, when) and each flush (how many writes it sent). Done once every expected write
     * has been flushed: a pacer flushes after its pass, so the last write is not the end of the work.
     */
    static final class Recorder implements DueQueue.Writer<Script> {
        final long hold;
        final int expected;
        final List<long[]> writes = new ArrayList<>();
        final List<Integer> flushes = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        int unflushed;
        int flushed;

        Recorder(long hold, int expected) {
            this.hold = hold;
            this.expected = expected;
        }

        @Override
        public synchronized boolean writeDue(Script s, long now) {
            writes.add(new long[] {s.start + s.next * s.period, now});
            unflushed++;
            if (++s.next == s.events) {
                return false;
            }
            s.due = s.start + s.next * s.period;
            return true;
        }

        @Override
        public synchronized void flush() {
            if (unflushed > 0) {
                flushes.add(unflushed);
                flushed += unflushed;
                unflushed = 0;
                if (flushed == expected) {
                    done.countDown();
                }
            }
        }

        @Override
        public long holdNanos() {
            return hold;
        }
    }

    private static Recorder pace(long holdNanos, int streams, long offsetNanos) throws InterruptedException {
        Recorder recorder = new Recorder(holdNanos, streams * EVENTS);
        // Every pacer thread shares the one recorder (its methods are synchronized).
        DueQueue<Script> queue = new DueQueue<>("test", s -> s.due, () -> recorder);
        try {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            for (int i = 0; i < streams; i++) {
                queue.add(i, new Script(start + i * offsetNanos, TimeUnit.MILLISECONDS.toNanos(10), EVENTS));
            }
            assertThat(recorder.done.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            queue.close();
        }
        return recorder;
    }

    @Test
    void noEventIsWrittenBeforeItIsDueAndEveryOneIsWrittenOnce() throws Exception {
        Recorder recorder = pace(0, 20, TimeUnit.MICROSECONDS.toNanos(300));

        synchronized (recorder) {
            assertThat(recorder.writes).hasSize(200);
            assertThat(recorder.writes).allSatisfy(write -> assertThat(write[1]).isGreaterThanOrEqualTo(write[0]));
        }
    }

    @Test
    void aGatheringWriterSendsWhatFellDueDuringItsHoldInOneFlush() throws Exception {
        // 20 streams, each 0.3 ms after the previous one, an event every 10 ms: with a 5 ms hold a pass finds
        // several due at once, so there are far fewer flushes than events; none is written early.
        Recorder recorder = pace(TimeUnit.MILLISECONDS.toNanos(5), 20, TimeUnit.MICROSECONDS.toNanos(300));

        synchronized (recorder) {
            assertThat(recorder.writes).hasSize(200);
            assertThat(recorder.writes).allSatisfy(write -> assertThat(write[1]).isGreaterThanOrEqualTo(write[0]));
            assertThat(recorder.flushes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
            assertThat(recorder.flushes.size()).isLessThanOrEqualTo(100);
        }
    }
}
