package dev.geminibot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What every fake Gemini of the scale run reports at {@code GET /stats}, since the last time it was asked
 * (a fake may serve several runs, one read each): per stream when its request
 * arrived (t0) and when its first event went out, how late each write was against its schedule (1 ms
 * buckets up to 120 s), writes and broken streams. Thread-safe. Also the fakes' child-process loop.
 */
final class FakeStats {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LAG_BUCKETS = 120_001;

    private final Map<Long, long[]> starts = new ConcurrentHashMap<>(); // id -> {t0, first write}
    private final AtomicLongArray lag = new AtomicLongArray(LAG_BUCKETS);
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong brokenStreams = new AtomicLong();

    /** A stream's request arrived at {@code t0}; the returned pair takes its first write's time at [1]. */
    long[] started(long id, long t0) {
        long[] start = {t0, 0};
        starts.put(id, start);
        return start;
    }

    /** One event written at {@code now}, due at {@code due} ({@link System#nanoTime}). */
    void wrote(long due, long now) {
        writes.incrementAndGet();
        lag.incrementAndGet((int) Math.min(LAG_BUCKETS - 1, Math.max(0, now - due) / 1_000_000L));
    }

    void broken() {
        brokenStreams.incrementAndGet();
    }

    /** The stats so far; then starts over. */
    synchronized byte[] json() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode t0 = root.putObject("t0");
        ObjectNode first = root.putObject("firstWrite");
        starts.forEach((id, s) -> {
            t0.put(Long.toString(id), s[0]);
            first.put(Long.toString(id), s[1]);
        });
        long total = 0;
        for (int i = 0; i < LAG_BUCKETS; i++) {
            total += lag.get(i);
        }
        root.put("writes", writes.get());
        root.put("brokenStreams", brokenStreams.get());
        root.put("lagP50", quantile(0.50, total));
        root.put("lagP99", quantile(0.99, total));
        root.put("lagMax", quantile(1.0, total));
        starts.clear();
        for (int i = 0; i < LAG_BUCKETS; i++) {
            lag.set(i, 0);
        }
        writes.set(0);
        brokenStreams.set(0);
        return JSON.writeValueAsBytes(root);
    }

    /** Lateness of writes against their schedule, in ms (1 ms resolution); -1 when nothing was written. */
    private long quantile(double q, long total) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < LAG_BUCKETS; i++) {
            seen += lag.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return LAG_BUCKETS - 1;
    }

    /**
     * Child-process mode of a fake: prints {@code PORT n}, serves until stdin closes (the parent exited or
     * closed it) or an hour passes, whichever comes first, so it never outlives the harness (an hour: a scale
     * invocation with warm connections keeps one fake for all its runs).
     */
    static void serveUntilStdinCloses(AutoCloseable server, int port) throws Exception {
        try (server) {
            System.out.println("PORT " + port);
            System.out.flush();
            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // drain
                    }
                } catch (IOException ignored) {
                    // parent gone
                }
            });
            watchdog.join(60 * 60 * 1000L);
        }
        System.exit(0);
    }
}
