package dev.geminibot.bench;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One conversation's channel on a Discord-like fake platform, on the real clock: every call completes
 * after 20-60 ms on a shared timer thread; edits of the channel share a window of 5 per 5 s and the
 * sixth gets a 429 with Retry-After. It records when each text landed and how many deltas it held, and
 * when the first text holding a delta was sent. With the environment variable {@code BENCH_DEBUG} set it
 * prints every call to stderr. Thread-safe.
 */
final class LoadSink implements MessageSink {
    private static final long WINDOW_NANOS = 5_000_000_000L;
    private static final int WINDOW_EDITS = 5;

    private final String channel;
    private final AnswerScript script;
    private final ScheduledExecutorService timer;
    private long[] landedAt = new long[16];
    private int[] landedDeltas = new int[16];
    private int landings;
    private boolean windowOpen;
    private long windowCloses;
    private int windowUsed;
    private long firstTextSentAt;
    private int calls;
    private int rateLimited;
    private int rateLimitedFinal;
    private int wrongTexts;
    private String lastText;

    LoadSink(String channel, AnswerScript script, ScheduledExecutorService timer) {
        this.channel = channel;
        this.script = script;
        this.timer = timer;
    }

    @Override
    public CompletableFuture<MessageRef> post(String text, boolean live) {
        sent(text);
        CompletableFuture<MessageRef> future = new CompletableFuture<>();
        later(() -> {
            landed(text);
            future.complete(new MessageRef(channel + "-1"));
        });
        return future;
    }

    @Override
    public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        long now = sent(text);
        long retryAfter;
        synchronized (this) {
            if (!windowOpen || now - windowCloses >= 0) {
                windowOpen = true;
                windowCloses = now + WINDOW_NANOS;
                windowUsed = 0;
            }
            retryAfter = windowUsed < WINDOW_EDITS ? -1 : windowCloses - now;
            if (retryAfter < 0) {
                windowUsed++;
            } else {
                rateLimited++;
                if (!live) {
                    rateLimitedFinal++;
                }
            }
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        later(() -> {
            if (DEBUG) {
                System.err.printf("%d %s edit done retryAfter=%d%n", System.nanoTime() / 1_000_000, channel, retryAfter);
            }
            if (retryAfter >= 0) {
                future.completeExceptionally(PlatformException.rateLimited(Duration.ofNanos(retryAfter)));
            } else {
                landed(text);
                future.complete(null);
            }
        });
        return future;
    }

    private static final boolean DEBUG = System.getenv("BENCH_DEBUG") != null;

    private long sent(String text) {
        long now = System.nanoTime();
        if (DEBUG) {
            System.err.printf("%.3f %s sent len=%d deltas=%d%n", now / 1e6, channel, text.length(),
                    script.deltasIn(text, OursPolicy.CURSOR));
        }
        synchronized (this) {
            calls++;
            if (firstTextSentAt == 0 && script.deltasIn(text, OursPolicy.CURSOR) > 0) {
                firstTextSentAt = now;
            }
        }
        return now;
    }

    private void landed(String text) {
        long now = System.nanoTime();
        int n = script.deltasIn(text, OursPolicy.CURSOR);
        synchronized (this) {
            lastText = text;
            if (n < 0) {
                if (!text.startsWith("Thinking")) {
                    wrongTexts++;
                }
                return;
            }
            if (landings == landedAt.length) {
                landedAt = Arrays.copyOf(landedAt, landings * 2);
                landedDeltas = Arrays.copyOf(landedDeltas, landings * 2);
            }
            landedAt[landings] = now;
            landedDeltas[landings] = n;
            landings++;
        }
    }

    private void later(Runnable task) {
        timer.schedule(task, ThreadLocalRandom.current().nextLong(20_000, 60_001), TimeUnit.MICROSECONDS);
    }

    @Override
    public int maxLength() {
        return 2000;
    }

    @Override
    public Duration defaultEditInterval() {
        return Duration.ofSeconds(1);
    }

    @Override
    public String rateLimitKey() {
        return channel;
    }

    /**
     * Adds the staleness of every delta (ms; {@link Samples#NEVER} if it never landed) to {@code out}, with delta i produced at
     * {@code t0 + i * periodNanos}. Returns the number of deltas that never landed.
     */
    synchronized int staleness(long t0, long periodNanos, Samples out) {
        int covered = 0;
        for (int k = 0; k < landings; k++) {
            while (covered < landedDeltas[k]) {
                out.add((landedAt[k] - (t0 + covered * periodNanos)) / 1_000_000L);
                covered++;
            }
        }
        for (int i = covered; i < script.size(); i++) {
            out.add(Samples.NEVER);
        }
        return script.size() - covered;
    }

    synchronized boolean finalExact() {
        return script.text().equals(lastText);
    }

    synchronized long firstTextSentAt() {
        return firstTextSentAt;
    }

    synchronized int calls() {
        return calls;
    }

    synchronized int rateLimited() {
        return rateLimited;
    }

    synchronized int rateLimitedFinal() {
        return rateLimitedFinal;
    }

    synchronized int wrongTexts() {
        return wrongTexts;
    }
}
